// Group commit: one thread owns the write connection and runs the writes of many callers in one
// transaction (one fsync), each inside its own savepoint so one caller's refusal or failure does
// not undo the others. A caller returns only after the transaction holding its write is durable.
// A caller that has gathered a group itself (the runtime's committer) runs it at once instead.
#pragma once

#include "store/group_commit_queue.hpp"
#include "store/sqlite/connection.hpp"

#include <functional>
#include <mutex>

namespace stepline::store::sqlite {

class GroupWriter {
 public:
  // A write: returns true to keep its changes, false to have them rolled back (a refused
  // commit). Exceptions roll it back too and are rethrown to the caller.
  using Write = std::function<bool(Connection&)>;

  GroupWriter(Connection& db, std::size_t max_batch, int window_micros);

  // Runs `write` in the next batch and waits until that batch is committed.
  void run(const Write& write) { queue_.run(write); }
  // Runs `write` as a transaction of its own on the caller's thread, at once: for a write that
  // is a whole group already, which neither needs the window nor should pay a thread hand-off.
  void run_now(const Write& write);

 private:
  using Queue = GroupCommitQueue<Write>;
  void commit_batch(Queue::Batch& batch);

  Connection& db_;
  std::mutex db_mutex_;  // the connection: the queue's thread or a run_now caller
  Queue queue_;          // last: its thread uses db_
};

}  // namespace stepline::store::sqlite
