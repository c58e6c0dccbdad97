// Nested executions in the runtime: a `states:startExecution` Task starts its child here, in the
// same runtime; `.sync`/`.sync:2` parents hear the child's close; stopping (or timing out) a
// parent stops its `.sync` children. After a restart the parent's open Task is dispatched again:
// the child it started is found again by its name (given, or derived from the Task's token) and
// adopted, and a child that closed meanwhile answers from its stored record.
#include "runtime/execution_attributes.hpp"
#include "runtime/runtime_impl.hpp"

#include <fmt/format.h>

namespace stepline::runtime {

namespace {

std::string attribute(const json::Object& attributes, const char* key) {
  const auto* v = attributes.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

ChildExecution child_of(const Execution& x) {
  ChildExecution c;
  c.arn = x.arn;
  c.name = x.name;
  c.state_machine_arn = x.machine.state_machine_arn;
  c.version_arn = x.machine.version_arn;
  c.alias_arn = x.machine.alias_arn;
  c.input_text = x.input_text;
  c.status = x.frame.status;
  if (x.frame.output) c.output_text = json::dump(*x.frame.output);
  c.error = x.frame.error.error;
  c.cause = x.frame.error.cause;
  c.start_date = x.start_date;
  c.stop_date = x.stop_date;
  c.express = x.express();
  return c;
}

ChildExecution child_of(const store::ExecutionRecord& record) {
  const auto& a = record.summary.attributes;
  ChildExecution c;
  c.arn = record.summary.arn;
  c.name = record.summary.name;
  c.state_machine_arn = record.summary.state_machine_arn;
  c.version_arn = attribute(a, attributes::kVersionArn);
  c.alias_arn = attribute(a, attributes::kAliasArn);
  c.input_text = record.input;
  c.status = record.summary.status;
  if (a.contains(attributes::kOutput)) c.output_text = attribute(a, attributes::kOutput);
  if (a.contains(attributes::kError)) c.error = attribute(a, attributes::kError);
  if (a.contains(attributes::kCause)) c.cause = attribute(a, attributes::kCause);
  c.start_date = record.summary.start_date;
  c.stop_date = record.summary.stop_date.value_or(record.summary.start_date);
  return c;
}

integrations::TaskOutcome pending(json::Value submitted) {
  integrations::TaskOutcome o;
  o.kind = integrations::TaskOutcome::Kind::Pending;
  o.submitted = std::move(submitted);
  return o;
}

bool waits_for_child(NestedMode mode) {
  return mode == NestedMode::Sync || mode == NestedMode::Sync2;
}

}  // namespace

struct RuntimeImpl::NestedStartContext {
  NestedParent parent;
  std::string request_id;
  std::string input_text;
  bool submitted_before = false;  // the parent's history already has this Task's TaskSubmitted
  bool derived_name = false;      // the child's name comes from the parent's Task token
};

bool RuntimeImpl::dispatch_nested(const ExecutionPtr& x, long long effect_id, const OpenTask& task,
                                  integrations::TaskRequest& request) {
  const auto mode = nested_mode(request.resource);
  if (!mode) return false;
  if (x->mock && x->mocked_states.count(request.state_name)) return false;  // the mock answers
  // Read now: the execution's frame is not being stepped while its tasks are dispatched.
  bool submitted_before = false;
  if (auto it = x->frame.threads.find(task.thread); it != x->frame.threads.end()) {
    submitted_before = it->second.task_submitted;
  }
  NestedParent parent{x->arn, effect_id, *mode};
  // Resolving the machine may read the store: off the stepping workers.
  dispatchers_->post(
      [this, parent, submitted_before, token = task.token, request = std::move(request)] {
        start_nested(parent, submitted_before, token, request);
      });
  return true;
}

void RuntimeImpl::post_task_outcome(const NestedParent& parent, integrations::TaskOutcome outcome) {
  if (options_.observer && outcome.kind != integrations::TaskOutcome::Kind::Pending) {
    options_.observer->task_event(
        "arn:aws:states:::states:startExecution",
        outcome.kind == integrations::TaskOutcome::Kind::Succeeded ? "succeeded" : "failed");
  }
  engine::Event event;
  event.kind = engine::Event::Kind::TaskCompleted;
  event.effect_id = parent.effect_id;
  event.outcome = std::move(outcome);
  post_event(parent.execution_arn, Inbound{std::move(event), {}});
}

void RuntimeImpl::start_nested(const NestedParent& parent, bool submitted_before,
                               const std::string& parent_token,
                               const integrations::TaskRequest& request) {
  NestedStartContext context;
  context.parent = parent;
  context.request_id = ids_.uuid();
  context.submitted_before = submitted_before;
  auto fail = [&](const StatesError& error) {
    post_task_outcome(parent, integrations::TaskOutcome::failed(error.error, error.cause));
  };
  StatesError error;
  auto start = parse_nested_start(request.input, context.request_id, error);
  if (!start) return fail(error);
  if (!options_.resolve_machine) {
    return fail({std::string(errors::kRuntime),
                 "Nested executions are not available: this runtime has no state machine "
                 "resolver"});
  }
  MachineLookupError lookup;
  std::optional<MachineRef> machine;
  try {
    machine = options_.resolve_machine(start->state_machine_arn, lookup);
  } catch (const std::exception& e) {
    return fail({std::string(errors::kRuntime), e.what()});
  }
  if (!machine) return fail(sfn_api_error(lookup.code, lookup.message, context.request_id));

  StartRequest child;
  child.machine = std::move(*machine);
  context.derived_name = !start->name;
  child.name = start->name ? *start->name : nested_child_name(parent_token);
  child.input_text = start->input_text;
  context.input_text = start->input_text;
  const bool waits = waits_for_child(parent.mode);
  if (waits) nested_.open(parent);
  workers_->post([this, child = std::move(child), context = std::move(context), waits]() mutable {
    auto parent = waits ? std::optional<NestedParent>(context.parent) : std::nullopt;
    start_now(
        std::move(child),
        [this, context](StartResult started) { nested_started(context, started); }, nullptr,
        std::move(parent));
  });
}

void RuntimeImpl::nested_started(const NestedStartContext& context, const StartResult& started) {
  const NestedParent& parent = context.parent;
  const bool waits = waits_for_child(parent.mode);
  auto post = [this](const NestedParent& p, integrations::TaskOutcome o) {
    post_task_outcome(p, std::move(o));
  };
  auto fail = [&](const StatesError& error) {
    if (waits) nested_.drop(parent);
    post_task_outcome(parent, integrations::TaskOutcome::failed(error.error, error.cause));
  };
  // Tells the parent StartExecution's answer; `adopted`: a child started before a restart.
  auto answer = [&](TimePoint start_date, bool adopted) {
    json::Value response = start_execution_response(started.execution_arn, start_date,
                                                    context.request_id, clock_.now());
    switch (parent.mode) {
      case NestedMode::RequestResponse:
        return post_task_outcome(parent, integrations::TaskOutcome::succeeded(response));
      case NestedMode::Callback:
        return post_task_outcome(parent, pending(std::move(response)));
      case NestedMode::Sync:
      case NestedMode::Sync2:
        nested_.submitted(parent, started.execution_arn, pending(std::move(response)), post,
                          adopted);
        return;
    }
  };
  switch (started.status) {
    case StartResult::Status::Started:
      return answer(started.start_date, false);
    case StartResult::Status::AlreadyRunning: {
      // Our own child dispatched again after a restart, or StartExecution's idempotent retry:
      // either way AWS answers with that execution.
      answer(started.start_date, true);
      if (!waits || find(started.execution_arn)) return;
      // Not running here: it may have closed while nobody listened.
      if (auto record = durable_.load_execution(started.execution_arn);
          record && record->summary.status != "RUNNING") {
        nested_.answer(parent, child_outcome(child_of(*record), parent.mode), post);
      }
      return;
    }
    case StartResult::Status::AlreadyExists: {
      auto record = durable_.load_execution(started.execution_arn);
      const bool ours = record && record->summary.status != "RUNNING" &&
                        record->input == context.input_text &&
                        (context.submitted_before || context.derived_name);
      if (ours) {
        answer(record->summary.start_date, true);
        if (waits) nested_.answer(parent, child_outcome(child_of(*record), parent.mode), post);
        return;
      }
      return fail(
          sfn_api_error("ExecutionAlreadyExists",
                        fmt::format("Execution Already Exists: '{}'", started.execution_arn),
                        context.request_id));
    }
    case StartResult::Status::LimitExceeded:
      return fail(sfn_api_error("ExecutionLimitExceeded",
                                "Maximum number of running executions reached",
                                context.request_id));
    case StartResult::Status::InvalidTestCase:
    case StartResult::Status::Failed:
      return fail({std::string(errors::kRuntime),
                   fmt::format("The nested execution could not be started: {}", started.message)});
  }
}

void RuntimeImpl::nested_closed(const ExecutionPtr& x) {
  if (!x->parent && nested_.empty()) return;
  auto post = [this](const NestedParent& p, integrations::TaskOutcome o) {
    post_task_outcome(p, std::move(o));
  };
  nested_.child_closed(x->arn, x->parent, child_of(*x), post);
  const auto children = nested_.parent_closed(x->arn);
  if (x->frame.status != "ABORTED" && x->frame.status != "TIMED_OUT") return;
  // AWS stops the `.sync` children of a parent that is stopped or times out.
  for (const auto& child : children) stop(child, StatesError{}, [](StopResult) {});
}

}  // namespace stepline::runtime
