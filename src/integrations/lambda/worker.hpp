// One warm worker process of a local function: the runtime (Python or Node bootstrap, or the
// `provided` executable) started with its own Runtime API server, kept alive between
// invocations, and ended (its whole process group) when it times out or is shut down.
#pragma once

#include "integrations/lambda/functions_file.hpp"
#include "integrations/lambda/runtime_api_server.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <sys/types.h>

namespace stepline::integrations::lambda {

// What one invocation came to, in the terms of the Lambda Invoke API.
struct InvocationResult {
  std::string payload;
  // "Unhandled" for a function error, a crash or a timeout (X-Amz-Function-Error).
  std::optional<std::string> function_error;
  bool worker_reusable = true;
  std::string log;  // what the function wrote to stdout/stderr during the invocation
};

struct WorkerSetup {
  std::string region;  // AWS_REGION of the process
};

class Worker {
 public:
  // Starts the process; throws std::runtime_error when it cannot be started.
  Worker(const FunctionConfig& function, const WorkerSetup& setup);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Hands the worker one invocation (the worker must be idle); `function_arn` is the ARN the
  // caller invoked (the context's invoked_function_arn).
  void start(const std::string& request_id, const std::string& payload,
             const std::string& function_arn);
  // Waits until the runtime has initialised (it asks for an invocation, reports an init error or
  // exits) or `until`; true when it is done initialising.
  bool wait_ready(std::chrono::steady_clock::time_point until);
  // Whether the runtime is done initialising, without waiting.
  bool ready() { return api_.wait_ready(std::chrono::steady_clock::now()); }

  const std::string& region() const { return setup_.region; }
  // Waits for the invocation's result until `until`; nullopt when it is still running then.
  // A function timeout or a crash ends the process and yields Lambda's error payload.
  std::optional<InvocationResult> wait(std::chrono::steady_clock::time_point until);

  // False once the process has exited (a warm worker can die between invocations).
  bool alive() { return !exited(); }

  // When the worker took the current invocation (GET /next), if it has.
  std::optional<std::chrono::steady_clock::time_point> taken_at() const { return api_.taken_at(); }

  // The worker process's peak resident memory in MB (0 when unknown), for REPORT log lines.
  long peak_memory_mb() const;

  // Ends the process group now (a pending wait() then reports the exit).
  void kill();

 private:
  bool exited();  // reaps the process when it has exited
  // Copies the function's output to Stepline's stderr and keeps the current invocation's part.
  void pump_log();
  std::string take_log();
  InvocationResult service_error(const std::string& type, const std::string& message);

  const FunctionConfig& function_;
  WorkerSetup setup_;
  RuntimeApiServer api_;
  pid_t pid_ = -1;
  int exit_status_ = 0;  // waitpid status once exited
  bool exited_ = false;
  int log_fd_ = -1;  // read end of the worker's stdout/stderr
  std::thread log_pump_;
  std::mutex log_mutex_;
  std::string log_;
  bool log_stop_ = false;
  std::string request_id_;
  std::chrono::steady_clock::time_point offered_at_;
};

}  // namespace stepline::integrations::lambda
