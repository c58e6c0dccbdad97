// The in-memory Store: one mutex around plain maps. The Express store and the fake for tests.
#include "store/page_token.hpp"
#include "store/step_rules.hpp"
#include "store/store.hpp"

#include <limits>
#include <map>
#include <mutex>
#include <utility>

namespace stepline::store {

namespace {

struct StoredResource {
  Resource resource;
  long long seq = 0;
};

struct StoredExecution {
  ExecutionRecord record;
  long long seq = 0;
  std::map<long long, json::Value> history;  // by event id
};

struct StoredTask {
  TaskRecord task;
  long long seq = 0;
};

// Walks an ordered map from a token position, forwards or backwards, collecting a page.
template <typename Map, typename Accept, typename Emit>
void page_over(const Map& map, const PageRequest& page, Accept accept, Emit emit,
               std::string& next_token) {
  const std::size_t limit = page_limit(page);
  std::size_t taken = 0;
  auto visit = [&](auto begin, auto end) {
    for (auto it = begin; it != end; ++it) {
      if (!accept(it->second)) continue;
      if (taken == limit) {
        next_token = encode_page_token(it->first);
        return;
      }
      emit(it->second);
      ++taken;
    }
  };
  if (!page.reverse) {
    auto begin = page.token.empty() ? map.begin() : map.lower_bound(decode_page_token(page.token));
    visit(begin, map.end());
  } else {
    auto end = page.token.empty() ? map.end() : map.upper_bound(decode_page_token(page.token));
    visit(std::make_reverse_iterator(end), map.rend());
  }
}

class MemoryStore final : public Store {
 public:
  WriteResult write_resources(const std::vector<ResourceWrite>& writes) override {
    std::lock_guard lock(mutex_);
    // Check against the state the earlier writes of the batch leave behind.
    std::map<std::pair<ResourceKind, std::string>, Version> planned;
    for (std::size_t i = 0; i < writes.size(); ++i) {
      const auto key = std::pair(writes[i].resource.kind, writes[i].resource.arn);
      Version current = 0;
      if (auto p = planned.find(key); p != planned.end()) {
        current = p->second;
      } else if (auto r = resources_.find(key); r != resources_.end()) {
        current = r->second.resource.version;
      }
      if (current != writes[i].expected_version) {
        WriteResult failed{false, i, std::nullopt};
        if (auto r = resources_.find(key); r != resources_.end())
          failed.current = r->second.resource;
        return failed;
      }
      planned[key] = writes[i].erase ? 0 : current + 1;
    }
    for (const auto& w : writes) {
      const auto key = std::pair(w.resource.kind, w.resource.arn);
      if (w.erase) {
        resources_.erase(key);
        continue;
      }
      auto [it, inserted] = resources_.try_emplace(key);
      if (inserted) it->second.seq = ++next_seq_;
      it->second.resource = w.resource;
      it->second.resource.version = w.expected_version + 1;
    }
    return {};
  }

  std::optional<Resource> get_resource(ResourceKind kind, const std::string& arn) override {
    std::lock_guard lock(mutex_);
    auto it = resources_.find(std::pair(kind, arn));
    if (it == resources_.end()) return std::nullopt;
    return it->second.resource;
  }

  Page<Resource> list_resources(ResourceKind kind, const std::string& parent_arn,
                                const PageRequest& page) override {
    std::lock_guard lock(mutex_);
    std::map<long long, const Resource*> ordered;
    for (const auto& [key, stored] : resources_) {
      if (key.first == kind && (parent_arn.empty() || stored.resource.parent_arn == parent_arn)) {
        ordered.emplace(stored.seq, &stored.resource);
      }
    }
    Page<Resource> out;
    page_over(
        ordered, page, [](const Resource*) { return true; },
        [&](const Resource* r) { out.items.push_back(*r); }, out.next_token);
    return out;
  }

