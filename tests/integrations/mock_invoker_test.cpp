#include "integrations/mock/mock_invoker.hpp"

#include <gtest/gtest.h>

namespace stepline::integrations::mock {
namespace {

MockTestCase one_state(const char* state, const char* response) {
  MockTestCase tc;
  tc.name = "Case";
  tc.responses.emplace(state, MockedResponse::parse(json::parse(response), state));
  return tc;
}

TaskRequest request(const char* state, const char* resource) {
  TaskRequest r;
  r.state_name = state;
  r.resource = resource;
  r.input = json::Object{};
  return r;
}

TEST(MockInvoker, CountsInvocationsPerStateAcrossCalls) {
  MockInvoker invoker(one_state("Call", R"({
    "0": {"Throw": {"Error": "Boom", "Cause": "first"}},
    "1-2": {"Return": {"n": 1}},
    "3": {"Return": {"n": 3}}})"));
  auto req = request("Call", "arn:aws:states:::lambda:invoke");
  TaskOutcome o0 = invoker.invoke(req);
  EXPECT_EQ(o0.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(o0.error.error, "Boom");
  EXPECT_EQ(o0.error.cause, "first");
  for (int i = 1; i <= 2; ++i) {
    TaskOutcome o = invoker.invoke(req);
    ASSERT_EQ(o.kind, TaskOutcome::Kind::Succeeded);
    EXPECT_TRUE(json::equal(o.output, json::parse(R"({"n":1})")));
  }
  EXPECT_TRUE(json::equal(invoker.invoke(req).output, json::parse(R"({"n":3})")));
  EXPECT_EQ(invoker.invocations("Call"), 4u);
  TaskOutcome beyond = invoker.invoke(req);
  EXPECT_EQ(beyond.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(beyond.error.error, "States.Runtime");
  EXPECT_NE(beyond.error.cause->find("invocation 4"), std::string::npos) << *beyond.error.cause;
}

TEST(MockInvoker, LegacyLambdaArnYieldsThePayload) {
  MockInvoker invoker(
      one_state("L", R"({"0-1": {"Return": {"StatusCode": 200, "Payload": {"v": 1}}}})"));
  TaskOutcome legacy =
      invoker.invoke(request("L", "arn:aws:lambda:us-east-1:123456789012:function:F"));
  EXPECT_TRUE(json::equal(legacy.output, json::parse(R"({"v":1})")));
  TaskOutcome optimised = invoker.invoke(request("L", "arn:aws:states:::lambda:invoke"));
  EXPECT_TRUE(
      json::equal(optimised.output, json::parse(R"({"StatusCode":200,"Payload":{"v":1}})")));
}

TEST(MockInvoker, WaitForTaskTokenReturnIsTheCallbackOutputAndThrowIsTheFailure) {
  MockInvoker invoker(one_state("Cb", R"({"0": {"Return": {"answer": 42}},
    "1": {"Throw": {"Error": "Rejected", "Cause": "no"}}})"));
  auto req = request("Cb", "arn:aws:states:::sqs:sendMessage.waitForTaskToken");
  TaskOutcome ok = invoker.invoke(req);
  ASSERT_EQ(ok.kind, TaskOutcome::Kind::Succeeded);
  EXPECT_TRUE(json::equal(ok.output, json::parse(R"({"answer":42})")));
  TaskOutcome failed = invoker.invoke(req);
  EXPECT_EQ(failed.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(failed.error.error, "Rejected");
}

TEST(MockInvoker, UnmockedStateFailsClearlyOrGoesToTheFallback) {
  MockInvoker invoker(one_state("A", R"({"0": {"Return": 1}})"));
  TaskOutcome o = invoker.invoke(request("B", "arn:aws:states:::sns:publish"));
  EXPECT_EQ(o.kind, TaskOutcome::Kind::Failed);
  EXPECT_NE(o.error.cause->find("'B'"), std::string::npos);

  struct Echo : TaskInvoker {
    TaskOutcome invoke(const TaskRequest& r) override { return TaskOutcome::succeeded(r.input); }
  } echo;
  MockInvoker hybrid(one_state("A", R"({"0": {"Return": 1}})"), &echo);
  EXPECT_EQ(hybrid.invoke(request("B", "arn:aws:states:::sns:publish")).kind,
            TaskOutcome::Kind::Succeeded);
  EXPECT_EQ(hybrid.invocations("B"), 0u);
}

}  // namespace
}  // namespace stepline::integrations::mock
