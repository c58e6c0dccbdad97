// The persistence boundary of `stepline serve`: state machines (+ versions, aliases, tags),
// activities, durable Standard executions (frame + history + timers + task tokens + activity
// queues). Every backend (memory, SQLite, later PostgreSQL) passes the one suite in tests/store.
#pragma once

#include "store/records.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stepline::store {

class Store {
 public:
  virtual ~Store() = default;

  // ---- state machines, versions, aliases, activities (tags live in the resource) ----

  // Applies every write or none. A write whose `expected_version` does not match (0: "must not
  // exist") fails the whole batch; the result names it and carries the current resource.
  virtual WriteResult write_resources(const std::vector<ResourceWrite>& writes) = 0;
  virtual std::optional<Resource> get_resource(ResourceKind kind, const std::string& arn) = 0;
  // Resources of one kind (those under `parent_arn` when it is not empty), oldest first
  // (newest first with `page.reverse`).
  virtual Page<Resource> list_resources(ResourceKind kind, const std::string& parent_arn,
                                        const PageRequest& page) = 0;

  // ---- executions ----

  // Idempotent by ARN (AWS: same name and input while RUNNING returns the running execution).
  virtual CreateResult create_execution(const NewExecution& execution) = 0;
  // One or many execution steps, atomically, acknowledged once durable. See records.hpp.
  virtual CommitResult commit(const Commit& commit) = 0;
  virtual std::optional<ExecutionRecord> load_execution(const std::string& arn) = 0;
  // Newest first (oldest first with `page.reverse`). Recovery after a restart lists
  // {status = "RUNNING"} across all state machines.
  virtual Page<ExecutionSummary> list_executions(const ExecutionFilter& filter,
                                                 const PageRequest& page) = 0;
  // Events in id order (reverse order with `page.reverse`).
  virtual Page<json::Value> read_history(const std::string& execution_arn,
                                         const PageRequest& page) = 0;

  // Creates and commits of many executions, durable together; see WriteBatch. The default runs
  // them one by one (right for the memory store, whose calls are instant).
  virtual BatchResult write_batch(const WriteBatch& batch);

  // ---- timers, tasks, activity queues ----

  // Armed timers due at or before `now`, earliest first, at most `limit`.
  virtual std::vector<TimerRecord> due_timers(TimePoint now, std::size_t limit) = 0;
  virtual std::optional<TaskRecord> find_task(const std::string& token) = 0;
  // Hands the oldest unclaimed task of the activity to `worker` (durably), if any. The task is
  // completed by the commit that carries its token in `finish_tasks`.
  virtual std::optional<TaskRecord> claim_activity_task(const std::string& activity_arn,
                                                        const std::string& worker) = 0;

  // Recovery after a restart: the armed timers (by id) and the open tasks (oldest first) of one
  // execution.
  virtual std::vector<TimerRecord> execution_timers(const std::string& execution_arn) = 0;
  virtual std::vector<TaskRecord> open_tasks(const std::string& execution_arn) = 0;

  // For the quotas of LOCAL.md §4.
  virtual Counts counts() = 0;
};

// A store that lives in memory only: the Express store and the fake for tests.
std::unique_ptr<Store> open_memory_store();

struct SqliteOptions {
  std::string path;                     // the database file (created with its schema when absent)
  bool synchronous_full = true;         // false: synchronous=NORMAL (durable to a crash of the
                                        // process, not of the machine)
  std::size_t group_max_commits = 256;  // the group commit window: at most this many commits
  int group_window_micros = 2000;       // and at most this long after the first one
};
// Throws StoreError when the file cannot be opened or has a newer schema.
std::unique_ptr<Store> open_sqlite_store(const SqliteOptions& options);

}  // namespace stepline::store
