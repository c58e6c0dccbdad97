// One execution held in memory while it runs on this node: its compiled machine and interpreter,
// the frame and store version of its last committed step, its open tasks and armed timers, and
// the inbox of events waiting to be stepped. Internal to the runtime.
#pragma once

#include "engine/interpreter.hpp"
#include "integrations/mock/mock_invoker.hpp"
#include "runtime/nested_executions.hpp"
#include "runtime/runtime.hpp"
#include "runtime/task_tokens.hpp"
#include "runtime/timer_service.hpp"
#include "store/records.hpp"

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <variant>
#include <vector>

namespace stepline::runtime {

// How a dispatched Task is carried out.
enum class TaskKind {
  Activity,  // queued for GetActivityTask
  Callback,  // `.waitForTaskToken`: invoked, then answered by SendTask*
  Invoke,    // the TaskInvoker's outcome is the answer
};

struct OpenTask {
  std::string token;
  int thread = -1;
  TaskKind kind = TaskKind::Invoke;
  std::string resource;
  std::string activity_arn;
};

// Who waits for the commit of the step an inbound event causes.
struct TokenReply {
  std::string token;
  std::function<void(TokenStatus)> done;
};
struct StopReply {
  std::string execution_arn;
  std::function<void(StopResult)> done;
};
struct ClaimReply {  // an activity task claimed for a GetActivityTask long poll
  std::string token;
  std::string input;
  std::string activity_arn;
  std::optional<std::string> worker;
  std::chrono::steady_clock::time_point poll_deadline;
  std::function<void(std::optional<ActivityTask>)> done;
};
using Reply = std::variant<std::monostate, TokenReply, StopReply, ClaimReply>;

struct Inbound {
  engine::Event event;
  Reply reply;
};

struct Execution {
  // Fixed from the start.
  std::string arn;
  std::string name;
  MachineRef machine;  // `definition` emptied: the compiled machine lives in `interpreter`
  std::string trace_header;
  std::string input_text;
  TimePoint start_date{};
  TimePoint stop_date{};  // set by the step that closes it
  std::unique_ptr<ExecutionIds> ids;
  std::unique_ptr<engine::Interpreter> interpreter;
  std::unique_ptr<integrations::mock::MockInvoker> mock;
  std::set<std::string> mocked_states;
  std::function<void(StartResult)> start_done;  // answered once the first step is committed
  std::function<void(SyncResult)> sync_done;    // StartSyncExecution: answered at the end
  std::optional<NestedParent> parent;           // a `.sync` child started in this process

  // Owned by the step in progress (one at a time per execution).
  engine::Frame frame;
  store::Version version = 0;
  std::map<long long, OpenTask> tasks;  // by effect id
  struct ArmedTimer {
    TimePoint due{};
    int thread = -1;
  };
  std::map<long long, ArmedTimer> timers;  // by effect id; 0 is the execution's deadline
  std::string lease;                       // the owner the store records for this execution

  // The inbox; `busy` while a worker steps this execution or its step awaits commit.
  std::mutex mutex;
  std::deque<Inbound> inbox;
  // Callback tasks whose invocation has not returned yet (by token), with the SendTask* answers
  // that arrived before it did: they wait, so that TaskSubmitted (the invocation's answer) is
  // recorded before TaskSucceeded/TaskFailed whatever the timing, as on AWS.
  std::map<std::string, std::vector<Inbound>> callbacks_in_flight;
  bool busy = false;
  bool closed = false;
  // Taken out of memory while idle (see idle_eviction.cpp): events go to its ARN, not here.
  bool evicted = false;
  store::Version swept_version = -1;  // idle at this version when the last sweep saw it

  bool express() const { return machine.express; }
  const OpenTask* task_by_token(const std::string& token, long long* effect_id) const {
    for (const auto& [id, task] : tasks) {
      if (task.token == token) {
        if (effect_id) *effect_id = id;
        return &task;
      }
    }
    return nullptr;
  }
};

}  // namespace stepline::runtime
