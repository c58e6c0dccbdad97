// The pure interpreter: step(frame, event) → next frame + history events + effects. No I/O, no
// clock reads (time arrives with the event), no threads. Synchronous states (Pass, Choice,
// Succeed, Fail, data flow) run in a tight loop inside one step; the step ends when every thread
// waits for a task, a timer, or the execution is over.
#pragma once

#include "asl/state_machine.hpp"
#include "common/ids.hpp"
#include "common/json.hpp"
#include "common/time.hpp"
#include "engine/frame.hpp"
#include "engine/history_records.hpp"
#include "integrations/invoker.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace stepline::engine {

class IterationHelpers;

// Who and what the execution is: the values of `$$.Execution` / `$$.StateMachine`.
struct ExecutionInfo {
  std::string execution_arn;
  std::string execution_name;
  std::string state_machine_arn;
  std::string state_machine_name;
  std::string role_arn;
  std::string region = "us-east-1";
  std::string account = "123456789012";
  bool express = false;
  // Started with StartSyncExecution (Express only). Observed: $$.Execution has RedriveCount 0
  // for executions started with StartExecution (Standard and Express alike) and none for
  // StartSyncExecution ones. Drivers that run StartSyncExecution must set it.
  bool started_sync = false;
};

struct Event {
  enum class Kind {
    Start,          // `input` is the execution input
    TaskCompleted,  // `thread`'s task ended with `outcome`
    TimerFired,     // `thread`'s timer (Wait, retry back-off, task timeout) is due
    Stop,           // StopExecution: `error`/`cause`
    TimedOut,       // the machine's TimeoutSeconds elapsed
    TaskStarted,    // an activity worker took `thread`'s task (GetActivityTask): `worker`
    Heartbeat,      // SendTaskHeartbeat for `thread`'s task: its heartbeat timer starts again
  };
  Kind kind = Kind::Start;
  TimePoint now{};
  int thread = -1;
  long long effect_id = 0;  // TaskCompleted/TimerFired: the Effect::id it answers
  json::Value input;
  integrations::TaskOutcome outcome;
  StatesError error;
  std::optional<std::string> worker;  // TaskStarted: the workerName GetActivityTask gave
};

struct Effect {
  enum class Kind { InvokeTask, ArmTimer };
  Kind kind = Kind::InvokeTask;
  long long id = 0;  // echoed back in the Event that answers it
  int thread = -1;
  integrations::TaskRequest request;  // InvokeTask
  TimePoint due{};                    // ArmTimer
};

struct Step {
  Frame frame;
  json::Array events;  // history events, as GetExecutionHistory returns them (unless the
                       // interpreter keeps HistoryRecords)
  std::vector<Effect> effects;
  bool finished() const { return frame.status != "RUNNING"; }
};

class Interpreter {
 public:
  Interpreter(std::shared_ptr<const asl::StateMachine> machine, ExecutionInfo info, IdSource* ids);
  Step step(Frame frame, const Event& event) const;
  // The same, taking the event's values (a Start event's input is not copied).
  Step step(Frame frame, Event&& event) const;

  const asl::StateMachine& machine() const { return *machine_; }
  const ExecutionInfo& info() const { return info_; }
  // The execution's timeout deadline (machine TimeoutSeconds) measured from `start`, if any.
  std::optional<TimePoint> deadline(TimePoint start) const;

  // Where Step::events are allocated (default: the default resource). A driver that keeps the
  // whole history until the execution ends can give every step the same arena (e.g. a shared
  // boost::json::monotonic_resource) and append the events to an array on that arena: nothing
  // is then copied or freed event by event.
  void set_event_storage(boost::json::storage_ptr storage) { event_storage_ = std::move(storage); }
  const boost::json::storage_ptr& event_storage() const { return event_storage_; }

  // Keep the history as records in `records` (which must outlive the steps) instead of JSON
  // events: Step::events then stays empty and the event storage is the records' storage.
  void set_history_records(HistoryRecords* records) {
    records_ = records;
    if (records_) records_->retain(machine_);
  }
  HistoryRecords* history_records() const { return records_; }

  // Whether an activity ARN names an existing activity. A driver that knows (the runtime, from
  // its store) sets it: a Task on a missing activity then fails the execution with States.Runtime
  // before anything is scheduled, as AWS does. Unset: every activity is taken to exist.
  using ActivityCheck = std::function<bool(const std::string& activity_arn)>;
  void set_activity_check(ActivityCheck check) { activity_check_ = std::move(check); }
  const ActivityCheck& activity_check() const { return activity_check_; }

  // Threads on which a Map may run its iterations ahead (map_prerun.hpp); null: none. The id
  // source must then be safe to use from several threads (RandomIdSource is).
  void set_iteration_helpers(IterationHelpers* helpers) { helpers_ = helpers; }
  IterationHelpers* iteration_helpers() const { return helpers_; }

 private:
  std::shared_ptr<const asl::StateMachine> machine_;
  ExecutionInfo info_;
  IdSource* ids_;
  boost::json::storage_ptr event_storage_;
  HistoryRecords* records_ = nullptr;
  ActivityCheck activity_check_;
  IterationHelpers* helpers_ = nullptr;
};

}  // namespace stepline::engine
