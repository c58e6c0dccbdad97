// ListExecutions, GetExecutionHistory and DescribeStateMachineForExecution: shapes, filters and
// paging over the store the runtime writes.
#include "api_harness.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace stepline::testing {
namespace {

const char* kPass =
    R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"Arg1":"argument1"},"End":true}}})";
const char* kTwoPasses =
    R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}})";

std::string start(ApiHarness& api, const std::string& machine, const std::string& name) {
  Answer started = api.call("StartExecution", {{"stateMachineArn", machine}, {"name", name}});
  EXPECT_EQ(started.status, 200) << json::dump(started.body);
  api.wait_closed(started.text("executionArn"));
  return started.text("executionArn");
}

std::vector<std::string> names_of(const Answer& listed) {
  std::vector<std::string> names;
  for (const json::Value& item : listed.body.at("executions").get_array())
    names.emplace_back(item.at("name").get_string());
  return names;
}

TEST(ListExecutions, NewestFirstWithPaging) {
  ApiHarness api;
  const std::string machine = api.create_machine("listed", kPass);
  for (const char* name : {"e1", "e2", "e3", "e4", "e5"}) start(api, machine, name);

  Answer all = api.call("ListExecutions", {{"stateMachineArn", machine}});
  ASSERT_EQ(all.status, 200) << json::dump(all.body);
  EXPECT_EQ(names_of(all), (std::vector<std::string>{"e5", "e4", "e3", "e2", "e1"}));
  EXPECT_FALSE(all.body.contains("nextToken"));
  const json::Object& item = all.body.at("executions").get_array()[0].get_object();
  EXPECT_EQ(item.at("executionArn"), "arn:aws:states:us-east-1:123456789012:execution:listed:e5");
  EXPECT_EQ(std::string(item.at("stateMachineArn").as_string()), machine);
  EXPECT_EQ(item.at("status"), "SUCCEEDED");
  EXPECT_EQ(item.at("redriveCount"), 0);
  EXPECT_TRUE(item.at("startDate").is_number());
  EXPECT_TRUE(item.at("stopDate").is_number());

  std::vector<std::string> paged;
  json::Object request{{"stateMachineArn", machine}, {"maxResults", 2}};
  int pages = 0;
  while (true) {
    Answer page = api.call("ListExecutions", request);
    ASSERT_EQ(page.status, 200) << json::dump(page.body);
    ++pages;
    for (const std::string& name : names_of(page)) paged.push_back(name);
    if (!page.body.contains("nextToken")) break;
    request["nextToken"] = page.body.at("nextToken");
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(paged, names_of(all));

  Answer bad_token =
      api.call("ListExecutions", {{"stateMachineArn", machine}, {"nextToken", "garbage"}});
  EXPECT_EQ(bad_token.error(), "InvalidToken");
}

TEST(ListExecutions, StatusFilterAndErrors) {
  ApiHarness api;
  const std::string machine = api.create_machine("mixed", kPass);
  const std::string waiting = api.create_machine(
      "waiting", R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}})");
  start(api, machine, "done");
  Answer running = api.call("StartExecution", {{"stateMachineArn", waiting}, {"name", "open"}});
  ASSERT_EQ(running.status, 200);

  Answer succeeded =
      api.call("ListExecutions", {{"stateMachineArn", machine}, {"statusFilter", "SUCCEEDED"}});
  EXPECT_EQ(names_of(succeeded), (std::vector<std::string>{"done"}));
  Answer none =
      api.call("ListExecutions", {{"stateMachineArn", machine}, {"statusFilter", "RUNNING"}});
  EXPECT_TRUE(names_of(none).empty());
  Answer open =
      api.call("ListExecutions", {{"stateMachineArn", waiting}, {"statusFilter", "RUNNING"}});
  EXPECT_EQ(names_of(open), (std::vector<std::string>{"open"}));

  Answer lower =
      api.call("ListExecutions", {{"stateMachineArn", machine}, {"statusFilter", "succeeded"}});
  EXPECT_EQ(lower.error(), "ValidationException");
  // AWS lists the enum in its own (hash) order, [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED,
  // FAILED, RUNNING]; the shared request validator lists the model's order (reported to the lead).
  EXPECT_EQ(lower.message().rfind("1 validation error detected: Value 'succeeded' at "
                                  "'statusFilter' failed to satisfy constraint: Member must "
                                  "satisfy enum value set: [",
                                  0),
            0u)
      << lower.message();
  Answer neither = api.call("ListExecutions", json::Object{});
  EXPECT_EQ(neither.error(), "ValidationException");
  Answer unknown =
      api.call("ListExecutions",
               {{"stateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:nothing"}});
  EXPECT_EQ(unknown.error(), "StateMachineDoesNotExist");
  Answer not_arn = api.call("ListExecutions", {{"stateMachineArn", "invalid_state_machine_arn"}});
  EXPECT_EQ(not_arn.error(), "InvalidArn");
  EXPECT_EQ(not_arn.message(), "Invalid Arn: 'Invalid ARN prefix: invalid_state_machine_arn'");
  Answer too_many =
      api.call("ListExecutions", {{"stateMachineArn", machine}, {"maxResults", 1001}});
  EXPECT_EQ(too_many.message(),
            "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy "
            "constraint: Member must have value less than or equal to 1000");
  api.call("StopExecution", {{"executionArn", running.text("executionArn")}});
}

