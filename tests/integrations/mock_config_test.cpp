#include "integrations/mock/mock_config.hpp"

#include <gtest/gtest.h>

#include <string>

namespace stepline::integrations::mock {
namespace {

// The example of AWS's guide (LOCAL.md §3.3), trimmed.
constexpr const char* kGuideConfig = R"({
  "StateMachines": {
    "LambdaSQSIntegration": {
      "TestCases": {
        "HappyPath": {"LambdaState": "MockedLambdaSuccess"},
        "RetryPath": {"LambdaState": "MockedLambdaRetry"}
      }
    }
  },
  "MockedResponses": {
    "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"ok": true}}}},
    "MockedLambdaRetry": {
      "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "not ready"}},
      "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "timeout"}},
      "3": {"Return": {"StatusCode": 200, "Payload": {"ok": 3}}}
    }
  }
})";

TEST(MockConfig, ParsesTheGuideExampleAndResolvesRanges) {
  MockConfig config = MockConfig::parse_text(kGuideConfig);
  MockTestCase retry = config.test_case("LambdaSQSIntegration", "RetryPath");
  ASSERT_EQ(retry.responses.count("LambdaState"), 1u);
  const MockedResponse& r = retry.responses.at("LambdaState");
  ASSERT_NE(r.answer_for(0), nullptr);
  EXPECT_TRUE(r.answer_for(0)->throws);
  EXPECT_EQ(r.answer_for(0)->error, "Lambda.ResourceNotReadyException");
  EXPECT_EQ(r.answer_for(1)->error, "Lambda.TimeoutException");
  EXPECT_EQ(r.answer_for(2)->cause, "timeout");
  ASSERT_NE(r.answer_for(3), nullptr);
  EXPECT_FALSE(r.answer_for(3)->throws);
  EXPECT_TRUE(json::equal(r.answer_for(3)->result,
                          json::parse(R"({"StatusCode":200,"Payload":{"ok":3}})")));
  EXPECT_EQ(r.answer_for(4), nullptr);
  EXPECT_EQ(r.invocation_count_covered(), 4u);
}

TEST(MockConfig, FindsATestCaseWithoutTheMachineName) {
  MockConfig config = MockConfig::parse_text(kGuideConfig);
  EXPECT_EQ(config.find_test_case("HappyPath").name, "HappyPath");
  EXPECT_EQ(config.find_test_case("HappyPath").machine, "LambdaSQSIntegration");
  EXPECT_THROW(config.find_test_case("NoSuchCase"), MockConfigError);
}

TEST(MockConfig, UnknownMachineOrTestCaseIsAClearError) {
  MockConfig config = MockConfig::parse_text(kGuideConfig);
  try {
    config.test_case("LambdaSQSIntegration", "Nope");
    FAIL() << "expected an error";
  } catch (const MockConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("'Nope'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(config.test_case("Other", "HappyPath"), MockConfigError);
}

void expect_rejected(const char* response, const char* fragment) {
  try {
    MockedResponse::parse(json::parse(response), "MockedResponses.R");
    ADD_FAILURE() << "accepted " << response;
  } catch (const MockConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(MockedResponse, RejectsNonConsecutiveNumbering) {
  expect_rejected(R"({"1": {"Return": 1}})", "consecutively numbered");
  expect_rejected(R"({"0": {"Return": 1}, "2": {"Return": 2}})", "consecutively numbered");
  expect_rejected(R"({"0-2": {"Return": 1}, "2": {"Return": 2}})", "consecutively numbered");
}

TEST(MockedResponse, RejectsMalformedKeysAndEntries) {
  expect_rejected(R"({"a": {"Return": 1}})", "invalid invocation key");
  expect_rejected(R"({"2-1": {"Return": 1}})", "invalid invocation key");
  expect_rejected(R"({"-1": {"Return": 1}})", "invalid invocation key");
  expect_rejected(R"({})", "no invocation entries");
  expect_rejected(R"({"0": {"Return": 1, "Throw": {"Error": "E", "Cause": "C"}}})", "exactly one");
  expect_rejected(R"({"0": {}})", "exactly one");
  expect_rejected(R"({"0": {"Throw": {"Error": "E"}}})", "Cause");
  expect_rejected(R"({"0": {"Throw": {"Error": 1, "Cause": "C"}}})", "Error");
  expect_rejected(R"([])", "must be a JSON object");
}

TEST(MockedResponse, ReturnMayBeAnyJsonValue) {
  MockedResponse r = MockedResponse::parse(
      json::parse(R"({"0": {"Return": "text"}, "1-1": {"Return": null}})"), "R");
  EXPECT_TRUE(r.answer_for(0)->result.is_string());
  EXPECT_TRUE(r.answer_for(1)->result.is_null());
}

TEST(MockConfig, RejectsReferencesToUndefinedResponsesAndBadShapes) {
  EXPECT_THROW(
      MockConfig::parse_text(R"({"StateMachines":{"M":{"TestCases":{"T":{"S":"Missing"}}}}})"),
      MockConfigError);
  EXPECT_THROW(MockConfig::parse_text(R"({"StateMachines":{"M":{"Other":{}}}})"), MockConfigError);
  EXPECT_THROW(MockConfig::parse_text(R"({"StateMachines":{"M":{"TestCases":{"T":{"S":1}}}}})"),
               MockConfigError);
  EXPECT_THROW(MockConfig::parse_text(R"({"Unknown":{}})"), MockConfigError);
  EXPECT_THROW(MockConfig::parse_text("{not json"), MockConfigError);
  EXPECT_THROW(MockConfig::load("/nonexistent/dir/MockConfigFile.json"), MockConfigError);
}

}  // namespace
}  // namespace stepline::integrations::mock
