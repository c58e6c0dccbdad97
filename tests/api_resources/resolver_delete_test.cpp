// resolve_machine (what StartExecution runs) and DeleteStateMachine (stops RUNNING executions,
// removes versions and aliases, keeps revisions).
#include "resources_fixture.hpp"

namespace stepline::api::testing {
namespace {

using Resolver = ResourcesTest;

runtime::MachineRef resolved(const ServiceContext& context, const std::string& arn) {
  auto result = resolve_machine(context, arn);
  if (const ApiError* e = std::get_if<ApiError>(&result)) {
    ADD_FAILURE() << arn << ": " << e->type << ": " << e->message;
    return {};
  }
  return std::get<runtime::MachineRef>(result);
}

ApiError refused(const ServiceContext& context, const std::string& arn) {
  auto result = resolve_machine(context, arn);
  if (const ApiError* e = std::get_if<ApiError>(&result)) return *e;
  ADD_FAILURE() << arn << " resolved";
  return {};
}

TEST_F(Resolver, MachineVersionAliasAndTestCase) {
  json::Object body = create_body("machine");
  body["type"] = "EXPRESS";
  body["loggingConfiguration"] = json::parse(
      R"({"level": "ALL", "includeExecutionData": true, "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": "arn:aws:logs:us-east-1:111111111111:log-group:g:*"}}]})");
  const std::string arn =
      std::string(ok("CreateStateMachine", body).at("stateMachineArn").as_string());
  const std::string v1 = publish(arn);
  update_definition(arn, comment_definition("R2"));

  runtime::MachineRef plain = resolved(context_, arn);
  EXPECT_EQ(plain.state_machine_arn, arn);
  EXPECT_EQ(plain.state_machine_name, "machine");
  EXPECT_EQ(plain.definition, comment_definition("R2"));
  EXPECT_EQ(plain.role_arn, kRole);
  EXPECT_TRUE(plain.express);
  EXPECT_EQ(plain.logging_configuration.at("level").as_string(), "ALL");
  EXPECT_TRUE(plain.version_arn.empty());
  EXPECT_TRUE(plain.alias_arn.empty());
  ASSERT_TRUE(store_->get_resource(store::ResourceKind::Revision, plain.revision_arn));

  runtime::MachineRef version = resolved(context_, v1);
  EXPECT_EQ(version.state_machine_arn, arn);
  EXPECT_EQ(version.version_arn, v1);
  EXPECT_EQ(version.definition, kPassDefinition);
  EXPECT_NE(version.revision_arn, plain.revision_arn);

  runtime::MachineRef test_case = resolved(context_, arn + "#HappyPath");
  EXPECT_EQ(test_case.mock_test_case, "HappyPath");
  EXPECT_EQ(test_case.state_machine_arn, arn);
}

TEST_F(Resolver, AliasRoutesByWeight) {
  const std::string arn = create_machine("machine");
  const std::string v1 = publish(arn);
  update_definition(arn, comment_definition("R2"));
  const std::string v2 = publish(arn);
  json::Object alias;
  alias["name"] = "live";
  alias["routingConfiguration"] = json::parse(R"([{"stateMachineVersionArn": ")" + v1 +
                                              R"(", "weight": 30}, {"stateMachineVersionArn": ")" +
                                              v2 + R"(", "weight": 70}])");
  ok("CreateStateMachineAlias", alias);
  int to_v1 = 0;
  for (int i = 0; i < 1000; ++i) {
    runtime::MachineRef ref = resolved(context_, arn + ":live");
    EXPECT_EQ(ref.alias_arn, arn + ":live");
    if (ref.version_arn == v1) {
      ++to_v1;
      EXPECT_EQ(ref.definition, kPassDefinition);
    } else {
      EXPECT_EQ(ref.version_arn, v2);
      EXPECT_EQ(ref.definition, comment_definition("R2"));
    }
  }
  EXPECT_GT(to_v1, 200);
  EXPECT_LT(to_v1, 400);
}

TEST_F(Resolver, Errors) {
  ApiError e = refused(context_, "not-an-arn");
  EXPECT_EQ(e.type, "InvalidArn");
  EXPECT_EQ(e.message, "Invalid Arn: 'Invalid ARN prefix: not-an-arn'");
  const std::string unknown = std::string(kMachinePrefix) + "unknown";
  e = refused(context_, unknown);
  EXPECT_EQ(e.type, "StateMachineDoesNotExist");
  EXPECT_EQ(e.message, "State Machine Does Not Exist: '" + unknown + "'");
  const std::string arn = create_machine("machine");
  EXPECT_EQ(refused(context_, arn + ":7").type, "StateMachineDoesNotExist");
  EXPECT_EQ(refused(context_, arn + ":nope").type, "StateMachineDoesNotExist");
  e = refused(context_, arn + "/label");
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_EQ(e.extra.at("reason").as_string(), "API_DOES_NOT_SUPPORT_LABELED_ARNS");
  EXPECT_EQ(refused(context_, "arn:aws:states:us-east-1:111111111111:activity:a").type,
            "InvalidArn");
}

