// Shared fixture of the resource operation tests: the registry of the resource groups over a
// memory store, a manual clock, seeded ids and a fake runtime that records StopExecution calls.
#pragma once

#include "api/handlers/handlers.hpp"
#include "api/resources/machine_resolver.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "common/json.hpp"
#include "runtime/runtime.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace stepline::api::testing {

// Only stop() is used by the resource operations; every other call fails the test.
class FakeRuntime final : public runtime::Runtime {
 public:
  // When `defer_stops` is set, stops are answered only by answer_stops().
  bool defer_stops = false;
  std::vector<std::string> stopped;

  void recover() override { ADD_FAILURE() << "recover"; }
  void start(runtime::StartRequest, std::function<void(runtime::StartResult)>) override {
    ADD_FAILURE() << "start";
  }
  void start_sync(runtime::StartRequest, std::function<void(runtime::SyncResult)>) override {
    ADD_FAILURE() << "start_sync";
  }
  void stop(const std::string& execution_arn, StatesError,
            std::function<void(runtime::StopResult)> done) override {
    stopped.push_back(execution_arn);
    if (defer_stops) {
      pending_.push_back(std::move(done));
    } else {
      done(runtime::StopResult{});
    }
  }
  void answer_stops() {
    auto pending = std::move(pending_);
    for (auto& done : pending) done(runtime::StopResult{});
  }
  void send_task_success(const std::string&, std::string,
                         std::function<void(runtime::TokenStatus)>) override {
    ADD_FAILURE() << "send_task_success";
  }
  void send_task_failure(const std::string&, StatesError,
                         std::function<void(runtime::TokenStatus)>) override {
    ADD_FAILURE() << "send_task_failure";
  }
  void send_task_heartbeat(const std::string&, std::function<void(runtime::TokenStatus)>) override {
    ADD_FAILURE() << "send_task_heartbeat";
  }
  void get_activity_task(const std::string&, std::optional<std::string>,
                         std::function<void(std::optional<runtime::ActivityTask>)>) override {
    ADD_FAILURE() << "get_activity_task";
  }
  void shutdown() override {}

 private:
  std::vector<std::function<void(runtime::StopResult)>> pending_;
};

inline constexpr const char* kRole = "arn:aws:iam::111111111111:role/sfn-test-role";
inline constexpr const char* kPassDefinition =
    R"({"StartAt": "S", "States": {"S": {"Type": "Pass", "End": true}}})";
inline constexpr const char* kMachinePrefix = "arn:aws:states:us-east-1:111111111111:stateMachine:";

class ResourcesTest : public ::testing::Test {
 protected:
  ResourcesTest() {
    context_.store = store_.get();
    context_.runtime = &runtime_;
    context_.clock = &clock_;
    context_.ids = &ids_;
    context_.region = "us-east-1";
    context_.account = "111111111111";
    register_state_machine_operations(registry_, context_);
    register_version_operations(registry_, context_);
    register_alias_operations(registry_, context_);
    register_tag_operations(registry_, context_);
    register_activity_operations(registry_, context_);
  }

  // Calls `operation` with the JSON object `body`; the answer, which must come at most once,
  // lands in the returned slot (later, for operations that wait on the runtime).
  std::shared_ptr<std::optional<ApiOutcome>> call_async(const std::string& operation,
                                                        const json::Object& body) {
    auto outcome = std::make_shared<std::optional<ApiOutcome>>();
    const OperationHandler* handler = registry_.find(operation);
    if (handler == nullptr) {
      ADD_FAILURE() << "no handler for " << operation;
      return outcome;
    }
    (*handler)(ApiRequest{operation, body, "request-id"}, [outcome](ApiOutcome o) {
      EXPECT_FALSE(*outcome) << "answered twice";
      *outcome = std::move(o);
    });
    return outcome;
  }
  ApiOutcome call(const std::string& operation, const json::Object& body) {
    std::shared_ptr<std::optional<ApiOutcome>> outcome = call_async(operation, body);
    if (!*outcome) {
      ADD_FAILURE() << operation << " did not answer";
      return ApiError{"NoAnswer", "", 500, {}};
    }
    return **outcome;
  }
  ApiOutcome call(const std::string& operation, std::string_view body) {
    return call(operation, json::parse(body).as_object());
  }

  // The answer of a call that must succeed.
  json::Object ok(const std::string& operation, const json::Object& body) {
    ApiOutcome outcome = call(operation, body);
    if (const ApiError* e = std::get_if<ApiError>(&outcome)) {
      ADD_FAILURE() << operation << " failed: " << e->type << ": " << e->message;
      return {};
    }
    return std::get<json::Object>(outcome);
  }
  json::Object ok(const std::string& operation, std::string_view body) {
    return ok(operation, json::parse(body).as_object());
  }
  // The error of a call that must fail.
  ApiError fails(const std::string& operation, const json::Object& body) {
    ApiOutcome outcome = call(operation, body);
    if (const ApiError* e = std::get_if<ApiError>(&outcome)) return *e;
    ADD_FAILURE() << operation << " succeeded: " << json::dump(std::get<json::Object>(outcome));
    return {};
  }
  ApiError fails(const std::string& operation, std::string_view body) {
    return fails(operation, json::parse(body).as_object());
  }

  json::Object create_body(const std::string& name,
                           const std::string& definition = kPassDefinition) {
    json::Object body;
    body["name"] = name;
    body["definition"] = definition;
    body["roleArn"] = kRole;
    return body;
  }
  std::string create_machine(const std::string& name,
                             const std::string& definition = kPassDefinition) {
    return std::string(
        ok("CreateStateMachine", create_body(name, definition)).at("stateMachineArn").as_string());
  }
  json::Object arn_body(const char* member, const std::string& arn) {
    json::Object body;
    body[member] = arn;
    return body;
  }
  std::string publish(const std::string& machine_arn) {
    return std::string(ok("PublishStateMachineVersion", arn_body("stateMachineArn", machine_arn))
                           .at("stateMachineVersionArn")
                           .as_string());
  }
  json::Object describe(const std::string& arn) {
    return ok("DescribeStateMachine", arn_body("stateMachineArn", arn));
  }
  void update_definition(const std::string& arn, const std::string& definition) {
    json::Object body = arn_body("stateMachineArn", arn);
    body["definition"] = definition;
    ok("UpdateStateMachine", body);
  }

  std::unique_ptr<store::Store> store_ = store::open_memory_store();
  FakeRuntime runtime_;
  ManualClock clock_{TimePoint{std::chrono::seconds(1700000000)}};
  RandomIdSource ids_{7};
  ServiceContext context_;
  OperationRegistry registry_;
};

inline std::string comment_definition(const std::string& comment) {
  return R"({"Comment": ")" + comment +
         R"(", "StartAt": "S", "States": {"S": {"Type": "Pass", "End": true}}})";
}

}  // namespace stepline::api::testing
