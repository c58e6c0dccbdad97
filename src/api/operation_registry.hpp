// The table from AWS operation name (e.g. "ValidateStateMachineDefinition") to the code that
// answers it. Handlers get a request that already passed model validation and answer through a
// callback, once, from any thread: long polls and executions that end later plug in the same way
// as immediate answers.
#pragma once

#include "api/api_error.hpp"
#include "common/json.hpp"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace stepline::api {

struct ApiRequest {
  std::string operation;   // "StartExecution"
  json::Object body;       // the validated input members
  std::string request_id;  // the x-amzn-RequestId this call will be answered with
};

// An operation's output members, or the error it fails with.
using ApiOutcome = std::variant<json::Object, ApiError>;
using ApiReply = std::function<void(ApiOutcome)>;
using OperationHandler = std::function<void(const ApiRequest&, ApiReply)>;

class OperationRegistry {
 public:
  // Registers (or replaces) the handler of `operation`.
  void add(std::string operation, OperationHandler handler);
  // Registers `handler` for a synchronous operation computing its outcome directly.
  void add_sync(std::string operation, std::function<ApiOutcome(const ApiRequest&)> handler);
  // The handler of `operation`, or null.
  const OperationHandler* find(std::string_view operation) const;
  bool contains(std::string_view operation) const { return find(operation) != nullptr; }

 private:
  std::map<std::string, OperationHandler, std::less<>> handlers_;
};

}  // namespace stepline::api
