// TestState (engine::test_state): one state run with inspection data, Retry/Catch as TestState
// reports them, and the checks AWS makes before running.
#include "engine/test_state.hpp"

#include "common/ids.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace stepline::engine {
namespace {

struct Fixture {
  RandomIdSource ids{3};
  TestStateEnvironment env;
  Fixture() {
    env.ids = &ids;
    env.account = "111111111111";
  }
  json::Object ok(const TestStateRequest& r) {
    auto outcome = test_state(r, env);
    if (auto* rejected = std::get_if<TestStateRejection>(&outcome)) {
      ADD_FAILURE() << rejected->type << ": " << rejected->message;
      return {};
    }
    return std::get<json::Object>(outcome);
  }
  TestStateRejection refused(const TestStateRequest& r) {
    auto outcome = test_state(r, env);
    if (auto* rejected = std::get_if<TestStateRejection>(&outcome)) return *rejected;
    ADD_FAILURE() << "expected a rejection, got " << json::dump(std::get<json::Object>(outcome));
    return {};
  }
};

json::Value field(const json::Object& o, std::string_view key) {
  const json::Value* v = o.if_contains(key);
  return v ? *v : json::Value(nullptr);
}

json::Value parsed(const json::Object& o, std::string_view key) {
  const json::Value* v = o.if_contains(key);
  return v && v->is_string() ? json::parse(v->as_string()) : json::Value(nullptr);
}

TEST(TestState, PassStateReportsEachDataFlowStepAtDebug) {
  Fixture f;
  TestStateRequest r;
  r.definition =
      R"({"Type":"Pass","InputPath":"$.a","Parameters":{"x.$":"$.b"},"ResultPath":"$.r",)"
      R"("Next":"After"})";
  r.input = R"({"a":{"b":1}})";
  r.inspection_level = "DEBUG";
  json::Object out = f.ok(r);
  EXPECT_EQ(field(out, "status"), json::Value("SUCCEEDED"));
  EXPECT_EQ(field(out, "nextState"), json::Value("After"));
  EXPECT_TRUE(json::equal(parsed(out, "output"), json::parse(R"({"a":{"b":1},"r":{"x":1}})")));
  const json::Object& inspection = out.at("inspectionData").as_object();
  EXPECT_TRUE(json::equal(parsed(inspection, "afterInputPath"), json::parse(R"({"b":1})")));
  EXPECT_TRUE(json::equal(parsed(inspection, "afterParameters"), json::parse(R"({"x":1})")));
  EXPECT_TRUE(json::equal(parsed(inspection, "afterResultPath"),
                          json::parse(R"({"a":{"b":1},"r":{"x":1}})")));
}

TEST(TestState, InfoLevelHasNoInspectionData) {
  Fixture f;
  TestStateRequest r;
  r.definition = R"({"Type":"Succeed"})";
  r.input = R"({"v":1})";
  json::Object out = f.ok(r);
  EXPECT_FALSE(out.contains("inspectionData"));
  EXPECT_FALSE(out.contains("nextState"));
  EXPECT_TRUE(json::equal(parsed(out, "output"), json::parse(R"({"v":1})")));
}

TEST(TestState, ChoiceNamesTheNextState) {
  Fixture f;
  TestStateRequest r;
  r.definition =
      R"({"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":5,"Next":"Big"}],)"
      R"("Default":"Small"})";
  r.input = R"({"n":9})";
  EXPECT_EQ(field(f.ok(r), "nextState"), json::Value("Big"));
  r.input = R"({"n":1})";
  EXPECT_EQ(field(f.ok(r), "nextState"), json::Value("Small"));
}

TEST(TestState, MockedErrorIsRetriableWithTheBackoffOfTheNextAttempt) {
  Fixture f;
  TestStateRequest r;
  r.definition =
      R"({"Type":"Task","QueryLanguage":"JSONata","Resource":"arn:aws:states:::lambda:invoke",)"
      R"("Arguments":{"FunctionName":"f"},"Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":1,)"
      R"("MaxAttempts":5,"BackoffRate":2.0}],"End":true})";
  r.inspection_level = "DEBUG";
  r.mock = TestStateMock{std::nullopt, StatesError{"Boom", "why"}, "STRICT"};
  r.retrier_retry_count = 4;
  json::Object out = f.ok(r);
  EXPECT_EQ(field(out, "status"), json::Value("RETRIABLE"));
  const json::Object& details = out.at("inspectionData").as_object().at("errorDetails").as_object();
  EXPECT_EQ(field(details, "retryIndex"), json::Value(0));
  EXPECT_EQ(field(details, "retryBackoffIntervalSeconds"), json::Value(16));

  r.retrier_retry_count = 5;  // exhausted: the error stands
  out = f.ok(r);
  EXPECT_EQ(field(out, "status"), json::Value("FAILED"));
  EXPECT_EQ(field(out, "error"), json::Value("Boom"));
}

TEST(TestState, CatcherGivesCaughtErrorAndItsNextState) {
  Fixture f;
  TestStateRequest r;
  r.definition = R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultPath":"$.r",)"
                 R"("Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Handle"}],)"
                 R"("End":true})";
  r.input = R"({"k":1})";
  r.inspection_level = "DEBUG";
  r.mock = TestStateMock{std::nullopt, StatesError{"Bad", "cause"}, "STRICT"};
  json::Object out = f.ok(r);
  EXPECT_EQ(field(out, "status"), json::Value("CAUGHT_ERROR"));
  EXPECT_EQ(field(out, "nextState"), json::Value("Handle"));
  EXPECT_TRUE(json::equal(parsed(out, "output"),
                          json::parse(R"({"k":1,"err":{"Error":"Bad","Cause":"cause"}})")));
  EXPECT_EQ(
      field(out.at("inspectionData").as_object().at("errorDetails").as_object(), "catchIndex"),
      json::Value(0));
}

TEST(TestState, MapFailuresBeyondTheToleranceExceedTheThreshold) {
  Fixture f;
  TestStateRequest r;
  r.definition = R"({"Type":"Map","ItemsPath":"$.items","ToleratedFailureCount":1,"ItemProcessor":)"
                 R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true})";
  r.input = R"({"items":[1,2,3]})";
  r.mock = TestStateMock{"[1,1,1]", std::nullopt, "STRICT"};
  r.map_iteration_failure_count = 1;
  EXPECT_EQ(field(f.ok(r), "status"), json::Value("SUCCEEDED"));
  r.map_iteration_failure_count = 2;
  json::Object out = f.ok(r);
  EXPECT_EQ(field(out, "error"), json::Value("States.ExceedToleratedFailureThreshold"));
  r.map_iteration_failure_count = 4;
  EXPECT_EQ(f.refused(r).message,
            "Map iteration failure count must be less than or equal to the number of Map "
            "iterations");
}

