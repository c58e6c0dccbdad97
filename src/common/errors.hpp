// Error types shared by every layer: a States error as ASL defines it (name + cause), and the
// exception that carries one out of the code that detected it.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace stepline {

// An error as ASL sees it: what Retry/Catch match on and what ExecutionFailed reports. Either
// part may be absent (AWS omits them, e.g. a Fail state without Error/Cause).
struct StatesError {
  std::optional<std::string> error;
  std::optional<std::string> cause;
};

// Reserved error names (ASL §6.1).
namespace errors {
inline constexpr const char* kAll = "States.ALL";
inline constexpr const char* kTaskFailed = "States.TaskFailed";
inline constexpr const char* kTimeout = "States.Timeout";
inline constexpr const char* kHeartbeatTimeout = "States.HeartbeatTimeout";
inline constexpr const char* kRuntime = "States.Runtime";
inline constexpr const char* kDataLimitExceeded = "States.DataLimitExceeded";
inline constexpr const char* kResultPathMatchFailure = "States.ResultPathMatchFailure";
inline constexpr const char* kParameterPathFailure = "States.ParameterPathFailure";
inline constexpr const char* kIntrinsicFailure = "States.IntrinsicFailure";
inline constexpr const char* kBranchFailed = "States.BranchFailed";
inline constexpr const char* kNoChoiceMatched = "States.NoChoiceMatched";
inline constexpr const char* kExceedToleratedFailureThreshold =
    "States.ExceedToleratedFailureThreshold";
inline constexpr const char* kQueryEvaluationError = "States.QueryEvaluationError";
inline constexpr const char* kPermissions = "States.Permissions";
inline constexpr const char* kItemReaderFailed = "States.ItemReaderFailed";
inline constexpr const char* kResultWriterFailed = "States.ResultWriterFailed";
}  // namespace errors

// Thrown by evaluation code (paths, templates, intrinsics, JSONata) when a state's processing
// fails. `cause` is the bare detail; the interpreter prefixes "An error occurred while executing
// the state ..." where AWS does.
class StatesException : public std::runtime_error {
 public:
  StatesException(std::string error, std::string cause)
      : std::runtime_error(cause), error_(std::move(error)), cause_(std::move(cause)) {}
  const std::string& error() const { return error_; }
  const std::string& cause() const { return cause_; }
  StatesError states_error() const { return {error_, cause_}; }

 private:
  std::string error_;
  std::string cause_;
};

}  // namespace stepline
