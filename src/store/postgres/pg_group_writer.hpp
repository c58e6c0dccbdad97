// Group commit on PostgreSQL: one thread owns the write connection and runs the writes of many
// callers in one transaction (one WAL flush). Creates and commits of executions are written
// set-wise, all callers' together, in a constant number of round trips (pg_execution_writes.hpp);
// other writes run each inside a savepoint so one caller's refusal or failure does not undo the
// others. A caller returns only after the transaction holding its write is committed. A
// deadlock with another node retries the whole transaction; a failing set-wise statement reruns
// the batch one write at a time; a lost connection is reopened for the next batch (the callers
// of the lost one get PgError).
#pragma once

#include "store/group_commit_queue.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_execution_writes.hpp"

#include <functional>
#include <memory>
#include <mutex>

namespace stepline::store::postgres {

class GroupWriter {
 public:
  // A write: returns true to keep its changes, false to have them rolled back (a refused
  // commit). Exceptions roll it back too and are rethrown to the caller. A write may run more
  // than once (retries): it must start from a clean result each time.
  using Write = std::function<bool(Connection&)>;

  GroupWriter(std::function<std::unique_ptr<Connection>()> connect, std::size_t max_batch,
              int window_micros);

  // Runs `write` in the next batch and waits until that batch is committed.
  void run(const Write& write) { queue_.run(Work{&write, nullptr}); }
  // The same for creates and commits of executions: `writes.result` is filled; its error, if
  // any, is rethrown.
  void run(ExecutionWrites& writes) { queue_.run(Work{nullptr, &writes}); }
  // Runs `writes` as a batch of its own at once on the caller's thread: for a caller that
  // batches already (the runtime's committer), to which the group window is only delay.
  void run_now(ExecutionWrites& writes);

 private:
  struct Work {
    const Write* write = nullptr;
    ExecutionWrites* executions = nullptr;
  };
  using Queue = GroupCommitQueue<Work>;
  void commit_batch(Queue::Batch& batch);
  void run_batch_once(Queue::Batch& batch, bool set_wise);
  void rollback();

  std::function<std::unique_ptr<Connection>()> connect_;
  std::mutex db_mutex_;  // db_: the queue's thread or a run_now caller
  std::unique_ptr<Connection> db_;
  Queue queue_;  // last: its thread uses db_
};

}  // namespace stepline::store::postgres
