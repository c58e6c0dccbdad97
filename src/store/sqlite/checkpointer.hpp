// Moves SQLite's WAL checkpoints off the writer: after a commit leaves the log longer than a
// threshold, a thread of its own (with its own connection) copies the log into the database
// with a PASSIVE checkpoint, which neither blocks nor waits for the writer. With SQLite's
// automatic checkpoint, the committing thread itself would copy and fsync tens of megabytes
// while every step of every execution waits for it.
#pragma once

#include "store/sqlite/connection.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace stepline::store::sqlite {

class Checkpointer {
 public:
  // Watches the commits of `writer` (replacing its automatic checkpoint): past
  // `background_pages` the thread checkpoints; past `inline_pages` (the thread has not kept up,
  // or commits never left it a moment to finish) the writer checkpoints itself, as SQLite's
  // automatic checkpoint would, so the log stays bounded.
  Checkpointer(const std::string& path, Connection& writer, int background_pages, int inline_pages);
  // Stops the thread (before the writer closes); what is left in the log is checkpointed when
  // the last connection closes.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  void loop();

  Connection& writer_;
  std::unique_ptr<Connection> db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace stepline::store::sqlite
