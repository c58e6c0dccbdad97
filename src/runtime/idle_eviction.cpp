// Idle Standard executions leave memory: one waiting days on a Wait, a callback token, an activity
// worker or a child execution holds its whole interpreter and frame (~10 KiB) for nothing. Past
// `max_idle_in_memory` executions in memory, a sweep replaces each one idle since the previous
// sweep by a stub (its store version, the `.sync` parent it reports to, events that arrive
// meanwhile); its timers stay armed in the TimerService and its tokens name it, so every event
// still finds it by ARN, and the first one reloads it from the store (resume) before it is
// stepped.
#include "runtime/runtime_impl.hpp"

#include <mutex>
#include <shared_mutex>
#include <vector>

namespace stepline::runtime {

namespace {

// Waits only on things outside this process's workers: an invocation in flight (a Lambda call on
// the dispatch pool) holds the execution anyway and answers soon, so evicting it gains nothing.
bool waits_outside(const Execution& x) {
  if (!x.callbacks_in_flight.empty()) return false;
  for (const auto& [id, task] : x.tasks) {
    if (task.kind == TaskKind::Invoke && !nested_mode(task.resource)) return false;
  }
  return true;
}

}  // namespace

void RuntimeImpl::sweep_loop() {
  std::unique_lock lock(sweep_mutex_);
  while (!sweep_stopping_) {
    sweep_wake_.wait_for(lock, options_.idle_sweep, [this] { return sweep_stopping_; });
    if (sweep_stopping_) return;
    lock.unlock();
    sweep_idle();
    lock.lock();
  }
}

void RuntimeImpl::sweep_idle() {
  std::vector<ExecutionPtr> standard;
  {
    std::shared_lock registry(executions_mutex_);
    if (executions_.size() <= options_.max_idle_in_memory) return;
    standard.reserve(executions_.size());
    // Fixed from the start: Express runs in memory only; a mock keeps its answers' progress and
    // a StartSyncExecution its caller in memory.
    for (const auto& [arn, x] : executions_) {
      if (!x->express() && !x->mock && !x->sync_done) standard.push_back(x);
    }
  }
  if (standard.size() <= options_.max_idle_in_memory) return;
  for (auto& x : standard) {
    bool idle_since_last_sweep = false;
    {
      std::lock_guard lock(x->mutex);
      if (x->busy || x->closed || x->evicted || !x->inbox.empty()) {
        x->swept_version = -1;
      } else {
        // `version` only changes while the execution is busy.
        idle_since_last_sweep = x->swept_version == x->version;
        x->swept_version = x->version;
      }
    }
    if (idle_since_last_sweep) try_evict(x);
    x.reset();  // an evicted execution is freed here, not at the end of the sweep
  }
}

void RuntimeImpl::try_evict(const ExecutionPtr& x) {
  if (stopping_) return;
  {
    std::unique_lock registry(executions_mutex_);
    std::lock_guard lock(x->mutex);
    // Checked again under both locks: nothing queued or stepping, tasks and timers as they are
    // in the store (they only change while the execution is busy).
    if (x->busy || x->closed || x->evicted || !x->inbox.empty() || !waits_outside(*x)) return;
    auto it = executions_.find(x->arn);
    if (it == executions_.end() || it->second != x) return;
    executions_.erase(it);
    x->evicted = true;
    Evicted stub;
    stub.version = x->version;
    if (x->parent) stub.parent = std::make_unique<NestedParent>(*x->parent);
    evicted_.emplace(x->arn, std::move(stub));
  }
  if (options_.observer) options_.observer->execution_evicted(x->machine.state_machine_arn);
}

bool RuntimeImpl::deliver_to_evicted(const std::string& arn, Inbound& inbound) {
  ExecutionPtr x;
  bool reload = false;
  {
    std::unique_lock registry(executions_mutex_);
    if (auto it = executions_.find(arn); it != executions_.end()) {
      x = it->second;  // reloaded meanwhile
    } else {
      auto stub = evicted_.find(arn);
      if (stub == evicted_.end()) return false;
      stub->second.pending.push_back(std::move(inbound));
      reload = !stub->second.reloading;
      stub->second.reloading = true;
    }
  }
  if (x) {
    post_event(x, std::move(inbound));
    return true;
  }
  if (reload && !workers_->post([this, arn] { resume(arn); })) drop_evicted(arn);
  return true;
}

void RuntimeImpl::drop_evicted(const std::string& arn) {
  std::vector<Inbound> pending;
  {
    std::unique_lock registry(executions_mutex_);
    auto stub = evicted_.find(arn);
    if (stub == evicted_.end()) return;
    pending = std::move(stub->second.pending);
    evicted_.erase(stub);
  }
  --open_standard_;
  for (auto& inbound : pending) answer_closed(std::move(inbound));
}

}  // namespace stepline::runtime
