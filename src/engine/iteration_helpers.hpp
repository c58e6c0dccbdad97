// Threads that may run a Map's iterations ahead of the interpreter (see map_prerun.hpp). A
// driver that has idle cores gives the Interpreter one; without it every iteration runs on the
// thread that steps the execution, as before.
#pragma once

#include "common/work_pool.hpp"

#include <functional>
#include <utility>

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
  explicit HelperThreads(unsigned threads) : threads_(threads), pool_(threads) {}

  void post(std::function<void()> job) override { pool_.post(std::move(job)); }
  unsigned concurrency() const override { return threads_; }

 private:
  unsigned threads_;
  WorkPool pool_;  // destroyed first: runs the jobs already posted, then joins
};

}  // namespace stepline::engine
