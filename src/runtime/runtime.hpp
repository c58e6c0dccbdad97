// The execution runtime of `stepline serve`: starts executions, feeds the pure interpreter its
// events (task outcomes, timers, callbacks, stops) in order per execution, commits every step to
// the Store before any of its effects (task dispatch, timer, API answer), and resumes what was
// running after a restart. Standard executions live in the durable store; Express executions in
// memory. The API handlers are its only callers; every answer arrives through a callback, once,
// from any thread, so long polls and executions that end later never hold a thread.
#pragma once

#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/ids.hpp"
#include "common/json.hpp"
#include "common/time.hpp"
#include "integrations/invoker.hpp"
#include "store/store.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace stepline::runtime {

// What an execution runs, resolved by the API from a state machine, version or alias ARN.
struct MachineRef {
  std::string state_machine_arn;  // unqualified: arn:...:stateMachine:<name>
  std::string state_machine_name;
  std::string version_arn;   // set when started through a version (or an alias's pick)
  std::string alias_arn;     // set when started through an alias
  std::string revision_arn;  // the store's Revision resource holding this definition
  std::string definition;    // the definition text as created
  std::string role_arn;
  bool express = false;
  json::Value logging_configuration;  // {level, includeExecutionData, destinations} or null
  std::string mock_test_case;         // StartExecution's `#TestCase` suffix (LOCAL.md)
};

struct StartRequest {
  MachineRef machine;
  std::string name;        // empty: a fresh UUID
  std::string input_text;  // a JSON text the API has already checked ("{}" when absent)
  std::string trace_header;
};

struct StartResult {
  enum class Status {
    Started,          // a new execution
    AlreadyRunning,   // same name and input while RUNNING: AWS's idempotent answer
    AlreadyExists,    // same name, other input or closed: ExecutionAlreadyExists
    LimitExceeded,    // the open-execution quota (LOCAL.md): ExecutionLimitExceeded
    InvalidTestCase,  // `#TestCase` names no test case of the mock config: `message` says why
    Failed,           // the store failed (`message`): an internal error, nothing was started
  };
  Status status = Status::Started;
  std::string execution_arn;
  TimePoint start_date{};
  std::string message;  // InvalidTestCase, Failed
};

// StartSyncExecution's answer (Express).
struct SyncResult {
  std::string execution_arn;
  std::string name;
  TimePoint start_date{};
  TimePoint stop_date{};
  std::string status;  // SUCCEEDED | FAILED | TIMED_OUT
  std::string input;   // JSON texts
  std::optional<std::string> output;
  std::optional<std::string> error;
  std::optional<std::string> cause;
};

struct StopResult {
  enum class Status { Stopped, NotFound, NotRunning };
  Status status = Status::Stopped;
  TimePoint stop_date{};  // Stopped: the new stop date; NotRunning: the execution's stop date
};

// The outcome of SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat, which the API maps to
// AWS's errors (InvalidToken, TaskDoesNotExist, TaskTimedOut, InvalidOutput).
enum class TokenStatus { Accepted, InvalidToken, TaskDoesNotExist, TaskTimedOut };

// A task handed to an activity worker by GetActivityTask.
struct ActivityTask {
  std::string token;
  std::string input;  // JSON text
};

// Hooks for metrics: called from runtime threads, must be cheap and thread-safe.
class ExecutionObserver {
 public:
  virtual ~ExecutionObserver() = default;
  virtual void execution_started(const std::string& state_machine_arn, bool express) = 0;
  // status: SUCCEEDED | FAILED | TIMED_OUT | ABORTED; duration from start to stop.
  virtual void execution_closed(const std::string& state_machine_arn, bool express,
                                const std::string& status, std::chrono::microseconds duration) = 0;
  virtual void state_transitions(const std::string& state_machine_arn, long long count) = 0;
  // kind: "dispatched", "succeeded", "failed", "timed_out"; resource: the Task's resource ARN.
  virtual void task_event(const std::string& resource, const char* kind) = 0;
  // One group commit: how many execution steps it carried and how long it took.
  virtual void store_commit(std::size_t steps, std::chrono::microseconds latency) = 0;
  // An idle Standard execution left memory (RuntimeOptions::max_idle_in_memory) / came back.
  virtual void execution_evicted(const std::string& /*state_machine_arn*/) {}
  virtual void execution_reloaded(const std::string& /*state_machine_arn*/) {}
};

