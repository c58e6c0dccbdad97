// The queue behind group commit, shared by the SQLite and PostgreSQL writers: callers hand in a
// write and wait; one thread gathers what arrives within a short window (or until the batch is
// full) and hands the batch to the backend, which runs it as one transaction and records each
// write's error. A caller returns once its batch is done, so durability is the backend's commit.
#pragma once

#include "store/records.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace stepline::store {

template <class Write>
class GroupCommitQueue {
 public:
  struct Pending {
    const Write* write = nullptr;
    bool done = false;
    std::exception_ptr error;  // set by the backend: rethrown to this write's caller
  };
  using Batch = std::deque<Pending*>;
  // Runs one batch as one transaction; must not throw (errors go to Pending::error).
  using CommitBatch = std::function<void(Batch&)>;

  GroupCommitQueue(std::size_t max_batch, int window_micros, CommitBatch commit)
      : max_batch_(max_batch == 0 ? 1 : max_batch),
        window_micros_(window_micros),
        commit_(std::move(commit)),
        thread_([this] { loop(); }) {}

  // Commits what is queued, then stops the thread.
  ~GroupCommitQueue() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_writer_.notify_all();
    thread_.join();
  }
  GroupCommitQueue(const GroupCommitQueue&) = delete;
  GroupCommitQueue& operator=(const GroupCommitQueue&) = delete;

  // Runs `write` in the next batch and waits until that batch is done.
  void run(const Write& write) {
    Pending pending{&write};
    std::unique_lock lock(mutex_);
    if (stopping_) throw StoreError("the store is closing");
    queue_.push_back(&pending);
    wake_writer_.notify_one();
    wake_callers_.wait(lock, [&] { return pending.done; });
    if (pending.error) std::rethrow_exception(pending.error);
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_writer_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      // Let more writes join while the window is open, unless the batch is already full.
      const auto close =
          std::chrono::steady_clock::now() + std::chrono::microseconds(window_micros_);
      while (!stopping_ && queue_.size() < max_batch_ &&
             wake_writer_.wait_until(lock, close) != std::cv_status::timeout) {
      }
      Batch batch;
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      lock.unlock();
      commit_(batch);
      lock.lock();
      for (auto* p : batch) p->done = true;
      wake_callers_.notify_all();
    }
  }

  const std::size_t max_batch_;
  const int window_micros_;
  CommitBatch commit_;
  std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::condition_variable wake_callers_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace stepline::store
