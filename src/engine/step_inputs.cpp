// What arrives from outside between steps: timers firing, task outcomes, activity workers taking
// a task, heartbeats, StopExecution and the execution timeout.
#include "common/errors.hpp"
#include "engine/step_run.hpp"

namespace stepline::engine {

void StepRun::arm_timer(Thread& t, TimePoint due, TimerPurpose purpose) {
  t.status = ThreadStatus::AwaitingTimer;
  t.timer = purpose;
  Effect e;
  e.id = t.timer_id = next_effect_id();
  e.kind = Effect::Kind::ArmTimer;
  e.thread = t.id;
  e.due = due;
  effects_.push_back(std::move(e));
}

long long StepRun::arm_task_timer(const Thread& t, long long seconds) {
  Effect e;
  e.id = next_effect_id();
  e.kind = Effect::Kind::ArmTimer;
  e.thread = t.id;
  e.due = now_ + std::chrono::seconds(seconds);
  const long long id = e.id;
  effects_.push_back(std::move(e));
  return id;
}

void StepRun::timer_fired(int id, long long effect_id) {
  auto it = frame_.threads.find(id);
  if (it == frame_.threads.end()) return;
  Thread& t = it->second;
  if (t.status == ThreadStatus::AwaitingTask &&
      (effect_id == t.task_timer_id || effect_id == t.heartbeat_timer_id)) {
    bool heartbeat = effect_id == t.heartbeat_timer_id;
    t.task_id = 0;
    task_timed_out(*this, t, state_of(t), heartbeat);
    make_runnable(id);
    return;
  }
  if (t.status != ThreadStatus::AwaitingTimer || effect_id != t.timer_id) return;
  TimerPurpose purpose = t.timer;
  t.timer = TimerPurpose::None;
  t.status = ThreadStatus::Running;
  if (purpose == TimerPurpose::Wait) {
    try {
      finish_wait(t, state_of(t));
    } catch (const StatesException& e) {
      on_exception(t, e);
    }
  }
  // Retry: run_thread re-runs the work because the state is already entered.
  make_runnable(id);
}

void StepRun::task_started(int id, long long effect_id, const std::optional<std::string>& worker) {
  auto it = frame_.threads.find(id);
  if (it == frame_.threads.end() || it->second.status != ThreadStatus::AwaitingTask) return;
  Thread& t = it->second;
  if (effect_id != t.task_id || t.task_started) return;
  write_started(t, std::get<asl::TaskState>(state_of(t).spec), worker);
}

void StepRun::heartbeat(int id, long long effect_id) {
  auto it = frame_.threads.find(id);
  if (it == frame_.threads.end() || it->second.status != ThreadStatus::AwaitingTask) return;
  Thread& t = it->second;
  if (effect_id != t.task_id || !t.heartbeat_seconds) return;
  // A new timer id makes the one already armed stale: it will fire and be ignored.
  t.heartbeat_timer_id = arm_task_timer(t, *t.heartbeat_seconds);
}

void StepRun::task_completed(int id, long long effect_id,
                             const integrations::TaskOutcome& outcome) {
  auto it = frame_.threads.find(id);
  if (it == frame_.threads.end() || it->second.status != ThreadStatus::AwaitingTask) return;
  Thread& t = it->second;
  if (effect_id != t.task_id) return;
  if (outcome.kind != integrations::TaskOutcome::Kind::Pending) {
    t.task_id = 0;
    t.task_timer_id = 0;
    t.heartbeat_timer_id = 0;
  }
  t.status = ThreadStatus::Running;
  try {
    finish_task(t, state_of(t), outcome);
  } catch (const StatesException& e) {
    on_exception(t, e);
  }
  make_runnable(id);
}

void StepRun::stop(const StatesError& error) {
  if (frame_.status != "RUNNING") return;
  json::Object details;
  if (error.error) details["error"] = *error.error;
  if (error.cause) details["cause"] = *error.cause;
  emit_after(thread(0), 0, "ExecutionAborted", "executionAbortedEventDetails", std::move(details));
  frame_.status = "ABORTED";
  frame_.error = error;
}

void StepRun::timed_out() {
  if (frame_.status != "RUNNING") return;
  Thread& top = thread(0);
  json::Object details;
  details["error"] = errors::kTimeout;
  emit_after(top, top.last_event, "ExecutionTimedOut", "executionTimedOutEventDetails",
             std::move(details));
  frame_.status = "TIMED_OUT";
  frame_.error = {std::string(errors::kTimeout), std::nullopt};
}

}  // namespace stepline::engine
