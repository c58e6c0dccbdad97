#include "engine/interpreter.hpp"

#include "engine/step_run.hpp"

namespace stepline::engine {

Interpreter::Interpreter(std::shared_ptr<const asl::StateMachine> machine, ExecutionInfo info,
                         IdSource* ids)
    : machine_(std::move(machine)), info_(std::move(info)), ids_(ids) {}

std::optional<TimePoint> Interpreter::deadline(TimePoint start) const {
  if (!machine_->timeout_seconds) return std::nullopt;
  return start + std::chrono::seconds(*machine_->timeout_seconds);
}

namespace {

// `input`: the Start event's input, taken.
Step run_step(const Interpreter& interpreter, IdSource* ids, Frame frame, const Event& event,
              json::Value input) {
  StepRun run(interpreter, ids, std::move(frame), event.now);
  switch (event.kind) {
    case Event::Kind::Start:
      run.start(std::move(input));
      break;
    case Event::Kind::TaskCompleted:
      run.task_completed(event.thread, event.effect_id, event.outcome);
      break;
    case Event::Kind::TimerFired:
      run.timer_fired(event.thread, event.effect_id);
      break;
    case Event::Kind::Stop:
      run.stop(event.error);
      break;
    case Event::Kind::TimedOut:
      run.timed_out();
      break;
    case Event::Kind::TaskStarted:
      run.task_started(event.thread, event.effect_id, event.worker);
      break;
    case Event::Kind::Heartbeat:
      run.heartbeat(event.thread, event.effect_id);
      break;
  }
  run.run();
  return std::move(run).finish();
}

}  // namespace

Step Interpreter::step(Frame frame, const Event& event) const {
  json::Value input;
  if (event.kind == Event::Kind::Start) input = event.input;
  return run_step(*this, ids_, std::move(frame), event, std::move(input));
}

Step Interpreter::step(Frame frame, Event&& event) const {
  json::Value input = std::move(event.input);
  return run_step(*this, ids_, std::move(frame), event, std::move(input));
}

}  // namespace stepline::engine
