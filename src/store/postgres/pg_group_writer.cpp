#include "store/postgres/pg_group_writer.hpp"

#include <chrono>

namespace stepline::store::postgres {

namespace {
constexpr int kAttempts = 3;  // a deadlock between nodes rarely repeats
}

GroupWriter::GroupWriter(std::function<std::unique_ptr<Connection>()> connect,
                         std::size_t max_batch, int window_micros)
    : connect_(std::move(connect)),
      db_(connect_()),
      max_batch_(max_batch == 0 ? 1 : max_batch),
      window_micros_(window_micros),
      thread_([this] { loop(); }) {}

GroupWriter::~GroupWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_writer_.notify_all();
  thread_.join();
}

void GroupWriter::run(const Write& write) {
  Pending pending{&write};
  std::unique_lock lock(mutex_);
  if (stopping_) throw StoreError("the store is closing");
  queue_.push_back(&pending);
  wake_writer_.notify_one();
  wake_callers_.wait(lock, [&] { return pending.done; });
  if (pending.error) std::rethrow_exception(pending.error);
}

void GroupWriter::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_writer_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    // Let more commits join while the window is open, unless the batch is already full.
    const auto close = std::chrono::steady_clock::now() + std::chrono::microseconds(window_micros_);
    while (!stopping_ && queue_.size() < max_batch_ &&
           wake_writer_.wait_until(lock, close) != std::cv_status::timeout) {
    }
    std::deque<Pending*> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    commit_batch(batch);
    lock.lock();
    for (auto* p : batch) p->done = true;
    wake_callers_.notify_all();
  }
}

void GroupWriter::commit_batch(std::deque<Pending*>& batch) {
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

void GroupWriter::run_batch_once(std::deque<Pending*>& batch) {
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