using Deletion = ResourcesTest;

void add_execution(store::Store& store, const std::string& machine, const std::string& name,
                   const std::string& status) {
  store::NewExecution execution;
  execution.summary.arn = "arn:aws:states:us-east-1:111111111111:execution:machine:" + name;
  execution.summary.state_machine_arn = machine;
  execution.summary.name = name;
  execution.summary.status = status;
  execution.summary.start_date = TimePoint{std::chrono::seconds(1700000000)};
  execution.input = "{}";
  execution.first_step.execution_arn = execution.summary.arn;
  execution.first_step.frame = json::Object{};
  ASSERT_EQ(store.create_execution(execution).status, store::CreateStatus::Created);
}

TEST_F(Deletion, UnknownMachineIsOk) {
  EXPECT_EQ(json::dump(ok("DeleteStateMachine",
                          arn_body("stateMachineArn", std::string(kMachinePrefix) + "none"))),
            "{}");
  EXPECT_EQ(fails("DeleteStateMachine", R"({"stateMachineArn": "x"})").type, "InvalidArn");
}

TEST_F(Deletion, RemovesMachineVersionsAliasesButKeepsRevisions) {
  const std::string arn = create_machine("machine");
  const std::string v1 = publish(arn);
  json::Object alias;
  alias["name"] = "live";
  alias["routingConfiguration"] =
      json::parse(R"([{"stateMachineVersionArn": ")" + v1 + R"(", "weight": 100}])");
  ok("CreateStateMachineAlias", alias);
  const std::string revision = resolved(context_, arn).revision_arn;
  ok("DeleteStateMachine", arn_body("stateMachineArn", arn));
  EXPECT_EQ(fails("DescribeStateMachine", arn_body("stateMachineArn", arn)).type,
            "StateMachineDoesNotExist");
  EXPECT_EQ(fails("DescribeStateMachine", arn_body("stateMachineArn", v1)).type,
            "StateMachineDoesNotExist");
  EXPECT_EQ(
      fails("DescribeStateMachineAlias", arn_body("stateMachineAliasArn", arn + ":live")).type,
      "ResourceNotFound");
  EXPECT_TRUE(store_->get_resource(store::ResourceKind::Revision, revision));
  EXPECT_EQ(json::dump(ok("ListStateMachines", R"({})")), R"({"stateMachines":[]})");
  // The name can be used again; version numbers restart with the new machine.
  create_machine("machine");
  EXPECT_EQ(publish(arn), arn + ":1");
}

TEST_F(Deletion, StopsRunningExecutionsAndShowsDeletingMeanwhile) {
  const std::string arn = create_machine("machine");
  add_execution(*store_, arn, "running", "RUNNING");
  add_execution(*store_, arn, "done", "SUCCEEDED");
  runtime_.defer_stops = true;
  auto answer = call_async("DeleteStateMachine", arn_body("stateMachineArn", arn));
  EXPECT_FALSE(*answer);  // waits for the stop
  EXPECT_EQ(
      runtime_.stopped,
      std::vector<std::string>{"arn:aws:states:us-east-1:111111111111:execution:machine:running"});
  EXPECT_EQ(describe(arn).at("status").as_string(), "DELETING");
  ApiError e = refused(context_, arn);
  EXPECT_EQ(e.type, "StateMachineDeleting");
  EXPECT_EQ(fails("UpdateStateMachine",
                  [&] {
                    json::Object b = arn_body("stateMachineArn", arn);
                    b["roleArn"] = kRole;
                    return b;
                  }())
                .type,
            "StateMachineDeleting");
  EXPECT_EQ(fails("CreateStateMachine", create_body("machine")).type, "StateMachineDeleting");
  runtime_.answer_stops();
  ASSERT_TRUE(*answer);
  EXPECT_EQ(json::dump(std::get<json::Object>(**answer)), "{}");
  EXPECT_EQ(fails("DescribeStateMachine", arn_body("stateMachineArn", arn)).type,
            "StateMachineDoesNotExist");
}

}  // namespace
}  // namespace stepline::api::testing
