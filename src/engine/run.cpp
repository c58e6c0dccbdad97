// run_definition: the single-threaded driver. It loops step → perform effects (TaskInvoker
// calls inline, timers through Clock::sleep_until) → feed the resulting events back, until the
// execution ends.
#include "engine/run.hpp"

#include "asl/builder.hpp"
#include "engine/interpreter.hpp"

#include <fmt/format.h>

#include <deque>
#include <map>

namespace stepline::engine {

DefinitionError::DefinitionError(std::vector<asl::Diagnostic> diagnostics)
    : std::runtime_error(asl::invalid_definition_message(diagnostics)),
      diagnostics_(std::move(diagnostics)) {}

namespace {

ExecutionInfo execution_info(const RunOptions& options, IdSource& ids) {
  ExecutionInfo info;
  info.state_machine_name = options.state_machine_name;
  info.execution_name = options.execution_name.empty() ? ids.uuid() : options.execution_name;
  info.state_machine_arn = arns::state_machine(options.location, info.state_machine_name);
  info.express = options.type == asl::MachineType::Express;
  info.started_sync = options.started_sync;
  info.execution_arn =
      info.express
          ? arns::express_execution(options.location, info.state_machine_name, info.execution_name,
                                    ids.uuid())
          : arns::execution(options.location, info.state_machine_name, info.execution_name);
  info.role_arn = options.role_arn;
  info.region = options.location.region;
  info.account = options.location.account;
  return info;
}

}  // namespace

RunResult run_definition(const json::Value& definition, const RunOptions& options) {
  if (!options.clock || !options.ids) {
    throw std::invalid_argument("run_definition needs a clock and an id source");
  }
  auto diagnostics = asl::validate(definition, asl::ValidateOptions{options.type});
  if (asl::has_errors(diagnostics)) throw DefinitionError(std::move(diagnostics));
  std::shared_ptr<const asl::StateMachine> machine;
  try {
    machine = asl::build(definition);
  } catch (const asl::BuildError& e) {
    throw DefinitionError({asl::Diagnostic{"ERROR", "SCHEMA_VALIDATION_FAILED", e.what(), {}}});
  }
  Clock& clock = *options.clock;
  Interpreter interpreter(machine, execution_info(options, *options.ids), options.ids);

  RunResult result;
  Frame frame;
  std::deque<Event> ready;
  // Armed timers by due time: (due, effect id) → thread.
  std::multimap<std::pair<TimePoint, long long>, int> timers;
  std::map<long long, int> pending_tasks;  // tasks whose outcome will never come in this driver

  Event start;
  start.kind = Event::Kind::Start;
  start.now = clock.now();
  // No input at all is recorded as an empty object, as StartExecution does.
  start.input = options.input.is_null() ? json::Value(json::Object{}) : options.input;
  ready.push_back(std::move(start));
  std::optional<TimePoint> deadline;

  while (true) {
    if (ready.empty()) {
      if (timers.empty()) {
        if (pending_tasks.empty()) break;
        // Nothing can ever answer a pending task here: fail it honestly.
        auto [effect_id, thread] = *pending_tasks.begin();
        pending_tasks.erase(pending_tasks.begin());
        Event e;
        e.kind = Event::Kind::TaskCompleted;
        e.thread = thread;
        e.effect_id = effect_id;
        e.outcome = integrations::TaskOutcome::failed(
            std::string(errors::kRuntime),
            "The task is waiting for a callback, which a single-execution run cannot deliver.");
        e.now = clock.now();
        ready.push_back(std::move(e));
      } else {
        auto first = timers.begin();
        TimePoint due = first->first.first;
        if (deadline && *deadline <= due) {
          clock.sleep_until(*deadline);
          Event e;
          e.kind = Event::Kind::TimedOut;
          e.now = clock.now();
          ready.push_back(std::move(e));
        } else {
          clock.sleep_until(due);
          Event e;
          e.kind = Event::Kind::TimerFired;
          e.thread = first->second;
          e.effect_id = first->first.second;
          e.now = clock.now();
          timers.erase(first);
          ready.push_back(std::move(e));
        }
      }
    }
    Event event = std::move(ready.front());
    ready.pop_front();
    Step step = interpreter.step(std::move(frame), event);
    const bool finished = step.finished();
    frame = std::move(step.frame);
    if (!deadline) deadline = interpreter.deadline(frame.start_time);
    for (auto& e : step.events) result.history.push_back(std::move(e));
    if (finished) break;
    for (auto& effect : step.effects) {
      if (effect.kind == Effect::Kind::ArmTimer) {
        timers.emplace(std::make_pair(effect.due, effect.id), effect.thread);
        continue;
      }
      integrations::TaskOutcome outcome =
          integrations::invoke_guarded(options.invoker, effect.request);
      if (outcome.kind == integrations::TaskOutcome::Kind::Pending) {
        pending_tasks.emplace(effect.id, effect.thread);
        if (!outcome.submitted) continue;
      }
      Event e;
      e.kind = Event::Kind::TaskCompleted;
      e.thread = effect.thread;
      e.effect_id = effect.id;
      e.outcome = std::move(outcome);
      e.now = clock.now();
      ready.push_back(std::move(e));
    }
  }
  result.status = frame.status;
  if (frame.status == "SUCCEEDED") result.output = frame.output;
  if (frame.status != "SUCCEEDED" && frame.status != "RUNNING") {
    result.error = frame.error.error;
    result.cause = frame.error.cause;
  }
  return result;
}

}  // namespace stepline::engine