TEST(TestState, StateNameSelectsAStateOfAWholeMachine) {
  Fixture f;
  TestStateRequest r;
  r.definition = R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},)"
                 R"("B":{"Type":"Fail","Error":"E","Cause":"C"}}})";
  r.state_name = "B";
  json::Object out = f.ok(r);
  EXPECT_EQ(field(out, "status"), json::Value("FAILED"));
  EXPECT_EQ(field(out, "cause"), json::Value("C"));
  r.state_name = "Nope";
  EXPECT_EQ(f.refused(r).message, "State not found in definition");
}

TEST(TestState, RefusesWhatAwsRefuses) {
  Fixture f;
  TestStateRequest r;
  r.definition = R"({"Type":"Pass","End":true})";
  r.mock = TestStateMock{"{}", std::nullopt, "STRICT"};
  EXPECT_EQ(f.refused(r).message, "State type 'Pass' is not supported when a mock is specified");

  r.definition = R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true})";
  r.mock = TestStateMock{"{}", StatesError{"E", "C"}, "STRICT"};
  EXPECT_EQ(f.refused(r).message,
            "A test mock should have only one of the following fields: [result, errorOutput].");
  r.mock.reset();
  EXPECT_EQ(f.refused(r).message, "RoleArn must be specified when testing a Task state");

  r.definition = R"({"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass",)"
                 R"("End":true}}}],"End":true})";
  EXPECT_EQ(f.refused(r).type, "InvalidDefinition");
  r.mock = TestStateMock{"[1,2]", std::nullopt, "STRICT"};
  EXPECT_EQ(f.refused(r).message,
            "Mocked result must contain the same number of items as number of Parallel branches.");
}

TEST(TestState, ContextObjectIsCheckedAndUsed) {
  Fixture f;
  TestStateRequest r;
  r.definition = R"({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",)"
                 R"("ResultSelector":{"ctx.$":"$$.Execution.Name"},"End":true})";
  r.mock = TestStateMock{"{}", std::nullopt, "NONE"};
  r.context = R"({"Execution":{"Name":"mine"}})";
  EXPECT_TRUE(json::equal(parsed(f.ok(r), "output"), json::parse(R"({"ctx":"mine"})")));
  r.context = R"({"Map":{}})";
  EXPECT_EQ(f.refused(r).message,
            "Invalid Context object provided: 'Map' field is not supported when mocking a "
            "Context object");
  r.context = R"({"Task":{"Token":"t"}})";
  EXPECT_EQ(f.refused(r).type, "ValidationException");
}

