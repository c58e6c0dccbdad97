#include "store/sqlite/group_writer.hpp"

namespace stepline::store::sqlite {

GroupWriter::GroupWriter(Connection& db, std::size_t max_batch, int window_micros)
    : db_(db),
      queue_(max_batch, window_micros, [this](Queue::Batch& batch) { commit_batch(batch); }) {}

void GroupWriter::run_now(const Write& write) {
  Queue::Pending pending{&write};
  Queue::Batch batch{&pending};
  commit_batch(batch);
  if (pending.error) std::rethrow_exception(pending.error);
}

void GroupWriter::commit_batch(Queue::Batch& batch) {
  std::lock_guard lock(db_mutex_);
  try {
    db_.exec("BEGIN IMMEDIATE");
    for (auto* p : batch) {
      db_.exec("SAVEPOINT write");
      bool keep = false;
      try {
        keep = (*p->write)(db_);
      } catch (...) {
        p->error = std::current_exception();
      }
      if (!keep) db_.exec("ROLLBACK TO write");
      db_.exec("RELEASE write");
    }
    db_.exec("COMMIT");
  } catch (...) {
    // Nothing of this batch is durable: every caller hears so.
    auto error = std::current_exception();
    try {
      db_.exec("ROLLBACK");
    } catch (...) {  // no transaction was open
    }
    for (auto* p : batch) p->error = error;
  }
}

}  // namespace stepline::store::sqlite
