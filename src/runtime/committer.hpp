// Group commit for the runtime: execution steps (and first steps, as creates) from every worker
// are queued here; one thread writes everything queued so far as one Store::write_batch (one
// transaction, one fsync on SQLite), and a second thread then calls each caller's continuation,
// so the writer starts the next batch while the last one's effects run. Nothing a step causes
// (task dispatch, timers, API answers) happens before its continuation runs.
#pragma once

#include "runtime/runtime.hpp"
#include "store/store.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>

namespace stepline::runtime {

class Committer {
 public:
  // nullopt: the store failed (the message has been logged); nothing was created.
  using Created = std::function<void(std::optional<store::CreateResult>)>;
  // Committed, or the status that refused the step. A store failure (exception) is reported as
  // NotFound after the message has been logged: the step is lost and the execution must be
  // reloaded.
  using Committed = std::function<void(store::CommitStatus)>;

  Committer(store::Store& store, ExecutionObserver* observer, std::size_t max_batch = 2048);
  ~Committer();
  Committer(const Committer&) = delete;
  Committer& operator=(const Committer&) = delete;

  // Both prepare the step for the store (Store::prepare) on the caller's thread, then queue it.
  void create(store::NewExecution execution, Created done);
  // `lease`: the owner the store records for the execution (fencing).
  void commit(store::ExecutionStep step, std::string lease, Committed done);
  // Writes what is queued, runs every continuation, then stops.
  void stop();

 private:
  struct Item {
    std::variant<store::NewExecution, store::ExecutionStep> write;
    std::string lease;
    Created created;
    Committed committed;
    // Set by the writer: what the continuation hears.
    std::optional<store::CreateResult> create_result;
    store::CommitStatus commit_status = store::CommitStatus::NotFound;
  };
  void prepare(store::ExecutionStep& step);
  void write_loop();
  void continue_loop();
  void write(std::deque<Item>& batch);
  void write_one_by_one(std::deque<Item>& batch);

  store::Store& store_;
  ExecutionObserver* observer_;
  std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::condition_variable wake_continuer_;
  std::deque<Item> queue_;                // waiting to be written
  std::deque<std::deque<Item>> written_;  // durable batches whose continuations have not run
  bool continuing_ = false;               // a batch's continuations are running
  bool stopping_ = false;
  bool writer_done_ = false;
  std::thread writer_;
  std::thread continuer_;
};

}  // namespace stepline::runtime
