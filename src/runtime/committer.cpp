#include "runtime/committer.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>

namespace stepline::runtime {

Committer::Committer(store::Store& store, ExecutionObserver* observer, std::size_t max_batch)
    : store_(store),
      observer_(observer),
      max_batch_(max_batch),
      writer_([this] { write_loop(); }),
      continuer_([this] { continue_loop(); }) {}

Committer::~Committer() {
  stop();
}

void Committer::prepare(store::ExecutionStep& step) {
  try {
    store_.prepare(step);
  } catch (const std::exception&) {
    // Left as it was: the write reports the same failure where every store failure is handled.
  }
}

void Committer::create(store::NewExecution execution, Created done) {
  prepare(execution.first_step);
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(execution), {}, std::move(done), {}, {}, {}});
  }
  wake_writer_.notify_one();
}

void Committer::commit(store::ExecutionStep step, std::string lease, Committed done) {
  prepare(step);
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(step), std::move(lease), {}, std::move(done), {}, {}});
  }
  wake_writer_.notify_one();
}

void Committer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_writer_.notify_one();
  wake_continuer_.notify_one();
  if (writer_.joinable()) writer_.join();
  if (continuer_.joinable()) continuer_.join();
}

void Committer::write_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // While stopping, a continuation still running may queue a step: wait for it to finish.
    wake_writer_.wait(
        lock, [&] { return !queue_.empty() || (stopping_ && written_.empty() && !continuing_); });
    if (queue_.empty()) break;
    // No waiting window: while one batch is being written the next one fills up by itself.
    std::deque<Item> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    write(batch);
    lock.lock();
    written_.push_back(std::move(batch));
    wake_continuer_.notify_one();
  }
  writer_done_ = true;
  wake_continuer_.notify_one();
}

void Committer::continue_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_continuer_.wait(lock, [&] { return !written_.empty() || writer_done_; });
    if (written_.empty()) return;
    std::deque<Item> batch = std::move(written_.front());
    written_.pop_front();
    continuing_ = true;
    lock.unlock();
    for (auto& item : batch) {
      if (item.created) {
        item.created(std::move(item.create_result));
      } else {
        item.committed(item.commit_status);
      }
    }
    batch.clear();  // the executions the continuations released go here, off the writer
    lock.lock();
    continuing_ = false;
    wake_writer_.notify_one();
  }
}

void Committer::write(std::deque<Item>& batch) {
  store::WriteBatch writes;
  for (auto& item : batch) {
    if (auto* create = std::get_if<store::NewExecution>(&item.write)) {
      writes.creates.push_back(std::move(*create));
    } else {
      writes.commits.push_back(
          {item.lease, {std::move(std::get<store::ExecutionStep>(item.write))}});
    }
  }
  const auto began = std::chrono::steady_clock::now();
  store::BatchResult result;
  try {
    result = store_.write_batch(writes);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stepline runtime: a group commit failed (%s); writing one by one\n",
                 e.what());
    // Put the writes back and retry each alone, so one bad write costs only itself.
    std::size_t c = 0, s = 0;
    for (auto& item : batch) {
      if (std::holds_alternative<store::NewExecution>(item.write)) {
        item.write = std::move(writes.creates[c++]);
      } else {
        item.write = std::move(writes.commits[s++].steps.front());
      }
    }
    write_one_by_one(batch);
    return;
  }
  if (observer_) {
    observer_->store_commit(batch.size(), std::chrono::duration_cast<std::chrono::microseconds>(
                                              std::chrono::steady_clock::now() - began));
  }
  // The writes go back to their items, to be freed with them off this thread.
  std::size_t c = 0, s = 0;
  for (auto& item : batch) {
    if (item.created) {
      item.write = std::move(writes.creates[c]);
      item.create_result = std::move(result.creates[c++]);
    } else {
      item.write = std::move(writes.commits[s].steps.front());
      item.commit_status = result.commits[s++].status;
    }
  }
}

void Committer::write_one_by_one(std::deque<Item>& batch) {
  for (auto& item : batch) {
    try {
      if (auto* create = std::get_if<store::NewExecution>(&item.write)) {
        item.create_result = store_.create_execution(*create);
      } else {
        store::Commit commit{item.lease, {std::move(std::get<store::ExecutionStep>(item.write))}};
        item.commit_status = store_.commit(commit).status;
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "stepline runtime: a store write failed: %s\n", e.what());
      item.create_result = std::nullopt;
      item.commit_status = store::CommitStatus::NotFound;
    }
  }
}

}  // namespace stepline::runtime
