// A fixed set of threads running posted jobs in FIFO order: the runtime's execution workers, its
// task-dispatch pool (whose jobs may block on a TaskInvoker), the engine's Map helpers.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace stepline {

class WorkPool {
 public:
  explicit WorkPool(unsigned threads);
  ~WorkPool();  // runs the jobs already posted, then joins
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // False (and the job is dropped) once the pool is stopping.
  bool post(std::function<void()> job);
  // Finishes the queued jobs and stops the threads; later posts are dropped.
  void stop();

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace stepline
