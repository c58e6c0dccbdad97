// StartExecution/StartSyncExecution resolve machine ARNs through a cache (machine_ref_cache.hpp):
// every write the API answers must be seen by the next start, exactly as without the cache.
#include "api_harness.hpp"

#include <gtest/gtest.h>

#include <string>

namespace stepline::testing {
namespace {

std::string pass_returning(const std::string& value) {
  return R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":")" + value + R"(","End":true}}})";
}

std::string sync_output(ApiHarness& api, const std::string& arn) {
  Answer answer = api.call("StartSyncExecution", {{"stateMachineArn", arn}, {"input", "{}"}});
  EXPECT_EQ(answer.status, 200) << json::dump(answer.body);
  return answer.text("output");
}

TEST(MachineRefCache, UpdateIsSeenByTheNextStart) {
  ApiHarness api;
  const std::string arn = api.create_machine("updated", pass_returning("one"), "EXPRESS");
  EXPECT_EQ(sync_output(api, arn), R"("one")");
  EXPECT_EQ(sync_output(api, arn), R"("one")");  // from the cache
  Answer updated = api.call("UpdateStateMachine",
                            {{"stateMachineArn", arn}, {"definition", pass_returning("two")}});
  ASSERT_EQ(updated.status, 200) << json::dump(updated.body);
  EXPECT_EQ(sync_output(api, arn), R"("two")");
}

TEST(MachineRefCache, DeletedMachineCannotStartAnyMore) {
  ApiHarness api;
  const std::string arn = api.create_machine("deleted", pass_returning("one"), "EXPRESS");
  EXPECT_EQ(sync_output(api, arn), R"("one")");
  ASSERT_EQ(api.call("DeleteStateMachine", {{"stateMachineArn", arn}}).status, 200);
  Answer sync = api.call("StartSyncExecution", {{"stateMachineArn", arn}, {"input", "{}"}});
  EXPECT_EQ(sync.status, 400);
  EXPECT_EQ(sync.error(), "StateMachineDoesNotExist") << sync.message();
  Answer start = api.call("StartExecution", {{"stateMachineArn", arn}, {"input", "{}"}});
  EXPECT_EQ(start.error(), "StateMachineDoesNotExist") << start.message();

  // The same name created again runs its new definition.
  const std::string again = api.create_machine("deleted", pass_returning("three"), "EXPRESS");
  EXPECT_EQ(again, arn);
  EXPECT_EQ(sync_output(api, again), R"("three")");
}

TEST(MachineRefCache, DeletedVersionCannotStartAnyMore) {
  ApiHarness api;
  const std::string arn = api.create_machine("versioned", pass_returning("v1"), "EXPRESS", true);
  const std::string version = arn + ":1";
  EXPECT_EQ(sync_output(api, version), R"("v1")");
  Answer updated = api.call("UpdateStateMachine",
                            {{"stateMachineArn", arn}, {"definition", pass_returning("v2")}});
  ASSERT_EQ(updated.status, 200) << json::dump(updated.body);
  EXPECT_EQ(sync_output(api, version), R"("v1")");  // a version never changes
  EXPECT_EQ(sync_output(api, arn), R"("v2")");
  ASSERT_EQ(api.call("DeleteStateMachineVersion", {{"stateMachineVersionArn", version}}).status,
            200);
  Answer gone = api.call("StartSyncExecution", {{"stateMachineArn", version}, {"input", "{}"}});
  EXPECT_EQ(gone.status, 400);
  EXPECT_EQ(gone.error(), "StateMachineDoesNotExist") << gone.message();
}

TEST(MachineRefCache, AliasesDrawTheirVersionOnEveryStart) {
  ApiHarness api;
  const std::string arn = api.create_machine("aliased", pass_returning("v1"), "EXPRESS", true);
  ASSERT_EQ(
      api.call("UpdateStateMachine",
               {{"stateMachineArn", arn}, {"definition", pass_returning("v2")}, {"publish", true}})
          .status,
      200);
  Answer alias = api.call(
      "CreateStateMachineAlias",
      {{"name", "live"},
       {"routingConfiguration",
        json::Array{json::Object{{"stateMachineVersionArn", arn + ":1"}, {"weight", 100}}}}});
  ASSERT_EQ(alias.status, 200) << json::dump(alias.body);
  const std::string alias_arn = alias.text("stateMachineAliasArn");
  EXPECT_EQ(sync_output(api, alias_arn), R"("v1")");
  ASSERT_EQ(
      api.call(
             "UpdateStateMachineAlias",
             {{"stateMachineAliasArn", alias_arn},
              {"routingConfiguration",
               json::Array{json::Object{{"stateMachineVersionArn", arn + ":2"}, {"weight", 100}}}}})
          .status,
      200);
  EXPECT_EQ(sync_output(api, alias_arn), R"("v2")");
}

}  // namespace
}  // namespace stepline::testing
