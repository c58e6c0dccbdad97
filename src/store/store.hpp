// The persistence boundary of `stepline serve`: state machines (+ versions, aliases, tags),
// activities, durable Standard executions (frame + history + timers + task tokens + activity
// queues). Every backend (memory, SQLite, later PostgreSQL) passes the one suite in tests/store.
#pragma once

#include "store/records.hpp"

#include <chrono>
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
  // Work a backend can do for a step on the caller's thread before the step is handed to a
  // writer whose thread every step waits for (the runtime's committer calls it before queueing):
  // SQLite renders the documents to text and releases the JSON (ExecutionStep::prepared). The
  // default does nothing.
  virtual void prepare(ExecutionStep& step);

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

// ---- cluster: several `stepline serve` nodes on one database ----
//
// Every RUNNING Standard execution has one owner (ExecutionRecord::owner): the node that holds it
// in memory, steps it, arms its timers and dispatches its tasks. The store accepts a commit only
// under the owner's name (Commit::lease), so a node that has lost an execution can never write
// to it again, whatever it still believes. Ownership moves only through this interface:
// - each node holds a lease (node id + expiry) renewed by heartbeat; a node whose lease has
//   expired, or that never registered (a former single-node process), is dead;
// - any live node takes over the RUNNING executions of dead nodes (claim_orphans, at most one
//   winner per execution: FOR UPDATE SKIP LOCKED on PostgreSQL, the single writer on SQLite);
//   their timers and open tasks come with them (Store::execution_timers / open_tasks), so due
//   timers are fired by whichever live node owns the execution now;
// - an API call about an execution owned by another live node (SendTask*, StopExecution, the
//   ActivityStarted of a task a worker claimed here) is written to that execution's inbox and its
//   owner is woken (NOTIFY on PostgreSQL, a short poll on SQLite). The inbox follows the
//   execution: if the owner dies first, the node that takes the execution over reads it.
// The coordination has a connection of its own so that heartbeats never queue behind group
// commits. Express executions never reach the store: they stay on the node that started them.

// An API call forwarded to the owner of its execution.
struct InboxEntry {
  long long seq = 0;  // set by the store: delivery order
  std::string execution_arn;
  std::string kind;     // "task_success" | "task_failure" | "task_heartbeat" | "stop" |
                        // "activity_started"
  json::Value payload;  // what the kind needs: token, output, error, cause, worker
};

class Cluster {
 public:
  virtual ~Cluster() = default;

  // Registers `node` or renews its lease until `expires`. False when the lease had already
  // expired at `now`: other nodes may have taken its executions, so the node must drop what it
  // holds in memory and reload only what it still owns.
  virtual bool heartbeat(const std::string& node, TimePoint now, TimePoint expires) = 0;
  // Ends the lease at once (orderly shutdown): the other nodes take the executions right away.
  virtual void leave(const std::string& node) = 0;
  // The owner of a RUNNING execution, and whether its lease is live at `now`; nullopt when the
  // execution is unknown or closed.
  struct Owner {
    std::string node;
    bool alive = false;
  };
  virtual std::optional<Owner> owner(const std::string& execution_arn, TimePoint now) = 0;
  // Makes `node` the owner of at most `limit` RUNNING executions whose owner is dead at `now`;
  // returns their ARNs. Two nodes never get the same execution.
  virtual std::vector<std::string> claim_orphans(const std::string& node, TimePoint now,
                                                 std::size_t limit) = 0;
  // The same for one execution: true when `node` owns it afterwards (it did, or its owner was
  // dead), false when a live other node owns it or it is not RUNNING.
  virtual bool claim_execution(const std::string& execution_arn, const std::string& node,
                               TimePoint now) = 0;

  // Appends to the execution's inbox and wakes its owner `owner_node`; returns the entry's seq.
  virtual long long forward(const InboxEntry& entry, const std::string& owner_node) = 0;
  // Whether the entry is still waiting to be handled.
  virtual bool in_inbox(long long seq) = 0;
  // The inbox entries of the executions `node` owns, oldest first, at most `limit`.
  virtual std::vector<InboxEntry> inbox(const std::string& node, std::size_t limit) = 0;
  // Removes a handled entry.
  virtual void remove_entry(long long seq) = 0;
  // Waits at most `timeout` for a wake of `node` (returns at once if one came since the last
  // call). Without a notification channel it just waits: the node then polls its inbox.
  virtual void wait_wake(const std::string& node, std::chrono::milliseconds timeout) = 0;
  // Ends a wait_wake in progress (shutdown).
  virtual void interrupt() = 0;
};

// The coordination tables live next to the store's own in the same SQLite file (several
// processes on one machine share it through SQLite's file locks). Open the store first.
std::unique_ptr<Cluster> open_sqlite_cluster(const std::string& path);

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
