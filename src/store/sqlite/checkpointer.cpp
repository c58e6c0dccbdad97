#include "store/sqlite/checkpointer.hpp"

#include <cstdio>

namespace stepline::store::sqlite {

Checkpointer::Checkpointer(const std::string& path, Connection& writer, int background_pages,
                           int inline_pages)
    : writer_(writer), db_(std::make_unique<Connection>(path)), thread_([this] { loop(); }) {
  // A connection that has read nothing does not know the file is in WAL mode, and its
  // checkpoints would do nothing at all.
  db_->exec("PRAGMA journal_mode = WAL");
  writer_.on_wal_commit([this, background_pages, inline_pages](int pages) {
    if (pages >= inline_pages) return true;
    if (pages >= background_pages) {
      {
        std::lock_guard lock(mutex_);
        due_ = true;
      }
      wake_.notify_one();
    }
    return false;
  });
}

Checkpointer::~Checkpointer() {
  writer_.on_wal_commit(nullptr);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Checkpointer::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return due_ || stopping_; });
    if (stopping_) return;
    due_ = false;
    lock.unlock();
    try {
      db_->checkpoint_passive();
    } catch (const std::exception& e) {
      // The log only grows until the next try: nothing is lost.
      std::fprintf(stderr, "stepline store: a WAL checkpoint failed: %s\n", e.what());
    }
    lock.lock();
  }
}

}  // namespace stepline::store::sqlite
