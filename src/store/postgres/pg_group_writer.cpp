#include "store/postgres/pg_group_writer.hpp"

namespace stepline::store::postgres {

namespace {
constexpr int kAttempts = 3;  // a deadlock between nodes rarely repeats
}

GroupWriter::GroupWriter(std::function<std::unique_ptr<Connection>()> connect,
                         std::size_t max_batch, int window_micros)
    : connect_(std::move(connect)),
      db_(connect_()),
      queue_(max_batch, window_micros, [this](Queue::Batch& batch) { commit_batch(batch); }) {}

void GroupWriter::commit_batch(Queue::Batch& batch) {
  for (int attempt = 1;; ++attempt) {
    for (auto* p : batch) p->error = nullptr;
    try {
      if (!db_ || !db_->healthy()) {
        db_.reset();
        db_ = connect_();
      }
      run_batch_once(batch);
      return;
    } catch (const PgError& e) {
      rollback();
      if (e.retryable() && attempt < kAttempts) continue;
      auto error = std::current_exception();
      for (auto* p : batch) p->error = error;
      return;
    } catch (...) {
      auto error = std::current_exception();
      rollback();
      for (auto* p : batch) p->error = error;
      return;
    }
  }
}

void GroupWriter::rollback() {
  if (!db_) return;
  db_->discard();  // statements of the failed batch still queued
  try {
    if (db_->healthy()) db_->exec("ROLLBACK");
  } catch (...) {  // no transaction was open
  }
}

void GroupWriter::run_batch_once(Queue::Batch& batch) {
  // BEGIN, SAVEPOINT and RELEASE ride along with the writes' own statements (no round trip of
  // their own); COMMIT sends whatever is still queued.
  db_->send("BEGIN");
  for (auto* p : batch) {
    db_->send("SAVEPOINT write");
    bool keep = false;
    try {
      keep = (*p->write)(*db_);
    } catch (const PgError& e) {
      // A deadlock aborts the transaction: the batch is retried as a whole.
      if (e.retryable() || !db_->healthy()) throw;
      p->error = std::current_exception();
    } catch (...) {
      p->error = std::current_exception();
    }
    if (!keep) db_->send("ROLLBACK TO SAVEPOINT write");
    db_->send("RELEASE SAVEPOINT write");
  }
  db_->exec("COMMIT");
}

}  // namespace stepline::store::postgres