// Why a state machine, version or alias ARN resolves to nothing: the StepFunctions API error
// (`code` as the API names it, e.g. "StateMachineDoesNotExist", and its message).
struct MachineLookupError {
  std::string code;
  std::string message;
};
// From a StateMachineArn a `states:startExecution` Task names to what the runtime runs.
using MachineResolver =
    std::function<std::optional<MachineRef>(const std::string& arn, MachineLookupError& error)>;

struct RuntimeOptions {
  store::Store* durable = nullptr;  // Standard executions (required)
  Clock* clock = nullptr;           // required
  IdSource* ids = nullptr;          // required
  // Runs the Tasks that are neither activities nor `.waitForTaskToken` callbacks (Lambda, HTTP,
  // AWS services, mocks). May block: the runtime calls it from its task-dispatch pool.
  integrations::TaskInvoker* invoker = nullptr;
  // Step Functions Local mock config (LOCAL.md): used for executions started with `#TestCase`.
  std::filesystem::path mock_config;
  std::string region = "us-east-1";
  std::string account = "123456789012";
  std::string node_id;             // the lease owner this process commits under
  unsigned threads = 0;            // 0: one per core
  unsigned dispatch_threads = 16;  // for blocking TaskInvoker calls
  // Threads on which a large Map runs its synchronous iterations ahead (engine/map_prerun.hpp);
  // -1: one fewer than the cores, 0: none.
  int map_helper_threads = -1;
  std::chrono::milliseconds activity_poll{60000};  // GetActivityTask's long poll (AWS: 60 s)
  std::size_t max_open_executions = 1000000;       // ExecutionLimitExceeded beyond (AWS quota)
  std::size_t max_history_events = 25000;          // per Standard execution (AWS quota)
  // Standard executions in memory beyond this many: those idle for a sweep (waiting on timers,
  // callbacks, activities or children) are evicted to a small stub (ARN, store version) and
  // reloaded from the store on their next event. 0 evicts every idle one.
  std::size_t max_idle_in_memory = 1024;
  std::chrono::milliseconds idle_sweep{50};  // how often the runtime looks for idle executions
  // Where Express executions write their execution log (LoggingConfiguration), as JSON lines.
  std::filesystem::path log_dir;
  ExecutionObserver* observer = nullptr;
  // Nested executions (`arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]`)
  // look their state machine up here; unset, such Tasks fail naming the missing resolver.
  MachineResolver resolve_machine;
};

class Runtime {
 public:
  virtual ~Runtime() = default;

  // Resumes every RUNNING Standard execution found in the durable store: timers re-armed at their
  // original due times, tasks in flight re-dispatched, callbacks and activity tasks answerable
  // with their tokens. Call once, before serving.
  virtual void recover() = 0;

  // Standard: answers once the first step is committed. Express (asynchronous StartExecution):
  // answers at once and runs in memory.
  virtual void start(StartRequest request, std::function<void(StartResult)> done) = 0;
  // Express only: answers when the execution ends (TIMED_OUT after 5 minutes, as AWS).
  virtual void start_sync(StartRequest request, std::function<void(SyncResult)> done) = 0;
  // StopExecution (Standard): ExecutionAborted with the given error/cause.
  virtual void stop(const std::string& execution_arn, StatesError reason,
                    std::function<void(StopResult)> done) = 0;

  virtual void send_task_success(const std::string& token, std::string output_text,
                                 std::function<void(TokenStatus)> done) = 0;
  virtual void send_task_failure(const std::string& token, StatesError error,
                                 std::function<void(TokenStatus)> done) = 0;
  virtual void send_task_heartbeat(const std::string& token,
                                   std::function<void(TokenStatus)> done) = 0;
  // Long poll: a queued task of the activity (FIFO) as soon as there is one, or nullopt after
  // `activity_poll`. Records ActivityStarted {workerName} in the execution's history.
  virtual void get_activity_task(const std::string& activity_arn,
                                 std::optional<std::string> worker_name,
                                 std::function<void(std::optional<ActivityTask>)> done) = 0;

  // Stops accepting work, answers pending long polls empty, finishes in-flight commits.
  virtual void shutdown() = 0;
};

std::unique_ptr<Runtime> make_runtime(const RuntimeOptions& options);

}  // namespace stepline::runtime
