// The Lambda Invoke API as Stepline's Lambda tasks need it, whoever answers: local handlers
// (LocalFunctions) or a remote endpoint (aws::RemoteLambda).
#pragma once

#include "common/arns.hpp"

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

namespace stepline::integrations::lambda {

struct InvokeRequest {
  std::string function_name;  // the bare name
  std::optional<std::string> qualifier;
  std::string payload;                              // the request body (JSON text)
  std::string invocation_type = "RequestResponse";  // | Event | DryRun
  bool tail_log = false;                            // LogType: Tail
  arns::Location location;                          // where the function "lives", for ARNs
  // Stop waiting then (the Task's TimeoutSeconds): the response is `abandoned`.
  std::optional<std::chrono::steady_clock::time_point> give_up;
};

struct InvokeResponse {
  int status_code = 200;
  std::optional<std::string> function_error;  // X-Amz-Function-Error: Unhandled | Handled
  std::string payload;
  std::string request_id;
  std::string executed_version = "$LATEST";
  std::optional<std::string> log_result;  // X-Amz-Log-Result: the log's last 4 KB in Base64
  bool abandoned = false;                 // still running when the caller's `give_up` came
};

// The Invoke API refused the call (404 ResourceNotFoundException, 429 TooManyRequests...).
class LambdaServiceError : public std::runtime_error {
 public:
  LambdaServiceError(std::string code, int status, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)), status_(status) {}
  const std::string& code() const { return code_; }
  int status() const { return status_; }

 private:
  std::string code_;
  int status_;
};

class LambdaBackend {
 public:
  virtual ~LambdaBackend() = default;
  virtual InvokeResponse invoke(const InvokeRequest& request) = 0;
  // Whether this backend knows `function_name` (a remote endpoint says yes to every name).
  virtual bool has_function(const std::string& function_name) const = 0;
};

// "Function not found: arn:aws:lambda:R:A:function:NAME:QUALIFIER", as Lambda words it.
std::string function_not_found_message(const InvokeRequest& request);

}  // namespace stepline::integrations::lambda
