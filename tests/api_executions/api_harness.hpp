// The API of `stepline serve` without sockets, for tests: a memory store, a runtime (the real one
// or a caller's), the full service registry and the AWS JSON 1.0 dispatcher, called like a client.
#pragma once

#include "api/handlers/handlers.hpp"
#include "api/protocol.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "common/json.hpp"
#include "runtime/runtime.hpp"
#include "store/store.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace stepline::testing {

struct Answer {
  int status = 0;
  json::Object body;
  // The error code (`__type` without its namespace) or empty on success.
  std::string error() const;
  std::string message() const;
  std::string text(std::string_view key) const;  // a string member, or ""
};

class ApiHarness {
 public:
  // With `runtime` null, the real runtime over the harness's store and clock.
  explicit ApiHarness(std::unique_ptr<runtime::Runtime> runtime = nullptr,
                      std::chrono::milliseconds activity_poll = std::chrono::seconds(2));
  ~ApiHarness();

  // Calls `operation` and waits for its answer (fails the test after 20 s).
  Answer call(const std::string& operation, const json::Object& body);
  // Calls `operation` and hands the answer to `done` later, from whichever thread answers.
  void call_async(const std::string& operation, const json::Object& body,
                  std::function<void(Answer)> done);

  // CreateStateMachine with a fixed role; returns the state machine ARN.
  std::string create_machine(const std::string& name, const std::string& definition,
                             const std::string& type = "STANDARD", bool publish = false);
  // Polls DescribeExecution until the execution is no longer RUNNING (fails after 20 s).
  Answer wait_closed(const std::string& execution_arn);

  store::Store& store() { return *store_; }
  runtime::Runtime& runtime() { return *runtime_; }
  const api::ServiceContext& context() const { return context_; }

 private:
  std::unique_ptr<store::Store> store_;
  SystemClock clock_;
  RandomIdSource ids_;
  std::unique_ptr<runtime::Runtime> runtime_;
  api::ServiceContext context_;
  api::OperationRegistry registry_;
  std::unique_ptr<api::ProtocolDispatcher> dispatcher_;
};

inline constexpr const char* kRoleArn = "arn:aws:iam::123456789012:role/stepline-test";

}  // namespace stepline::testing
