// Group commit for the runtime: execution steps (and first steps, as creates) from every worker
// are queued here; one thread writes everything queued so far as one Store::write_batch (one
// transaction, one fsync on SQLite), then calls each caller's continuation. Nothing a step
// causes (task dispatch, timers, API answers) happens before its continuation runs.
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

  void create(store::NewExecution execution, Created done);
  // `lease`: the owner the store records for the execution (fencing).
  void commit(store::ExecutionStep step, std::string lease, Committed done);
  // Writes what is queued, then stops.
  void stop();

 private:
  struct Item {
    std::variant<store::NewExecution, store::ExecutionStep> write;
    std::string lease;
    Created created;
    Committed committed;
  };
  void loop();
  void write(std::deque<Item>& batch);
  void write_one_by_one(std::deque<Item>& batch);

  store::Store& store_;
  ExecutionObserver* observer_;
  std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace stepline::runtime
