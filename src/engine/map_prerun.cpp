// Map iterations run ahead: work shared out in chunks of consecutive items, claimed by helpers
// in order and by the interpreter's thread when it needs one nobody has started.
#include "engine/map_prerun.hpp"

#include "engine/iteration_helpers.hpp"
#include "engine/step_run.hpp"

#include <algorithm>
#include <utility>

namespace stepline::engine {

namespace {

enum ChunkState : int { kPending, kRunning, kDone };

}  // namespace

struct MapPrerun::Shared {
  struct Chunk {
    std::atomic<int> state{kPending};
    std::size_t begin = 0;
    std::size_t end = 0;
    HistoryRecords records;
    std::vector<RanAheadIteration> iterations;
    bool handed_over = false;  // the interpreter took an iteration (its thread only)
  };

  const Interpreter* interpreter = nullptr;
  IdSource* ids = nullptr;
  TimePoint now{};
  const json::Value* execution_input = nullptr;
  Frame scopes;  // the threads above the iterations, with only their variables
  int map_thread = 0;
  int block = 0;
  json::Array inputs;
  std::size_t chunk_count = 0;
  std::unique_ptr<Chunk[]> chunks;
  std::atomic<std::size_t> cursor{0};  // next chunk a helper tries
  std::atomic<bool> cancelled{false};
  std::atomic<int> active{0};  // helpers inside the work loop

  void run_chunk(Chunk& c) {
    c.iterations.resize(c.end - c.begin);
    try {
      StepRun run(*interpreter, ids, scopes, now, c.records, *execution_input);
      for (std::size_t i = c.begin; i < c.end; ++i) {
        if (cancelled.load(std::memory_order_relaxed)) return;
        c.iterations[i - c.begin] =
            run.run_ahead(map_thread, block, static_cast<long long>(i), json::Value(inputs[i]));
      }
    } catch (...) {
      // Whatever is not marked succeeded runs again on the interpreter's thread, which reports
      // the failure as it would have anyway.
    }
  }

  bool claim(Chunk& c) {
    int expected = kPending;
    return c.state.compare_exchange_strong(expected, kRunning);
  }

  void finish(Chunk& c) {
    c.state.store(kDone, std::memory_order_release);
    c.state.notify_all();
  }

  // Runs the next chunk nobody has taken; false when there is none.
  bool run_next() {
    for (std::size_t k = cursor.fetch_add(1); k < chunk_count; k = cursor.fetch_add(1)) {
      if (cancelled.load(std::memory_order_relaxed)) return false;
      if (!claim(chunks[k])) continue;
      run_chunk(chunks[k]);
      finish(chunks[k]);
      return true;
    }
    return false;
  }

  void help() {
    // Counted before `cancelled` is read: the destructor sets `cancelled`, then waits for
    // `active` to reach zero (both sequentially consistent, so one of the two sees the other).
    active.fetch_add(1);
    if (!cancelled.load()) {
      while (run_next()) {
      }
    }
    if (active.fetch_sub(1) == 1) active.notify_all();
  }
};

bool MapPrerun::qualifies(const asl::StatesBlock& block) {
  return std::all_of(block.states.begin(), block.states.end(), [](const auto& entry) {
    const asl::State& s = entry.second;
    if (s.query_language != asl::QueryLanguage::JSONPath) return false;
    switch (s.type) {
      case asl::StateType::Pass:
      case asl::StateType::Choice:
      case asl::StateType::Succeed:
      case asl::StateType::Fail:
        return true;
      default:
        return false;
    }
  });
}

MapPrerun::MapPrerun(const StepRun& run, const Thread& map_thread, json::Array inputs,
                     IterationHelpers& helpers)
    : shared_(std::make_shared<Shared>()) {
  Shared& s = *shared_;
  s.interpreter = &run.interpreter();
  s.ids = run.ids();
  s.now = run.now();
  s.execution_input = &run.execution_input();
  s.scopes.start_time = run.frame().start_time;
  // Variables are looked up from the iteration upwards: the Map's thread and its ancestors.
  int top_id = map_thread.id;
  for (int id = map_thread.id; id >= 0;) {
    const Thread& t = run.frame().threads.at(id);
    Thread scope;
    scope.id = t.id;
    scope.parent = t.parent;
    scope.block = t.block;
    scope.variables = t.variables;
    s.scopes.threads.emplace(id, std::move(scope));
    top_id = std::max(top_id, id);
    id = t.parent;
  }
  s.scopes.next_thread = top_id + 1;
  s.map_thread = map_thread.id;
  s.block = std::get<asl::MapState>(run.state_of(map_thread).spec).processor->id;
  s.inputs = std::move(inputs);
  s.chunk_count = (s.inputs.size() + kChunk - 1) / kChunk;
  s.chunks = std::make_unique<Shared::Chunk[]>(s.chunk_count);
  for (std::size_t k = 0; k < s.chunk_count; ++k) {
    s.chunks[k].begin = k * kChunk;
    s.chunks[k].end = std::min(s.inputs.size(), (k + 1) * kChunk);
  }
  for (unsigned i = 0; i < helpers.concurrency(); ++i) {
    helpers.post([shared = shared_] { shared->help(); });
  }
}

MapPrerun::~MapPrerun() {
  Shared& s = *shared_;
  s.cancelled.store(true);
  for (int a = s.active.load(); a != 0; a = s.active.load()) s.active.wait(a);
}

RanAheadIteration& MapPrerun::await(long long index) {
  Shared& s = *shared_;
  Shared::Chunk& c = s.chunks[static_cast<std::size_t>(index) / kChunk];
  for (;;) {
    int state = c.state.load(std::memory_order_acquire);
    if (state == kDone) break;
    if (state == kPending && s.claim(c)) {
      s.run_chunk(c);
      s.finish(c);
      break;
    }
    // A helper has it: do other work meanwhile rather than wait, unless there is none.
    if (!s.run_next()) c.state.wait(kRunning, std::memory_order_acquire);
  }
  RanAheadIteration& it = c.iterations[static_cast<std::size_t>(index) - c.begin];
  it.records = &c.records;
  it.first_of_records = !c.handed_over;
  c.handed_over = true;
  return it;
}

const json::Value& MapPrerun::input(long long index) const {
  return shared_->inputs[static_cast<std::size_t>(index)];
}

}  // namespace stepline::engine