TEST(ListExecutions, VersionArnListsOnlyItsExecutions) {
  ApiHarness api;
  Answer created = api.call(
      "CreateStateMachine",
      {{"name", "versioned"}, {"definition", kPass}, {"roleArn", kRoleArn}, {"publish", true}});
  ASSERT_EQ(created.status, 200) << json::dump(created.body);
  const std::string machine = created.text("stateMachineArn");
  const std::string version = created.text("stateMachineVersionArn");
  ASSERT_EQ(version, machine + ":1");

  start(api, machine, "plain");
  for (const char* name : {"v-a", "v-b", "v-c"}) start(api, version, name);
  start(api, machine, "plain-2");

  Answer by_machine = api.call("ListExecutions", {{"stateMachineArn", machine}});
  EXPECT_EQ(names_of(by_machine),
            (std::vector<std::string>{"plain-2", "v-c", "v-b", "v-a", "plain"}));
  Answer by_version = api.call("ListExecutions", {{"stateMachineArn", version}});
  EXPECT_EQ(names_of(by_version), (std::vector<std::string>{"v-c", "v-b", "v-a"}));
  for (const json::Value& item : by_version.body.at("executions").get_array()) {
    EXPECT_EQ(std::string(item.at("stateMachineVersionArn").as_string()), version);
    EXPECT_EQ(std::string(item.at("stateMachineArn").as_string()), machine);
  }

  // Pages of a filtered list are full and resume where the previous one stopped.
  std::vector<std::string> paged;
  json::Object request{{"stateMachineArn", version}, {"maxResults", 2}};
  while (true) {
    Answer page = api.call("ListExecutions", request);
    ASSERT_EQ(page.status, 200) << json::dump(page.body);
    for (const std::string& name : names_of(page)) paged.push_back(name);
    if (!page.body.contains("nextToken")) break;
    EXPECT_EQ(names_of(page).size(), 2u);
    request["nextToken"] = page.body.at("nextToken");
  }
  EXPECT_EQ(paged, names_of(by_version));

  Answer described =
      api.call("DescribeExecution",
               {{"executionArn", "arn:aws:states:us-east-1:123456789012:execution:versioned:v-a"}});
  EXPECT_EQ(described.text("stateMachineVersionArn"), version);
  EXPECT_EQ(described.text("stateMachineArn"), machine);

  Answer unknown_version = api.call("ListExecutions", {{"stateMachineArn", machine + ":7"}});
  EXPECT_EQ(unknown_version.error(), "StateMachineDoesNotExist");
}