  CreateResult create_execution(const NewExecution& execution) override {
    std::lock_guard lock(mutex_);
    if (auto it = executions_.find(execution.summary.arn); it != executions_.end()) {
      const auto& existing = it->second.record;
      const bool retry = existing.summary.status == "RUNNING" && existing.input == execution.input;
      return {retry ? CreateStatus::AlreadyRunning : CreateStatus::AlreadyExists, existing.summary};
    }
    for (const auto& event : execution.first_step.events) event_id(event);
    StoredExecution stored;
    stored.seq = ++next_seq_;
    stored.record.summary = execution.summary;
    stored.record.input = execution.input;
    stored.record.owner = execution.owner;
    stored.record.version = 0;
    auto& placed = executions_.emplace(execution.summary.arn, std::move(stored)).first->second;
    execution_order_[placed.seq] = execution.summary.arn;
    ExecutionStep first = execution.first_step;
    first.execution_arn = execution.summary.arn;
    apply(placed, first);
    return {CreateStatus::Created, placed.record.summary};
  }

  CommitResult commit(const Commit& commit) override {
    std::lock_guard lock(mutex_);
    std::map<std::string, Version> planned;
    for (std::size_t i = 0; i < commit.steps.size(); ++i) {
      const auto& step = commit.steps[i];
      auto it = executions_.find(step.execution_arn);
      if (it == executions_.end()) return {CommitStatus::NotFound, i};
      const auto& owner = it->second.record.owner;
      if (!owner.empty() && owner != commit.lease) return {CommitStatus::LeaseLost, i};
      auto p = planned.find(step.execution_arn);
      const Version current = p != planned.end() ? p->second : it->second.record.version;
      if (current != step.expected_version) return {CommitStatus::VersionConflict, i};
      for (const auto& event : step.events) event_id(event);
      planned[step.execution_arn] = current + 1;
    }
    for (const auto& step : commit.steps) apply(executions_.at(step.execution_arn), step);
    return {};
  }

  std::optional<ExecutionRecord> load_execution(const std::string& arn) override {
    std::lock_guard lock(mutex_);
    auto it = executions_.find(arn);
    if (it == executions_.end()) return std::nullopt;
    return it->second.record;
  }

  Page<ExecutionSummary> list_executions(const ExecutionFilter& filter,
                                         const PageRequest& page) override {
    std::lock_guard lock(mutex_);
    // Newest first is the natural order here, so "reverse" walks the map forwards.
    PageRequest walk = page;
    walk.reverse = !page.reverse;
    Page<ExecutionSummary> out;
    page_over(
        execution_order_, walk,
        [&](const std::string& arn) {
          const auto& s = executions_.at(arn).record.summary;
          return (filter.state_machine_arn.empty() ||
                  s.state_machine_arn == filter.state_machine_arn) &&
                 (filter.status.empty() || s.status == filter.status);
        },
        [&](const std::string& arn) { out.items.push_back(executions_.at(arn).record.summary); },
        out.next_token);
    return out;
  }

  Page<json::Value> read_history(const std::string& execution_arn,
                                 const PageRequest& page) override {
    std::lock_guard lock(mutex_);
    Page<json::Value> out;
    auto it = executions_.find(execution_arn);
    if (it == executions_.end()) return out;
    page_over(
        it->second.history, page, [](const json::Value&) { return true; },
        [&](const json::Value& e) { out.items.push_back(e); }, out.next_token);
    return out;
  }

  std::vector<TimerRecord> due_timers(TimePoint now, std::size_t limit) override {
    std::lock_guard lock(mutex_);
    std::multimap<TimePoint, const TimerRecord*> by_due;
    for (const auto& [key, timer] : timers_) {
      if (timer.due <= now) by_due.emplace(timer.due, &timer);
    }
    std::vector<TimerRecord> out;
    for (const auto& [due, timer] : by_due) {
      if (out.size() == limit) break;
      out.push_back(*timer);
    }
    return out;
  }

