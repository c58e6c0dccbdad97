// Stepping one execution: take the next inbound event, run the interpreter, turn the Step into a
// store step (frame, events, timers, tasks), commit it through the group committer, and only
// then arm timers, dispatch tasks and answer whoever waits.
#include "engine/frame_codec.hpp"
#include "runtime/execution_attributes.hpp"
#include "runtime/history_quota.hpp"
#include "runtime/runtime_impl.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace stepline::runtime {

struct RuntimeImpl::PlannedStep {
  engine::Event::Kind kind = engine::Event::Kind::Start;
  TimePoint now{};
  json::Array events;
  std::vector<store::TimerRecord> arm;
  std::vector<long long> clear;
  struct NewTask {
    long long id = 0;
    OpenTask task;
    integrations::TaskRequest request;
  };
  std::vector<NewTask> tasks;
  std::vector<long long> finished;  // effect ids of tasks this step closed
  bool closed = false;
  long long transitions = 0;
};

namespace {

json::Object task_payload(const OpenTask& task, const integrations::TaskRequest& request) {
  json::Object p;
  p["thread"] = task.thread;
  p["kind"] = task.kind == TaskKind::Activity   ? "activity"
              : task.kind == TaskKind::Callback ? "callback"
                                                : "invoke";
  p["state"] = request.state_name;
  p["resource"] = request.resource;
  p["input"] = request.input;
  if (request.task_token) p["taskToken"] = *request.task_token;
  if (request.timeout_seconds) p["timeoutSeconds"] = *request.timeout_seconds;
  if (request.heartbeat_seconds) p["heartbeatSeconds"] = *request.heartbeat_seconds;
  return p;
}

bool is_activity(const engine::Interpreter& interpreter, const engine::Frame& frame, int thread) {
  auto it = frame.threads.find(thread);
  if (it == frame.threads.end()) return false;
  const auto& blocks = interpreter.machine().blocks;
  if (it->second.block < 0 || static_cast<std::size_t>(it->second.block) >= blocks.size()) {
    return false;
  }
  const asl::State* state = blocks[it->second.block]->find(it->second.state);
  const auto* task = state ? std::get_if<asl::TaskState>(&state->spec) : nullptr;
  return task && task->kind == asl::ResourceKind::Activity;
}

std::string event_type(const json::Value& event) {
  const auto* type = event.as_object().if_contains("type");
  return type && type->is_string() ? std::string(type->as_string()) : std::string();
}

}  // namespace

void RuntimeImpl::drain(ExecutionPtr x) {
  Inbound inbound;
  {
    std::lock_guard lock(x->mutex);
    if (x->closed || x->inbox.empty()) {
      x->busy = false;
      return;
    }
    inbound = std::move(x->inbox.front());
    x->inbox.pop_front();
  }
  process(x, std::move(inbound));
}

void RuntimeImpl::continue_drain(const ExecutionPtr& x) {
  {
    std::lock_guard lock(x->mutex);
    if (x->closed || x->inbox.empty()) {
      x->busy = false;
      return;
    }
  }
  workers_->post([this, x] { drain(x); });
}

