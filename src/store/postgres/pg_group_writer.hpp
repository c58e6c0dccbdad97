// Group commit on PostgreSQL: one thread owns the write connection and runs the writes of many
// callers in one transaction (one WAL flush), each inside its own savepoint so one caller's
// refusal or failure does not undo the others. A caller returns only after the transaction
// holding its write is committed. A deadlock with another node retries the whole transaction;
// a lost connection is reopened for the next batch (the callers of the lost one get PgError).
#pragma once

#include "store/postgres/pg_connection.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace stepline::store::postgres {

class GroupWriter {
 public:
  // A write: returns true to keep its changes, false to have them rolled back (a refused
  // commit). Exceptions roll it back too and are rethrown to the caller. A write may run more
  // than once (retries): it must start from a clean result each time.
  using Write = std::function<bool(Connection&)>;

  GroupWriter(std::function<std::unique_ptr<Connection>()> connect, std::size_t max_batch,
              int window_micros);
  ~GroupWriter();
  GroupWriter(const GroupWriter&) = delete;
  GroupWriter& operator=(const GroupWriter&) = delete;

  // Runs `write` in the next batch and waits until that batch is committed.
  void run(const Write& write);

 private:
  struct Pending {
    const Write* write = nullptr;
    bool done = false;
    std::exception_ptr error;
  };
  void loop();
  void commit_batch(std::deque<Pending*>& batch);
  void run_batch_once(std::deque<Pending*>& batch);
  void rollback();

  std::function<std::unique_ptr<Connection>()> connect_;
  std::unique_ptr<Connection> db_;
  const std::size_t max_batch_;
  const int window_micros_;
  std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::condition_variable wake_callers_;
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace stepline::store::postgres
