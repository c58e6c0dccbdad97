#include "runtime/committer.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>

namespace stepline::runtime {

Committer::Committer(store::Store& store, ExecutionObserver* observer, std::size_t max_batch)
    : store_(store), observer_(observer), max_batch_(max_batch), thread_([this] { loop(); }) {}

Committer::~Committer() {
  stop();
}

void Committer::create(store::NewExecution execution, Created done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(execution), {}, std::move(done), {}});
  }
  wake_.notify_one();
}

void Committer::commit(store::ExecutionStep step, std::string lease, Committed done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back({std::move(step), std::move(lease), {}, std::move(done)});
  }
  wake_.notify_one();
}

void Committer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Committer::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    // No waiting window: while one batch is being written the next one fills up by itself.
    std::deque<Item> batch;
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    lock.unlock();
    write(batch);
    lock.lock();
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
  std::size_t c = 0, s = 0;
  for (auto& item : batch) {
    if (item.created) {
      item.created(std::move(result.creates[c++]));
    } else {
      item.committed(result.commits[s++].status);
    }
  }
}

void Committer::write_one_by_one(std::deque<Item>& batch) {
  for (auto& item : batch) {
    try {
      if (auto* create = std::get_if<store::NewExecution>(&item.write)) {
        item.created(store_.create_execution(*create));
      } else {
        store::Commit commit{item.lease, {std::move(std::get<store::ExecutionStep>(item.write))}};
        item.committed(store_.commit(commit).status);
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "stepline runtime: a store write failed: %s\n", e.what());
      if (item.created) {
        item.created(std::nullopt);
      } else {
        item.committed(store::CommitStatus::NotFound);
      }
    }
  }
}

}  // namespace stepline::runtime
