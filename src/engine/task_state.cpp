// Task states: effective input, the Scheduled/Started events of the resource's event family, the
// invocation effect, and the outcome (Succeeded/Failed/TimedOut) back into the data flow.
#include "common/errors.hpp"
#include "engine/step_run.hpp"

#include <fmt/format.h>

#include <cmath>

namespace stepline::engine {

namespace {

// Event type prefix and details-key prefix for the resource's family.
struct Family {
  const char* type;  // "LambdaFunction", "Activity", "Task"
  const char* key;   // "lambdaFunction", "activity", "task"
};

Family family_of(const asl::TaskState& task) {
  switch (task.kind) {
    case asl::ResourceKind::LambdaFunction:
      return {"LambdaFunction", "lambdaFunction"};
    case asl::ResourceKind::Activity:
      return {"Activity", "activity"};
    case asl::ResourceKind::Service:
      return {"Task", "task"};
  }
  return {"Task", "task"};
}

std::string event_type(const Family& f, std::string_view what) {
  return std::string(f.type) + std::string(what);
}

std::string details_key(const Family& f, std::string_view what) {
  return std::string(f.key) + std::string(what) + "EventDetails";
}

// Task* events name the integration by its service and action.
void add_resource(json::Object& d, const asl::TaskState& task) {
  if (task.kind != asl::ResourceKind::Service) return;
  d["resourceType"] = task.service;
  d["resource"] = task.action;
}

long long positive_seconds(const query::jsonpath::Path& path, const json::Value& value,
                           std::string_view field) {
  double d = 0;
  if (!json::as_double(value, d) || std::floor(d) != d || d <= 0 || d > 99999999) {
    throw StatesException(
        errors::kRuntime,
        fmt::format("The {} field refers to value \"{}\" which is not a valid "
                    "positive integer: {}",
                    field, value.is_string() ? std::string(value.as_string()) : json::dump(value),
                    path.text()));
  }
  return static_cast<long long>(d);
}

}  // namespace

void StepRun::execute_task(Thread& t, const asl::State& s) {
  const auto& task = std::get<asl::TaskState>(s.spec);
  if (task.kind == asl::ResourceKind::Activity && interpreter_.activity_check() &&
      !interpreter_.activity_check()(task.resource)) {
    throw StatesException(errors::kRuntime,
                          fmt::format("The activity {} does not exist.", task.resource));
  }
  if (task.has_task_token() && ids_) t.task_token = ids_->task_token();
  json::Value context = context_object(t, s);
  json::Value state_input = apply_data_path(t, s.flow.input_path, t.input, context);
  ScopeLookup vars(frame_, t.id);
  json::Value effective =
      s.flow.parameters ? s.flow.parameters->evaluate(eval_context(t, state_input, context, vars))
                        : state_input;
  // Observed: TimeoutSecondsPath/HeartbeatSecondsPath and Credentials read the state's input
  // (after InputPath), not what Parameters made of it.
  auto seconds_ctx = eval_context(t, state_input, context, vars);
  t.timeout_seconds = task.timeout_seconds;
  t.heartbeat_seconds = task.heartbeat_seconds;
  auto from_path = [&](const query::jsonpath::Path& p, std::string_view field) {
    auto r = p.evaluate(seconds_ctx);
    if (!r.found()) {
      throw StatesException(errors::kRuntime,
                            fmt::format("Invalid path '{}' : {}", p.text(), r.failure));
    }
    return positive_seconds(p, r.value(), field);
  };
  if (task.timeout_seconds_path) {
    t.timeout_seconds = from_path(*task.timeout_seconds_path, "TimeoutSecondsPath");
  }
  if (task.heartbeat_seconds_path) {
    t.heartbeat_seconds = from_path(*task.heartbeat_seconds_path, "HeartbeatSecondsPath");
  }
  t.credentials.reset();
  if (task.credentials) {
    json::Value credentials = task.credentials->evaluate(seconds_ctx);
    if (const auto* role =
            credentials.is_object() ? credentials.as_object().if_contains("RoleArn") : nullptr) {
      t.credentials = json::Object{{"roleArn", *role}};
    }
  }
  check_size(t, effective, s.name);
  t.effective = std::move(effective);
  dispatch_task(t, s);
}

void StepRun::dispatch_task(Thread& t, const asl::State& s) {
  const auto& task = std::get<asl::TaskState>(s.spec);
  Family f = family_of(task);
  json::Object scheduled;
  if (task.kind == asl::ResourceKind::Service) {
    add_resource(scheduled, task);
    scheduled["region"] = task.region.empty() ? interpreter_.info().region : task.region;
    scheduled["parameters"] = json::dump(t.effective);
  } else {
    scheduled["resource"] = task.resource;
    scheduled["input"] = json::dump(t.effective);
    scheduled["inputDetails"] = json::Object{{"truncated", false}};
  }
  if (t.timeout_seconds) scheduled["timeoutInSeconds"] = *t.timeout_seconds;
  if (t.heartbeat_seconds && task.kind != asl::ResourceKind::LambdaFunction) {
    scheduled["heartbeatInSeconds"] = *t.heartbeat_seconds;
  }
  if (t.credentials) scheduled["taskCredentials"] = *t.credentials;
  emit(t, event_type(f, "Scheduled"), details_key(f, "Scheduled"), std::move(scheduled));
  // An activity has started only once a worker takes it (GetActivityTask names the worker).
  // Other tasks start when the invocation goes out, which is once this step has settled:
  // observed, the Scheduled events of all Map iterations come before their Started events.
  t.task_started = false;
  t.task_submitted = false;

  integrations::TaskRequest request;
  request.execution_arn = interpreter_.info().execution_arn;
  request.state_machine_name = interpreter_.info().state_machine_name;
  request.state_name = s.name;
  request.resource = task.resource;
  request.input = t.effective;
  request.task_token = t.task_token;
  request.timeout_seconds = t.timeout_seconds;
  request.heartbeat_seconds = t.heartbeat_seconds;
  Effect e;
  e.id = t.task_id = next_effect_id();
  e.kind = Effect::Kind::InvokeTask;
  e.thread = t.id;
  e.request = std::move(request);
  add_effect(std::move(e));
  if (task.kind != asl::ResourceKind::Activity) starting_.push_back({t.id, t.task_id});
  t.status = ThreadStatus::AwaitingTask;
  t.task_timer_id = 0;
  if (t.timeout_seconds) t.task_timer_id = arm_task_timer(t, *t.timeout_seconds);
  // No heartbeat can arrive before HeartbeatSeconds unless the task reports one; a
  // SendTaskHeartbeat-capable driver re-arms this timer.
  t.heartbeat_timer_id = 0;
  if (t.heartbeat_seconds) t.heartbeat_timer_id = arm_task_timer(t, *t.heartbeat_seconds);
}

void StepRun::write_started(Thread& t, const asl::TaskState& task,
                            const std::optional<std::string>& worker) {
  Family f = family_of(task);
  t.task_started = true;
  if (task.kind == asl::ResourceKind::LambdaFunction) {
    emit(t, event_type(f, "Started"));
    return;
  }
  json::Object started;
  add_resource(started, task);
  if (worker) started["workerName"] = *worker;
  emit(t, event_type(f, "Started"), details_key(f, "Started"), std::move(started));
}

void StepRun::finish_task(Thread& t, const asl::State& s,
                          const integrations::TaskOutcome& outcome) {
  const auto& task = std::get<asl::TaskState>(s.spec);
  Family f = family_of(task);
  // An outcome without a worker's GetActivityTask (a mocked activity) implies one took it.
  if (outcome.kind != integrations::TaskOutcome::Kind::Pending && !t.task_started) {
    write_started(t, task, std::nullopt);
  }
  switch (outcome.kind) {
    case integrations::TaskOutcome::Kind::Pending: {
      if (outcome.submitted && !t.task_submitted) {
        t.task_submitted = true;
        json::Object d;
        add_resource(d, task);
        d["output"] = json::dump(*outcome.submitted);
        d["outputDetails"] = json::Object{{"truncated", false}};
        emit(t, event_type(f, "Submitted"), details_key(f, "Submitted"), std::move(d));
      }
      t.status = ThreadStatus::AwaitingTask;
      return;
    }
    case integrations::TaskOutcome::Kind::Failed: {
      json::Object d;
      add_resource(d, task);
      if (outcome.error.error) d["error"] = *outcome.error.error;
      if (outcome.error.cause) d["cause"] = *outcome.error.cause;
      emit(t, event_type(f, "Failed"), details_key(f, "Failed"), std::move(d));
      handle_error(t, outcome.error, {}, false, true);
      return;
    }
    case integrations::TaskOutcome::Kind::Succeeded:
      break;
  }
  if (json::dumped_size(outcome.output) > 262144) {
    // Observed labels: the service name for integrations ('lambda' for lambda:invoke), the
    // Resource ARN for Lambda functions and activities.
    std::string cause = fmt::format(
        "The state/task '{}' returned a result with a size exceeding the maximum number of "
        "bytes service limit.",
        task.kind == asl::ResourceKind::Service ? task.service : task.resource);
    json::Object d;
    add_resource(d, task);
    d["error"] = errors::kDataLimitExceeded;
    d["cause"] = cause;
    emit(t, event_type(f, "Failed"), details_key(f, "Failed"), std::move(d));
    handle_error(t, {std::string(errors::kDataLimitExceeded), cause}, {}, false, true);
    return;
  }
  json::Object d;
  add_resource(d, task);
  d["output"] = json::dump(outcome.output);
  d["outputDetails"] = json::Object{{"truncated", false}};
  emit(t, event_type(f, "Succeeded"), details_key(f, "Succeeded"), std::move(d));
  complete_work(t, s, outcome.output);
}

// A task's timer went off before its outcome arrived.
void task_timed_out(StepRun& run, Thread& t, const asl::State& s, bool heartbeat) {
  const auto& task = std::get<asl::TaskState>(s.spec);
  Family f = family_of(task);
  json::Object d;
  add_resource(d, task);
  d["error"] = errors::kTimeout;
  run.emit(t, event_type(f, "TimedOut"), details_key(f, "TimedOut"), std::move(d));
  t.status = ThreadStatus::Running;
  t.task_timer_id = 0;
  t.heartbeat_timer_id = 0;
  run.handle_error(t, {std::string(errors::kTimeout), std::nullopt}, {}, heartbeat);
}

void StepRun::complete_work(Thread& t, const asl::State& s, json::Value result,
                            std::optional<long long> exited_prev) {
  json::Value context = context_object(t, s);
  if (s.query_language == asl::QueryLanguage::JSONata) {
    json::Object bindings = jsonata_bindings(t, t.input, context, &result);
    json::Value output = jsonata_or(s, "Output", bindings, result);
    json::Object assigned = jsonata_assign(s.jsonata_field("Assign"), bindings);
    t.status = ThreadStatus::Running;
    exit_state(t, std::move(output), std::move(assigned), exited_prev);
    return;
  }
  // Assign sees the raw result (before ResultSelector).
  json::Object assigned = evaluate_assign(t, s.flow.assign, result, context);
  if (s.flow.result_selector) {
    ScopeLookup vars(frame_, t.id);
    result = s.flow.result_selector->evaluate(eval_context(t, result, context, vars));
  }
  json::Value output = s.flow.result_path.apply(t.input, std::move(result));
  output = apply_data_path(t, s.flow.output_path, output, context);
  t.status = ThreadStatus::Running;
  exit_state(t, std::move(output), std::move(assigned), exited_prev);
}

}  // namespace stepline::engine