TEST(GetExecutionHistory, OrderPagingAndExecutionData) {
  ApiHarness api;
  const std::string machine = api.create_machine("history", kTwoPasses);
  Answer started =
      api.call("StartExecution", {{"stateMachineArn", machine}, {"input", R"({"k":"v"})"}});
  const std::string arn = started.text("executionArn");
  api.wait_closed(arn);

  Answer full = api.call("GetExecutionHistory", {{"executionArn", arn}});
  ASSERT_EQ(full.status, 200) << json::dump(full.body);
  const json::Array& events = full.body.at("events").get_array();
  std::vector<std::string> types;
  for (const json::Value& e : events) types.emplace_back(e.at("type").get_string());
  EXPECT_EQ(types, (std::vector<std::string>{"ExecutionStarted", "PassStateEntered",
                                             "PassStateExited", "PassStateEntered",
                                             "PassStateExited", "ExecutionSucceeded"}));
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].at("id"), i + 1);
  EXPECT_EQ(events[0].at("executionStartedEventDetails").at("input"), R"({"k":"v"})");
  EXPECT_EQ(std::string(events[0].at("executionStartedEventDetails").at("roleArn").as_string()),
            kRoleArn);

  Answer reversed =
      api.call("GetExecutionHistory", {{"executionArn", arn}, {"reverseOrder", true}});
  ASSERT_EQ(reversed.body.at("events").get_array().size(), events.size());
  EXPECT_EQ(reversed.body.at("events").get_array()[0].at("type"), "ExecutionSucceeded");

  std::vector<long long> ids;
  json::Object request{{"executionArn", arn}, {"maxResults", 4}, {"reverseOrder", true}};
  while (true) {
    Answer page = api.call("GetExecutionHistory", request);
    ASSERT_EQ(page.status, 200) << json::dump(page.body);
    for (const json::Value& e : page.body.at("events").get_array())
      ids.push_back(e.at("id").as_int64());
    if (!page.body.contains("nextToken")) break;
    request["nextToken"] = page.body.at("nextToken");
  }
  EXPECT_EQ(ids, (std::vector<long long>{6, 5, 4, 3, 2, 1}));

  Answer bare =
      api.call("GetExecutionHistory", {{"executionArn", arn}, {"includeExecutionData", false}});
  const json::Array& lean = bare.body.at("events").get_array();
  ASSERT_EQ(lean.size(), events.size());
  const json::Object& started_details = lean[0].at("executionStartedEventDetails").get_object();
  EXPECT_FALSE(started_details.contains("input"));
  EXPECT_EQ(json::dump(started_details.at("inputDetails")), R"({"truncated":false})");
  EXPECT_EQ(std::string(started_details.at("roleArn").as_string()), kRoleArn);
  const json::Object& exited = lean[2].at("stateExitedEventDetails").get_object();
  EXPECT_FALSE(exited.contains("output"));
  EXPECT_EQ(exited.at("name"), "A");

  Answer missing =
      api.call("GetExecutionHistory",
               {{"executionArn", "arn:aws:states:us-east-1:123456789012:execution:history:nope"}});
  EXPECT_EQ(missing.error(), "ExecutionDoesNotExist");
  Answer not_arn = api.call("GetExecutionHistory", {{"executionArn", "invalid_state_machine_arn"}});
  EXPECT_EQ(not_arn.message(), "Invalid Arn: 'Invalid ARN prefix: invalid_state_machine_arn'");
  Answer bad_token = api.call("GetExecutionHistory", {{"executionArn", arn}, {"nextToken", "zz"}});
  EXPECT_EQ(bad_token.error(), "InvalidToken");
}

TEST(DescribeStateMachineForExecution, TheRevisionTheExecutionRan) {
  ApiHarness api;
  const std::string machine = api.create_machine("revised", kPass);
  const std::string before = start(api, machine, "before");
  Answer updated =
      api.call("UpdateStateMachine", {{"stateMachineArn", machine}, {"definition", kTwoPasses}});
  ASSERT_EQ(updated.status, 200) << json::dump(updated.body);
  const std::string after = start(api, machine, "after");

  Answer old_revision = api.call("DescribeStateMachineForExecution", {{"executionArn", before}});
  ASSERT_EQ(old_revision.status, 200) << json::dump(old_revision.body);
  EXPECT_EQ(old_revision.text("definition"), kPass);
  EXPECT_EQ(old_revision.text("stateMachineArn"), machine);
  EXPECT_EQ(old_revision.text("name"), "revised");
  EXPECT_EQ(old_revision.text("roleArn"), kRoleArn);
  EXPECT_TRUE(old_revision.body.at("updateDate").is_number());
  EXPECT_FALSE(old_revision.body.contains("revisionId"));
  EXPECT_EQ(json::dump(old_revision.body.at("loggingConfiguration")),
            R"({"level":"OFF","includeExecutionData":false})");
  EXPECT_EQ(json::dump(old_revision.body.at("tracingConfiguration")), R"({"enabled":false})");

  Answer new_revision = api.call("DescribeStateMachineForExecution", {{"executionArn", after}});
  EXPECT_EQ(new_revision.text("definition"), kTwoPasses);
  EXPECT_EQ(new_revision.text("revisionId"), updated.text("revisionId"));

  Answer missing =
      api.call("DescribeStateMachineForExecution",
               {{"executionArn", "arn:aws:states:us-east-1:123456789012:execution:revised:none"}});
  EXPECT_EQ(missing.error(), "ExecutionDoesNotExist");
}

TEST(DescribeExecution, MetadataOnlyLeavesThePayloadsOut) {
  ApiHarness api;
  const std::string machine = api.create_machine("meta", kPass);
  const std::string arn = start(api, machine, "m1");
  Answer described =
      api.call("DescribeExecution", {{"executionArn", arn}, {"includedData", "METADATA_ONLY"}});
  ASSERT_EQ(described.status, 200);
  EXPECT_FALSE(described.body.contains("input"));
  EXPECT_FALSE(described.body.contains("output"));
  EXPECT_EQ(json::dump(described.body.at("inputDetails")), R"({"included":false})");
  Answer unknown = api.call(
      "DescribeExecution",
      {{"executionArn", "arn:aws:states:us-east-1:123456789012:execution:unknown:00000001"}});
  EXPECT_EQ(unknown.message(),
            "Execution Does Not Exist: "
            "'arn:aws:states:us-east-1:123456789012:execution:unknown:00000001'");
}

}  // namespace
}  // namespace stepline::testing