void RuntimeImpl::process(const ExecutionPtr& x, Inbound inbound) {
  engine::Event& event = inbound.event;
  if (event.kind != engine::Event::Kind::Start) event.now = clock_.now();

  // Events that no longer match what the execution waits for are answered without a step.
  if (auto* reply = std::get_if<TokenReply>(&inbound.reply)) {
    long long id = 0;
    const OpenTask* task = x->task_by_token(reply->token, &id);
    if (!task) {
      reply->done(TokenStatus::TaskTimedOut);
      return continue_drain(x);
    }
    event.thread = task->thread;
    event.effect_id = id;
  } else if (event.kind == engine::Event::Kind::TaskCompleted ||
             event.kind == engine::Event::Kind::TaskStarted) {
    auto it = x->tasks.find(event.effect_id);
    if (it == x->tasks.end()) {
      answer_closed(std::move(inbound));
      return continue_drain(x);
    }
    event.thread = it->second.thread;
  } else if (event.kind == engine::Event::Kind::TimerFired ||
             event.kind == engine::Event::Kind::TimedOut) {
    auto it = x->timers.find(event.effect_id);
    if (it == x->timers.end()) return continue_drain(x);
    event.thread = it->second.thread;
  }

  const long long next_event_id = x->frame.next_event_id;
  engine::Step step;
  try {
    step = x->interpreter->step(std::move(x->frame), event);
  } catch (const std::exception& e) {
    // The interpreter must not throw; if it does, the execution fails visibly instead of
    // taking the process down.
    std::fprintf(stderr, "stepline runtime: %s: the interpreter failed: %s\n", x->arn.c_str(),
                 e.what());
    step = engine::Step{};
    step.frame.next_event_id = next_event_id;
    fail_execution(step,
                   {std::string(errors::kRuntime),
                    fmt::format("Internal error while running the execution: {}", e.what())},
                   event.now);
  }
  if (!x->express()) enforce_history_quota(step, options_.max_history_events, event.now);
  PlannedStep planned = plan(x, std::move(step), event);

  if (x->express()) {
    if (planned.kind == engine::Event::Kind::Start) {
      std::unique_lock lock(executions_mutex_);
      executions_[x->arn] = x;
    }
    return after_commit(x, std::move(planned), std::move(inbound.reply),
                        store::CommitStatus::Committed);
  }
  store::ExecutionStep store_step = to_store_step(*x, planned);
  if (planned.kind == engine::Event::Kind::Start) {
    store::NewExecution create;
    create.summary.arn = x->arn;
    create.summary.state_machine_arn = x->machine.state_machine_arn;
    create.summary.name = x->name;
    create.summary.status = "RUNNING";
    create.summary.start_date = x->start_date;
    if (store_step.status) {
      create.summary.status = *store_step.status;
      create.summary.stop_date = store_step.stop_date;
      create.summary.attributes = *store_step.attributes;
    } else {
      create.summary.attributes = summary_attributes(*x, nullptr);
    }
    create.input = x->input_text;
    create.owner = x->lease;
    create.first_step = std::move(store_step);
    committer_->create(std::move(create), [this, x, planned = std::move(planned)](
                                              std::optional<store::CreateResult> result) mutable {
      StartResult answer;
      answer.execution_arn = x->arn;
      if (!result) {
        answer.status = StartResult::Status::Failed;
        answer.message = "The execution could not be stored";
        return x->start_done(std::move(answer));
      }
      if (result->status != store::CreateStatus::Created) {
        answer.status = result->status == store::CreateStatus::AlreadyRunning
                            ? StartResult::Status::AlreadyRunning
                            : StartResult::Status::AlreadyExists;
        answer.start_date = result->execution.start_date;
        return x->start_done(std::move(answer));
      }
      // An execution that closed in its first step is never registered: nothing can reach it.
      if (!planned.closed) {
        {
          std::unique_lock lock(executions_mutex_);
          executions_[x->arn] = x;
        }
        ++open_standard_;
      }
      after_commit(x, std::move(planned), {}, store::CommitStatus::Committed);
    });
    return;
  }
  committer_->commit(std::move(store_step), x->lease,
                     [this, x, planned = std::move(planned),
                      reply = std::move(inbound.reply)](store::CommitStatus status) mutable {
                       after_commit(x, std::move(planned), std::move(reply), status);
                     });
}

