// Group commit on PostgreSQL: one thread owns the write connection and runs the writes of many
// callers in one transaction (one WAL flush), each inside its own savepoint so one caller's
// refusal or failure does not undo the others. A caller returns only after the transaction
// holding its write is committed. A deadlock with another node retries the whole transaction;
// a lost connection is reopened for the next batch (the callers of the lost one get PgError).
#pragma once

#include "store/group_commit_queue.hpp"
#include "store/postgres/pg_connection.hpp"

#include <functional>
#include <memory>

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
  void run(const Write& write) { queue_.run(write); }

 private:
  using Queue = GroupCommitQueue<Write>;
  void commit_batch(Queue::Batch& batch);
  void run_batch_once(Queue::Batch& batch);
  void rollback();

  std::function<std::unique_ptr<Connection>()> connect_;
  std::unique_ptr<Connection> db_;
  Queue queue_;  // last: its thread uses db_
};

}  // namespace stepline::store::postgres
