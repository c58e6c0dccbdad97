// Threads that may run a Map's iterations ahead of the interpreter (see map_prerun.hpp). A
// driver that has idle cores gives the Interpreter one; without it every iteration runs on the
// thread that steps the execution, as before.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace stepline::engine {

class IterationHelpers {
 public:
  virtual ~IterationHelpers() = default;
  // Runs `job` on a helper thread some time later. A job must not wait for another job.
  virtual void post(std::function<void()> job) = 0;
  // How many jobs may run at once.
  virtual unsigned concurrency() const = 0;
};

// A fixed set of helper threads taking posted jobs in FIFO order.
class HelperThreads final : public IterationHelpers {
 public:
  explicit HelperThreads(unsigned threads);
  ~HelperThreads() override;  // runs the jobs already posted, then joins
  HelperThreads(const HelperThreads&) = delete;
  HelperThreads& operator=(const HelperThreads&) = delete;

  void post(std::function<void()> job) override;
  unsigned concurrency() const override { return static_cast<unsigned>(threads_.size()); }

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace stepline::engine