RuntimeImpl::PlannedStep RuntimeImpl::plan(const ExecutionPtr& x, engine::Step step,
                                           const engine::Event& event) {
  PlannedStep p;
  p.kind = event.kind;
  p.now = event.now;
  if (event.kind == engine::Event::Kind::Start) {
    // ExecutionStarted names the version or alias the execution was started through.
    for (auto& e : step.events) {
      if (event_type(e) != "ExecutionStarted") continue;
      auto& details = e.as_object()["executionStartedEventDetails"];
      if (!details.is_object()) details = json::Object{};
      if (!x->machine.alias_arn.empty()) {
        details.as_object()["stateMachineAliasArn"] = x->machine.alias_arn;
      }
      if (!x->machine.version_arn.empty()) {
        details.as_object()["stateMachineVersionArn"] = x->machine.version_arn;
      }
      break;
    }
    std::optional<TimePoint> deadline = x->interpreter->deadline(step.frame.start_time);
    if (x->express()) {
      const TimePoint cap = x->start_date + std::chrono::minutes(5);
      if (!deadline || *deadline > cap) deadline = cap;
    }
    if (deadline) p.arm.push_back({x->arn, 0, *deadline, json::Object{{"deadline", true}}});
  }
  if (event.kind == engine::Event::Kind::TimerFired ||
      event.kind == engine::Event::Kind::TimedOut) {
    p.clear.push_back(event.effect_id);
  }
  for (auto& effect : step.effects) {
    if (effect.kind == engine::Effect::Kind::ArmTimer) {
      p.arm.push_back({x->arn, effect.id, effect.due, json::Object{{"thread", effect.thread}}});
      continue;
    }
    PlannedStep::NewTask t;
    t.id = effect.id;
    t.task.thread = effect.thread;
    t.task.resource = effect.request.resource;
    const bool mocked = x->mock && x->mocked_states.count(effect.request.state_name) > 0;
    if (!mocked && is_activity(*x->interpreter, step.frame, effect.thread)) {
      t.task.kind = TaskKind::Activity;
      t.task.activity_arn = effect.request.resource;
      t.task.token = make_task_token(x->arn, ids_);
    } else if (effect.request.task_token) {
      t.task.kind = TaskKind::Callback;
      t.task.token = *effect.request.task_token;
    } else {
      // Recorded too, so that a restart dispatches it again (at least once, as on AWS).
      t.task.kind = TaskKind::Invoke;
      t.task.token = make_task_token(x->arn, ids_);
    }
    t.request = std::move(effect.request);
    p.tasks.push_back(std::move(t));
  }
  for (const auto& [id, task] : x->tasks) {
    auto it = step.frame.threads.find(task.thread);
    if (it == step.frame.threads.end() || it->second.status != engine::ThreadStatus::AwaitingTask ||
        it->second.task_id != id) {
      p.finished.push_back(id);
    }
  }
  for (const auto& e : step.events) {
    if (event_type(e).ends_with("StateEntered")) ++p.transitions;
  }
  p.closed = step.finished();
  if (p.closed) x->stop_date = event.now;
  p.events = std::move(step.events);
  x->frame = std::move(step.frame);
  return p;
}

json::Object RuntimeImpl::summary_attributes(const Execution& x,
                                             const engine::Frame* closed) const {
  json::Object a;
  if (!x.machine.revision_arn.empty()) a[attributes::kRevisionArn] = x.machine.revision_arn;
  if (!x.machine.version_arn.empty()) a[attributes::kVersionArn] = x.machine.version_arn;
  if (!x.machine.alias_arn.empty()) a[attributes::kAliasArn] = x.machine.alias_arn;
  if (!x.trace_header.empty()) a[attributes::kTraceHeader] = x.trace_header;
  if (!x.machine.mock_test_case.empty()) a[attributes::kMockTestCase] = x.machine.mock_test_case;
  a[attributes::kRedriveCount] = 0;
  if (closed) {
    if (closed->status == "SUCCEEDED") {
      a[attributes::kOutput] = closed->output ? json::dump(*closed->output) : "null";
    } else {
      if (closed->error.error) a[attributes::kError] = *closed->error.error;
      if (closed->error.cause) a[attributes::kCause] = *closed->error.cause;
    }
  }
  return a;
}

