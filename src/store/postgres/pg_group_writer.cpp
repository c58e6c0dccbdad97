#include "store/postgres/pg_group_writer.hpp"

namespace stepline::store::postgres {

namespace {
constexpr int kAttempts = 3;  // a deadlock between nodes rarely repeats
}

GroupWriter::GroupWriter(std::function<std::unique_ptr<Connection>()> connect,
                         std::size_t max_batch, int window_micros)
    : connect_([connect = std::move(connect)] {
        auto db = connect();
        // The set-wise statements take arrays of any size against tables of any size: a generic
        // plan cached while the tables were small keeps its sequential scans as they grow (every
        // batch then reads whole tables). Planning each statement costs little against a batch.
        db->exec("SET plan_cache_mode = force_custom_plan");
        return db;
      }),
      db_(connect_()),
      queue_(max_batch, window_micros, [this](Queue::Batch& batch) { commit_batch(batch); }) {}

void GroupWriter::run_now(ExecutionWrites& writes) {
  const Work work{nullptr, &writes};
  Queue::Pending pending{&work};
  Queue::Batch batch{&pending};
  commit_batch(batch);
  if (pending.error) std::rethrow_exception(pending.error);
}

void GroupWriter::commit_batch(Queue::Batch& batch) {
  std::lock_guard lock(db_mutex_);
  bool set_wise = true;
  for (int attempt = 1;; ++attempt) {
    for (auto* p : batch) p->error = nullptr;
    try {
      if (!db_ || !db_->healthy()) {
        db_.reset();
        db_ = connect_();
      }
      run_batch_once(batch, set_wise);
      return;
    } catch (const PgError& e) {
      rollback();
      if (e.retryable() && attempt < kAttempts) continue;
      if (set_wise && db_ && db_->healthy()) {
        // A statement of the set-wise path failed: one write of the batch is at fault (a
        // duplicate event id, a create racing another node). One by one finds which.
        set_wise = false;
        attempt = 0;
        continue;
      }
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

void GroupWriter::run_batch_once(Queue::Batch& batch, bool set_wise) {
  // BEGIN, SAVEPOINT and RELEASE ride along with the writes' own statements (no round trip of
  // their own); COMMIT sends whatever is still queued.
  db_->send("BEGIN");
  std::vector<ExecutionWrites*> together;
  for (auto* p : batch) {
    if (p->write->executions != nullptr) {
      p->write->executions->error = nullptr;
      if (set_wise) {
        together.push_back(p->write->executions);
        continue;
      }
    }
    db_->send("SAVEPOINT write");
    bool keep = false;
    try {
      if (p->write->executions != nullptr) {
        write_one_by_one(*db_, *p->write->executions);
        keep = true;
      } else {
        keep = (*p->write->write)(*db_);
      }
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
  if (!together.empty()) write_set_wise(*db_, together);
  db_->exec("COMMIT");
  for (auto* p : batch) {
    if (p->write->executions != nullptr && set_wise) p->error = p->write->executions->error;
  }
}

}  // namespace stepline::store::postgres
