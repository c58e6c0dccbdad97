// parallel_for: chunks claimed from a shared counter; the caller waits for the last one.
#include "engine/parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <memory>

namespace stepline::engine {

namespace {

struct Loop {
  std::size_t n = 0;
  std::size_t chunk = 1;
  std::size_t chunks = 0;
  // Read only after a chunk below `chunks` was claimed, and every claimed chunk is done before
  // the caller returns: a helper that starts late claims nothing and never touches it.
  const std::function<void(std::size_t, std::size_t)>* body = nullptr;
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};

  void run() {
    for (std::size_t k = next.fetch_add(1); k < chunks; k = next.fetch_add(1)) {
      (*body)(k * chunk, std::min(n, (k + 1) * chunk));
      if (done.fetch_add(1) + 1 == chunks) done.notify_all();
    }
  }
};

}  // namespace

void parallel_for(IterationHelpers* helpers, std::size_t n, std::size_t chunk,
                  const std::function<void(std::size_t, std::size_t)>& body) {
  if (n == 0) return;
  chunk = std::max<std::size_t>(chunk, 1);
  auto loop = std::make_shared<Loop>();
  loop->n = n;
  loop->chunk = chunk;
  loop->chunks = (n + chunk - 1) / chunk;
  loop->body = &body;
  if (helpers && loop->chunks > 1) {
    const auto wanted = std::min<std::size_t>(helpers->concurrency(), loop->chunks - 1);
    for (std::size_t i = 0; i < wanted; ++i) helpers->post([loop] { loop->run(); });
  }
  loop->run();
  for (std::size_t d = loop->done.load(); d != loop->chunks; d = loop->done.load()) {
    loop->done.wait(d);
  }
}

}  // namespace stepline::engine