store::ExecutionStep RuntimeImpl::to_store_step(const Execution& x, PlannedStep& p) {
  store::ExecutionStep s;
  s.execution_arn = x.arn;
  s.expected_version = x.version;
  // A succeeded execution's frame is never read again (recovery loads running executions, and
  // only a failed, timed-out or aborted one could be redriven): neither rendered nor written.
  if (!p.closed || x.frame.status != "SUCCEEDED") s.frame = engine::frame_to_json(x.frame);
  if (p.closed) {
    s.status = x.frame.status;
    s.stop_date = p.now;
    s.attributes = summary_attributes(x, &x.frame);
  }
  s.events = std::move(p.events);  // only Express (never stored) reads them afterwards
  s.arm_timers = p.arm;
  s.clear_timers = p.clear;
  for (const auto& t : p.tasks) {
    store::TaskRecord record;
    record.token = t.task.token;
    record.execution_arn = x.arn;
    record.id = t.id;
    record.activity_arn = t.task.activity_arn;
    record.payload = task_payload(t.task, t.request);
    s.add_tasks.push_back(std::move(record));
  }
  for (long long id : p.finished) s.finish_tasks.push_back(x.tasks.at(id).token);
  return s;
}

void RuntimeImpl::arm_timer(const ExecutionPtr& x, const store::TimerRecord& timer) {
  int thread = -1;
  if (const auto* t =
          timer.payload.is_object() ? timer.payload.as_object().if_contains("thread") : nullptr) {
    thread = static_cast<int>(t->to_number<long long>());
  }
  x->timers[timer.id] = {timer.due, thread};
  timers_->arm({timer.due, x->arn, timer.id});
}

void RuntimeImpl::after_commit(const ExecutionPtr& x, PlannedStep p, Reply reply,
                               store::CommitStatus status) {
  if (status != store::CommitStatus::Committed) {
    // The store refused the step (or failed): what is in memory is no longer what is durable.
    // Drop it and reload the execution from its last committed step.
    std::fprintf(stderr, "stepline runtime: %s: a step was not committed (status %d); reloading\n",
                 x->arn.c_str(), static_cast<int>(status));
    close_execution(x, false);
    answer_closed(Inbound{engine::Event{}, std::move(reply)});
    workers_->post([this, arn = x->arn] { resume(arn); });
    return;
  }
  if (!x->express()) ++x->version;
  if (p.kind == engine::Event::Kind::Start && options_.observer) {
    options_.observer->execution_started(x->machine.state_machine_arn, x->express());
  }
  for (long long id : p.clear) x->timers.erase(id);
  for (long long id : p.finished) x->tasks.erase(id);
  if (!p.closed) {
    for (const auto& timer : p.arm) arm_timer(x, timer);
    for (auto& t : p.tasks) {
      x->tasks[t.id] = t.task;
      dispatch(x, t.id, t.task, std::move(t.request));
    }
  }
  if (options_.observer && p.transitions) {
    options_.observer->state_transitions(x->machine.state_machine_arn, p.transitions);
  }
  if (x->express() && log_.enabled()) {
    log_.append(x->machine.state_machine_name, x->arn, x->machine.logging_configuration, p.events);
  }
  // Out of the registry (and the open-execution count) before anyone hears the step is done.
  if (p.closed) close_execution(x);
  std::visit(
      [&](auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, TokenReply>) {
          r.done(TokenStatus::Accepted);
        } else if constexpr (std::is_same_v<T, StopReply>) {
          StopResult result;
          result.status = StopResult::Status::Stopped;
          result.stop_date = p.now;
          r.done(result);
        } else if constexpr (std::is_same_v<T, ClaimReply>) {
          r.done(ActivityTask{r.token, r.input});
        }
      },
      reply);
  if (p.kind == engine::Event::Kind::Start) {
    StartResult answer;
    answer.status = StartResult::Status::Started;
    answer.execution_arn = x->arn;
    answer.start_date = x->start_date;
    x->start_done(std::move(answer));
  }
  if (!p.closed) continue_drain(x);
}

}  // namespace stepline::runtime