TEST(TestState, MockResultIsCheckedAgainstTheServiceResponseShape) {
  Fixture f;
  auto dir = std::filesystem::temp_directory_path() / "stepline_test_state_models";
  std::filesystem::create_directories(dir / "demo" / "2020-01-01");
  std::ofstream(dir / "demo" / "2020-01-01" / "service-2.json") << R"({
    "operations": {"DoThing": {"output": {"shape": "DoThingOutput"}}},
    "shapes": {
      "DoThingOutput": {"type": "structure", "required": ["thingArn"],
                        "members": {"thingArn": {"shape": "S"}, "Count": {"shape": "N"}}},
      "S": {"type": "string", "min": 1},
      "N": {"type": "integer", "max": 10}}})";
  f.env.service_models_dir = dir.string();
  TestStateRequest r;
  r.definition = R"({"Type":"Task","Resource":"arn:aws:states:::aws-sdk:demo:doThing","End":true})";
  r.mock = TestStateMock{R"({"Count":3})", std::nullopt, "STRICT"};
  EXPECT_EQ(f.refused(r).message,
            "Mock result schema validation error: Required field 'ThingArn' is missing");
  r.mock->field_validation_mode = "PRESENT";
  EXPECT_EQ(field(f.ok(r), "status"), json::Value("SUCCEEDED"));
  r.mock->result = R"({"Count":"3"})";
  EXPECT_EQ(f.refused(r).message,
            "Mock result schema validation error: Field 'Count' must be a number");
  r.mock->result = R"({"Count":11})";
  EXPECT_EQ(f.refused(r).message,
            "Mock result schema validation error: Field 'Count' exceeds the maximum value");
  r.mock->field_validation_mode = "NONE";
  EXPECT_EQ(field(f.ok(r), "status"), json::Value("SUCCEEDED"));
  std::filesystem::remove_all(dir);
}

TEST(TestState, WaitIsNotWaitedOnButItsFieldsAreChecked) {
  Fixture f;
  TestStateRequest r;
  r.definition = R"({"Type":"Wait","SecondsPath":"$.s","Next":"After"})";
  r.input = R"({"s":3600})";
  json::Object out = f.ok(r);
  EXPECT_EQ(field(out, "status"), json::Value("SUCCEEDED"));
  EXPECT_EQ(field(out, "nextState"), json::Value("After"));
  EXPECT_TRUE(json::equal(parsed(out, "output"), json::parse(R"({"s":3600})")));
  r.input = R"({"s":-1})";
  out = f.ok(r);
  EXPECT_EQ(field(out, "status"), json::Value("FAILED"));
  EXPECT_EQ(field(out, "error"), json::Value("States.Runtime"));
}

TEST(TestState, OddRequestsAreRefusedWithAwsErrorTypes) {
  Fixture f;
  TestStateRequest r;
  for (const char* definition : {"not json", "[]", "null", R"({"StartAt":"A","States":{}})",
                                 R"({"Type":"Task","End":true})", R"({"Type":"Pass"})"}) {
    r.definition = definition;
    EXPECT_EQ(f.refused(r).type, "InvalidDefinition") << definition;
  }
  r.definition = R"({"Type":"Pass","End":true})";
  r.input = "{oops";
  EXPECT_EQ(f.refused(r).type, "InvalidExecutionInput");
  r.input = "{}";
  r.variables = "[1]";
  EXPECT_EQ(f.refused(r).type, "ValidationException");
  r.variables.reset();
  r.definition = R"({"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true})";
  r.mock = TestStateMock{"{}", std::nullopt, "NONE"};
  r.context = "5";
  EXPECT_EQ(f.refused(r).type, "ValidationException");
  r.context.reset();
  r.mock->result = "{not json";
  EXPECT_EQ(f.refused(r).message, "Mocked result must be valid JSON");
}

class EchoInvoker final : public integrations::TaskInvoker {
 public:
  integrations::TaskOutcome invoke(const integrations::TaskRequest& request) override {
    return integrations::TaskOutcome::succeeded(json::Object{{"echo", request.input}});
  }
};

TEST(TestState, UnmockedTaskRunsThroughTheInvoker) {
  Fixture f;
  EchoInvoker invoker;
  f.env.invoker = &invoker;
  TestStateRequest r;
  r.definition = R"({"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true})";
  r.role_arn = "arn:aws:iam::111111111111:role/r";
  r.input = R"({"a":1})";
  r.inspection_level = "DEBUG";
  json::Object out = f.ok(r);
  EXPECT_TRUE(json::equal(parsed(out, "output"), json::parse(R"({"echo":{"a":1}})")));
  EXPECT_TRUE(json::equal(parsed(out.at("inspectionData").as_object(), "result"),
                          json::parse(R"({"echo":{"a":1}})")));
}

}  // namespace
}  // namespace stepline::engine