  std::optional<TaskRecord> find_task(const std::string& token) override {
    std::lock_guard lock(mutex_);
    auto it = tasks_.find(token);
    if (it == tasks_.end()) return std::nullopt;
    return it->second.task;
  }

  std::optional<TaskRecord> claim_activity_task(const std::string& activity_arn,
                                                const std::string& worker) override {
    std::lock_guard lock(mutex_);
    StoredTask* oldest = nullptr;
    for (auto& [token, stored] : tasks_) {
      if (stored.task.activity_arn == activity_arn && stored.task.claimed_by.empty() &&
          (oldest == nullptr || stored.seq < oldest->seq)) {
        oldest = &stored;
      }
    }
    if (oldest == nullptr) return std::nullopt;
    oldest->task.claimed_by = worker;
    return oldest->task;
  }

  std::vector<TimerRecord> execution_timers(const std::string& execution_arn) override {
    std::lock_guard lock(mutex_);
    std::vector<TimerRecord> out;
    for (auto it =
             timers_.lower_bound(std::pair(execution_arn, std::numeric_limits<long long>::min()));
         it != timers_.end() && it->first.first == execution_arn; ++it) {
      out.push_back(it->second);
    }
    return out;
  }

  std::vector<TaskRecord> open_tasks(const std::string& execution_arn) override {
    std::lock_guard lock(mutex_);
    std::map<long long, const TaskRecord*> by_seq;
    for (const auto& [token, stored] : tasks_) {
      if (stored.task.execution_arn == execution_arn) by_seq.emplace(stored.seq, &stored.task);
    }
    std::vector<TaskRecord> out;
    for (const auto& [seq, task] : by_seq) out.push_back(*task);
    return out;
  }

  Counts counts() override {
    std::lock_guard lock(mutex_);
    Counts c;
    for (const auto& [key, stored] : resources_) {
      if (key.first == ResourceKind::StateMachine) ++c.state_machines;
      if (key.first == ResourceKind::Activity) ++c.activities;
    }
    for (const auto& [arn, stored] : executions_) {
      if (stored.record.summary.status == "RUNNING") ++c.open_executions;
    }
    return c;
  }

 private:
  void apply(StoredExecution& target, const ExecutionStep& step) {
    auto& record = target.record;
    const std::string& arn = record.summary.arn;
    record.frame = step.frame;
    ++record.version;
    if (step.status) record.summary.status = *step.status;
    if (step.stop_date) record.summary.stop_date = step.stop_date;
    if (step.attributes) record.summary.attributes = *step.attributes;
    for (const auto& event : step.events) target.history[event_id(event)] = event;
    record.history_length = static_cast<long long>(target.history.size());
    for (long long id : step.clear_timers) timers_.erase(std::pair(arn, id));
    for (const auto& timer : step.arm_timers) {
      TimerRecord placed = timer;
      placed.execution_arn = arn;
      timers_[std::pair(arn, timer.id)] = std::move(placed);
    }
    for (const auto& token : step.finish_tasks) tasks_.erase(token);
    for (const auto& task : step.add_tasks) {
      StoredTask placed{task, ++next_seq_};
      placed.task.execution_arn = arn;
      placed.task.claimed_by.clear();
      tasks_[task.token] = std::move(placed);
    }
    if (is_closed_status(record.summary.status)) {
      std::erase_if(timers_, [&](const auto& t) { return t.first.first == arn; });
      std::erase_if(tasks_, [&](const auto& t) { return t.second.task.execution_arn == arn; });
    }
  }

  std::mutex mutex_;
  long long next_seq_ = 0;
  std::map<std::pair<ResourceKind, std::string>, StoredResource> resources_;
  std::map<std::string, StoredExecution> executions_;
  std::map<long long, std::string> execution_order_;  // seq -> arn
  std::map<std::pair<std::string, long long>, TimerRecord> timers_;
  std::map<std::string, StoredTask> tasks_;
};

}  // namespace

std::unique_ptr<Store> open_memory_store() {
  return std::make_unique<MemoryStore>();
}

}  // namespace stepline::store
