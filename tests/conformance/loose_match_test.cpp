#include "loose_match.hpp"
#include "history_compare.hpp"

#include <gtest/gtest.h>

namespace stepline::harness {
namespace {

bool matches(const char* expected, const char* actual) {
  return !loose_diff(json::parse(expected), json::parse(actual));
}

TEST(LooseDiff, PlaceholderTokensMatchAnyText) {
  EXPECT_TRUE(matches(
      R"("arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>")",
      R"("arn:aws:states:us-east-1:111111111111:execution:M:abc-123")"));
  EXPECT_FALSE(matches(R"("arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>")",
                       R"("arn:aws:states:us-east-1:123456789012:execution:M")"));
  EXPECT_TRUE(matches(R"("<uuid:1>")", R"("0b3c5d4e-0000-4000-8000-000000000000")"));
  EXPECT_TRUE(matches(R"({"a": "timestamp", "r": "snf_role_arn"})",
                      R"({"a": 1700000000.5, "r": "arn:aws:iam::1:role/x"})"));
  EXPECT_FALSE(matches(R"({"r": "snf_role_arn"})", R"({"r": "not an arn"})"));
  EXPECT_TRUE(matches(R"("a<b")", R"("a<b")"));
}

TEST(LooseDiff, ParsesOurJsonTextWhereTheRecorderParsedIt) {
  EXPECT_TRUE(matches(R"({"input": {"x": 1}})", R"({"input": "{\"x\":1}"})"));
  EXPECT_FALSE(matches(R"({"input": {"x": 1}})", R"({"input": "{\"x\":2}"})"));
  EXPECT_TRUE(matches(R"({"output": "[1,2]"})", R"({"output": "[1,2]"})"));
}

TEST(LooseDiff, IntegersAndFractionsStayApartAndFieldsMustMatch) {
  EXPECT_FALSE(matches("1", "1.0"));
  EXPECT_TRUE(matches("1.5", "1.5"));
  EXPECT_FALSE(matches(R"({"a": 1})", R"({"a": 1, "b": 2})"));
  EXPECT_FALSE(matches(R"({"a": 1, "b": 2})", R"({"a": 1})"));
  EXPECT_TRUE(matches(R"({"timestamp": "timestamp", "a": 1})", R"({"timestamp": 12.5, "a": 1})"));
}

TEST(LooseDiff, SnapshotTransformerWordsStandForAnyValue) {
  EXPECT_TRUE(matches(R"({"output": "executionSucceededEventDetails.output"})",
                      R"({"output": [{"Payload": 1}]})"));
  EXPECT_TRUE(matches(R"("stateExitedEventDetails.output")", R"("[1]")"));
  EXPECT_FALSE(matches(R"("EventDetails.output")", R"("x")"));
  EXPECT_FALSE(matches(R"("state_exited.output")", R"("x")"));
}

TEST(LooseDiff, NameWordsStandForAnyName) {
  EXPECT_TRUE(matches(R"("activity_name")", R"("activity-00000001")"));
  EXPECT_TRUE(matches(R"("sqs_queue_url")", R"("https://sqs.us-east-1.amazonaws.com/1/q")"));
  EXPECT_FALSE(matches(R"("sqs_queue_url")", R"("queue")"));
  EXPECT_TRUE(matches(R"("function_name_branch1")", R"("lambda_branch1_00000001")"));
  EXPECT_FALSE(matches(R"("function_name_branch1")", R"(1)"));
  EXPECT_FALSE(matches(R"("Name_x")", R"("y")"));
  EXPECT_FALSE(matches(R"("name")", R"("y")"));
}

TEST(LooseDiff, HyphenatedRecorderWords) {
  EXPECT_TRUE(matches(R"("execution-arn")", R"("arn:aws:states:us-east-1:1:execution:m:x")"));
  EXPECT_FALSE(matches(R"("execution-arn")", R"("x")"));
  EXPECT_TRUE(matches(R"({"StopDate": "stop-date"})", R"({"StopDate": 1795266244786})"));
}

TEST(LooseDiff, RedriveCountZeroInAnOlderContextObject) {
  const char* recorded = R"({"Id": "x", "StartTime": "start-time", "RoleArn": "snf_role_arn"})";
  EXPECT_TRUE(matches(recorded, R"({"Id": "x", "StartTime": "t", "RoleArn": "arn:r",
                                    "RedriveCount": 0})"));
  EXPECT_FALSE(matches(recorded, R"({"Id": "x", "StartTime": "t", "RoleArn": "arn:r",
                                     "RedriveCount": 1})"));
  EXPECT_FALSE(matches(R"({"Id": "x"})", R"({"Id": "x", "RedriveCount": 0})"));
}

TEST(CompareEvents, OrderNormalisedRunsCompareAsMultisets) {
  auto expected = json::parse(R"([
    {"id": 1, "previousEventId": 0, "type": "A"},
    {"id": [0], "previousEventId": 0, "type": "B", "d": {"name": "x"}},
    {"id": [0], "previousEventId": 0, "type": "B", "d": {"name": "y"}},
    {"id": 4, "previousEventId": 3, "type": "C"}])")
                      .get_array();
  auto actual = json::parse(R"([
    {"id": 1, "previousEventId": 0, "type": "A", "timestamp": 1},
    {"id": 2, "previousEventId": 1, "type": "B", "d": {"name": "y"}, "timestamp": 1},
    {"id": 3, "previousEventId": 1, "type": "B", "d": {"name": "x"}, "timestamp": 1},
    {"id": 4, "previousEventId": 3, "type": "C", "timestamp": 1}])")
                    .get_array();
  EXPECT_FALSE(compare_events(expected, actual, true));
  EXPECT_TRUE(compare_events(expected, actual, false));
  actual[2].get_object()["d"].get_object()["name"] = "z";
  EXPECT_TRUE(compare_events(expected, actual, true));
}

TEST(CompareEvents, OrderNormalisedToleratesAnEventTheRecorderDroppedButCountedInIds) {
  // The recorder kept id 5 for C although it dropped event 4 (D).
  auto expected = json::parse(R"([
    {"id": 1, "previousEventId": 0, "type": "A"},
    {"id": [0], "previousEventId": 0, "type": "B"},
    {"id": [0], "previousEventId": 0, "type": "B"},
    {"id": 5, "previousEventId": 3, "type": "C"}])")
                      .get_array();
  auto actual = json::parse(R"([
    {"id": 1, "previousEventId": 0, "type": "A"},
    {"id": 2, "previousEventId": 1, "type": "B"},
    {"id": 3, "previousEventId": 1, "type": "B"},
    {"id": 4, "previousEventId": 3, "type": "D"},
    {"id": 5, "previousEventId": 3, "type": "C"}])")
                    .get_array();
  EXPECT_FALSE(compare_events(expected, actual, true));
  actual.erase(actual.begin() + 3);
  EXPECT_TRUE(compare_events(expected, actual, true));
}

TEST(CompareEvents, MapStateExitedMayFollowEitherMapRunEvent) {
  auto run = [](int previous) {
    return json::parse(R"([
      {"id": 1, "previousEventId": 0, "type": "MapStateStarted"},
      {"id": 2, "previousEventId": 1, "type": "MapRunStarted"},
      {"id": 3, "previousEventId": 2, "type": "MapRunSucceeded"},
      {"id": 4, "previousEventId": 3, "type": "MapStateSucceeded"},
      {"id": 5, "previousEventId": )" +
                       std::to_string(previous) + R"(, "type": "MapStateExited"}])")
        .get_array();
  };
  EXPECT_FALSE(compare_events(run(2), run(3), false));
  EXPECT_FALSE(compare_events(run(3), run(2), false));
  EXPECT_TRUE(compare_events(run(2), run(4), false));
  EXPECT_TRUE(compare_events(run(4), run(2), false));
}

TEST(LooseDiff, RecorderWordsAndClientSpacing) {
  EXPECT_TRUE(matches(R"("generated-uuid")", R"("8a7c1b9e-1111-4222-8333-444455556666")"));
  EXPECT_TRUE(matches(R"("RandomNumberGenerated")", "17"));
  EXPECT_TRUE(matches(R"("entered-time")", R"("2024-01-01T00:00:00.000Z")"));
  EXPECT_TRUE(matches(R"("\"date\"")", R"("\"2024-11-06T09:42:03Z\"")"));
  EXPECT_FALSE(matches(R"("RandomNumberGenerated")", R"("17")"));
  EXPECT_TRUE(matches(R"("[\"a\", \"b\"]")", R"("[\"a\",\"b\"]")"));
  EXPECT_FALSE(matches(R"("[1,2]")", R"("[1, 2]")"));
}

TEST(LooseDiff, RecorderReplacedHeaderValues) {
  EXPECT_TRUE(matches(R"({"Date": "date"})", R"({"Date": ["Sat, 21 Nov 2026 08:00:00 GMT"]})"));
  EXPECT_FALSE(matches(R"({"Date": "date"})", R"({"Date": ["a", "b"]})"));
  EXPECT_TRUE(matches(R"({"X-Amzn-Trace-Id": "X-Amzn-Trace-Id"})",
                      R"({"X-Amzn-Trace-Id": ["root=1-abc;sampled=0"]})"));
  EXPECT_TRUE(matches(R"({"RequestId": "RequestId"})", R"({"RequestId": "8a7c1b9e"})"));
  EXPECT_FALSE(matches(R"({"Name": "Name"})", R"({"Name": "other"})"));
  EXPECT_FALSE(matches(R"({"RequestId": "OtherId"})", R"({"RequestId": "8a7c1b9e"})"));
}

TEST(CompareEventTypes, ReportsTheFirstDifference) {
  auto types = json::parse(R"(["A", "B"])").get_array();
  auto events = json::parse(R"([{"type": "A"}, {"type": "C"}])").get_array();
  auto d = compare_event_types(types, events);
  ASSERT_TRUE(d);
  EXPECT_NE(d->find("expected B, got C"), std::string::npos) << *d;
}

}  // namespace
}  // namespace stepline::harness
