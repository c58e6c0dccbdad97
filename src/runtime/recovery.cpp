// After a restart: every RUNNING Standard execution comes back into memory from its last
// committed step, with its timers re-armed at their original due times, its activity tasks
// queued (or still held by the worker that claimed them) and its other tasks dispatched again.
#include "common/arns.hpp"
#include "engine/frame_codec.hpp"
#include "runtime/execution_attributes.hpp"
#include "runtime/runtime_impl.hpp"

#include <cstdio>
#include <mutex>
#include <shared_mutex>

namespace stepline::runtime {

namespace {

std::string string_at(const json::Object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// "arn:aws:states:r:a:stateMachine:Name" → "Name".
std::string machine_name(const std::string& state_machine_arn) {
  const auto at = state_machine_arn.find(":stateMachine:");
  if (at == std::string::npos) return {};
  auto name = state_machine_arn.substr(at + 14);
  return name.substr(0, name.find(':'));
}

TaskKind kind_of(const std::string& kind) {
  if (kind == "activity") return TaskKind::Activity;
  if (kind == "callback") return TaskKind::Callback;
  return TaskKind::Invoke;
}

OpenTask open_task(const store::TaskRecord& record) {
  const auto* payload = record.payload.if_object();
  OpenTask task;
  task.token = record.token;
  task.activity_arn = record.activity_arn;
  if (!payload) return task;
  task.kind = kind_of(string_at(*payload, "kind"));
  task.resource = string_at(*payload, "resource");
  if (const auto* thread = payload->if_contains("thread")) {
    task.thread = static_cast<int>(thread->to_number<long long>());
  }
  return task;
}

}  // namespace

void RuntimeImpl::recover() {
  store::ExecutionFilter filter;
  filter.status = "RUNNING";
  store::PageRequest page;
  page.limit = 1000;
  page.reverse = true;  // oldest first
  std::size_t resumed = 0, failed = 0, elsewhere = 0;
  for (;;) {
    auto listed = durable_.list_executions(filter, page);
    for (const auto& summary : listed.items) {
      if (find(summary.arn)) continue;
      // In a cluster only what this node owns, or takes over from a dead node, comes back here.
      if (cluster_ && !claim_for_node(summary.arn)) {
        drop_evicted(summary.arn);  // evicted before this node lost its lease
        ++elsewhere;
        continue;
      }
      (resume(summary.arn) ? resumed : failed)++;
    }
    if (listed.next_token.empty()) break;
    page.token = listed.next_token;
  }
  if (failed) {
    std::fprintf(stderr, "stepline runtime: recovered %zu executions, %zu could not be resumed\n",
                 resumed, failed);
  }
  if (cluster_) {
    std::fprintf(stderr, "stepline cluster: %s resumed %zu executions; %zu run on other nodes\n",
                 options_.node_id.c_str(), resumed, elsewhere);
  }
}

bool RuntimeImpl::resume(const std::string& arn) {
  // A load can race a reload of the same evicted execution that steps and is evicted again: the
  // stub's version then says the record read was older, and the record is read again.
  for (int attempt = 0; attempt < 8; ++attempt) {
    if (find(arn)) return true;
    bool evicted = false;
    {
      std::shared_lock lock(executions_mutex_);
      evicted = evicted_.count(arn) > 0;
    }
    // In a cluster the execution must be this node's first (it takes over a dead node's), and
    // loaded only then: steps its previous owner committed until the claim are all in the
    // record. An evicted execution is still this node's (a lost lease drops the stubs).
    if (cluster_ && !evicted && !claim_for_node(arn)) return false;
    auto record = durable_.load_execution(arn);
    if (!record || record->summary.status != "RUNNING") {
      drop_evicted(arn);
      return false;
    }
    auto x = load_execution_state(*record);
    if (!x) {
      drop_evicted(arn);
      return false;
    }
    auto timers = durable_.execution_timers(arn);
    auto tasks = durable_.open_tasks(arn);
    x->busy = true;  // events wait until the timers and tasks below are in place
    bool stub = false, as_evicted = false;
    std::vector<Inbound> pending;
    {
      std::unique_lock lock(executions_mutex_);
      if (executions_.count(arn)) return true;  // resumed meanwhile by another caller
      if (auto it = evicted_.find(arn); it != evicted_.end()) {
        if (it->second.version > x->version) continue;  // read before a later step: again
        stub = true;
        // As it was evicted: its timers are still armed and its tasks still out. A newer record
        // (another node stepped it meanwhile) is resumed as after a restart.
        as_evicted = it->second.version == x->version;
        pending = std::move(it->second.pending);
        if (it->second.parent) x->parent = *it->second.parent;
        evicted_.erase(it);
      }
      executions_[arn] = x;
    }
    if (!stub) ++open_standard_;
    if (as_evicted) {
      if (options_.observer) options_.observer->execution_reloaded(x->machine.state_machine_arn);
      restore_waits(x, timers, tasks);
    } else {
      resume_waits(x, timers, tasks);
    }
    if (!pending.empty()) {
      std::lock_guard lock(x->mutex);
      for (auto& inbound : pending) x->inbox.push_back(std::move(inbound));
    }
    continue_drain(x);
    return true;
  }
  std::fprintf(stderr, "stepline runtime: %s: kept changing while being reloaded\n", arn.c_str());
  return false;
}

std::shared_ptr<Execution> RuntimeImpl::load_execution_state(const store::ExecutionRecord& record) {
  const std::string& arn = record.summary.arn;
  const auto& attrs = record.summary.attributes;
  const std::string revision_arn = string_at(attrs, attributes::kRevisionArn);
  auto revision = revision_arn.empty()
                      ? std::nullopt
                      : durable_.get_resource(store::ResourceKind::Revision, revision_arn);
  if (!revision || !revision->document.is_object()) {
    std::fprintf(stderr, "stepline runtime: %s: its definition (revision '%s') is missing\n",
                 arn.c_str(), revision_arn.c_str());
    return nullptr;
  }
  const auto& doc = revision->document.as_object();
  auto x = std::make_shared<Execution>();
  MachineRef& m = x->machine;
  m.state_machine_arn = record.summary.state_machine_arn;
  m.state_machine_name = machine_name(m.state_machine_arn);
  m.version_arn = string_at(attrs, attributes::kVersionArn);
  m.alias_arn = string_at(attrs, attributes::kAliasArn);
  m.revision_arn = revision_arn;
  m.role_arn = string_at(doc, "roleArn");
  m.express = false;
  if (const auto* logging = doc.if_contains("loggingConfiguration")) {
    m.logging_configuration = *logging;
  }
  m.mock_test_case = string_at(attrs, attributes::kMockTestCase);
  std::string definition;
  if (const auto* d = doc.if_contains("definition")) {
    definition = d->is_string() ? std::string(d->as_string()) : json::dump(*d);
  }
  try {
    auto machine = machines_.get(revision_arn, definition, false);
    if (!m.mock_test_case.empty() && mock_config_) {
      auto test_case = mock_config_->test_case(m.state_machine_name, m.mock_test_case);
      for (const auto& [state, response] : test_case.responses) x->mocked_states.insert(state);
      x->mock =
          std::make_unique<integrations::mock::MockInvoker>(std::move(test_case), options_.invoker);
    }
    x->frame = engine::frame_from_json(record.frame);
    x->arn = arn;
    x->name = record.summary.name;
    x->trace_header = string_at(attrs, attributes::kTraceHeader);
    x->input_text = record.input;
    x->start_date = record.summary.start_date;
    x->version = record.version;
    // One node: this process continues the previous one's lease. A cluster node owns it now.
    x->lease = cluster_ ? options_.node_id : record.owner;
    engine::ExecutionInfo info;
    info.execution_arn = arn;
    info.execution_name = x->name;
    info.state_machine_arn = m.state_machine_arn;
    info.state_machine_name = m.state_machine_name;
    info.role_arn = m.role_arn;
    info.region = location_.region;
    info.account = location_.account;
    x->ids = std::make_unique<ExecutionIds>(ids_, arn);
    x->interpreter = std::make_unique<engine::Interpreter>(machine, std::move(info), x->ids.get());
    x->interpreter->set_activity_check(activity_check());
    x->interpreter->set_iteration_helpers(map_helpers_.get());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stepline runtime: %s cannot be resumed: %s\n", arn.c_str(), e.what());
    return nullptr;
  }
  return x;
}

void RuntimeImpl::restore_waits(const ExecutionPtr& x,
                                const std::vector<store::TimerRecord>& timers,
                                const std::vector<store::TaskRecord>& tasks) {
  for (const auto& timer : timers) {
    const auto* thread =
        timer.payload.is_object() ? timer.payload.as_object().if_contains("thread") : nullptr;
    x->timers[timer.id] = {timer.due,
                           thread ? static_cast<int>(thread->to_number<long long>()) : -1};
  }
  for (const auto& record_task : tasks) x->tasks[record_task.id] = open_task(record_task);
}

void RuntimeImpl::resume_waits(const ExecutionPtr& x, const std::vector<store::TimerRecord>& timers,
                               const std::vector<store::TaskRecord>& tasks) {
  for (const auto& timer : timers) arm_timer(x, timer);
  for (const auto& record_task : tasks) {
    const auto& payload =
        record_task.payload.is_object() ? record_task.payload.as_object() : json::Object{};
    OpenTask task = open_task(record_task);
    x->tasks[record_task.id] = task;
    if (task.kind == TaskKind::Activity) {
      // A claimed task stays with its worker, whose SendTask* calls still work.
      if (record_task.claimed_by.empty()) activity_queued(task.activity_arn);
      continue;
    }
    integrations::TaskRequest request;
    request.execution_arn = x->arn;
    request.state_machine_name = x->machine.state_machine_name;
    request.state_name = string_at(payload, "state");
    request.resource = task.resource;
    if (const auto* input = payload.if_contains("input")) request.input = *input;
    if (payload.contains("taskToken")) request.task_token = string_at(payload, "taskToken");
    if (const auto* t = payload.if_contains("timeoutSeconds")) {
      request.timeout_seconds = t->to_number<long long>();
    }
    if (const auto* h = payload.if_contains("heartbeatSeconds")) {
      request.heartbeat_seconds = h->to_number<long long>();
    }
    dispatch(x, record_task.id, task, std::move(request));
  }
}

}  // namespace stepline::runtime
