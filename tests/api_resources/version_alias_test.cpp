// PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion and the alias
// operations, with their interplay (an alias pins the versions it routes to).
#include "resources_fixture.hpp"

namespace stepline::api::testing {
namespace {

using Versions = ResourcesTest;

json::Object routing_body(const std::string& name, const std::string& routing) {
  json::Object body;
  body["name"] = name;
  body["routingConfiguration"] = json::parse(routing);
  return body;
}

std::string entry(const std::string& version, int weight) {
  return R"({"stateMachineVersionArn": ")" + version + R"(", "weight": )" + std::to_string(weight) +
         "}";
}

TEST_F(Versions, PublishNumbersFromOneAndIsIdempotent) {
  const std::string arn = create_machine("machine");
  json::Object first = ok("PublishStateMachineVersion", arn_body("stateMachineArn", arn));
  EXPECT_EQ(first.at("stateMachineVersionArn").as_string(), arn + ":1");
  EXPECT_DOUBLE_EQ(first.at("creationDate").as_double(), 1700000000.0);
  clock_.advance(Millis(1000));
  json::Object again = ok("PublishStateMachineVersion", arn_body("stateMachineArn", arn));
  EXPECT_EQ(again.at("stateMachineVersionArn").as_string(), arn + ":1");
  EXPECT_DOUBLE_EQ(again.at("creationDate").as_double(), 1700000000.0);
  update_definition(arn, comment_definition("R2"));
  json::Object with_description = arn_body("stateMachineArn", arn);
  with_description["description"] = "PublishedV2Description";
  EXPECT_EQ(
      ok("PublishStateMachineVersion", with_description).at("stateMachineVersionArn").as_string(),
      arn + ":2");
  json::Object v2 = describe(arn + ":2");
  EXPECT_EQ(v2.at("description").as_string(), "PublishedV2Description");
  EXPECT_EQ(v2.at("definition").as_string(), comment_definition("R2"));
  EXPECT_EQ(v2.at("revisionId"), describe(arn).at("revisionId"));
  EXPECT_EQ(v2.at("status").as_string(), "ACTIVE");
  EXPECT_DOUBLE_EQ(v2.at("creationDate").as_double(), 1700000001.0);
}

TEST_F(Versions, PublishChecksRevisionId) {
  const std::string arn = create_machine("machine");
  json::Object body = arn_body("stateMachineArn", arn);
  body["revisionId"] = "INITIAL";
  ok("PublishStateMachineVersion", body);
  update_definition(arn, comment_definition("R2"));
  const std::string r2 = std::string(describe(arn).at("revisionId").as_string());
  update_definition(arn, comment_definition("R3"));
  const std::string r3 = std::string(describe(arn).at("revisionId").as_string());
  body["revisionId"] = r2;
  ApiError e = fails("PublishStateMachineVersion", body);
  EXPECT_EQ(e.type, "ConflictException");
  EXPECT_EQ(e.status, 409);
  EXPECT_EQ(e.message, "Failed to publish the State Machine version for revision " + r2 +
                           ". The current State Machine revision is " + r3 + ".");
  body["revisionId"] = r3;
  EXPECT_EQ(ok("PublishStateMachineVersion", body).at("stateMachineVersionArn").as_string(),
            arn + ":2");
}

TEST_F(Versions, PublishErrors) {
  ApiError e = fails("PublishStateMachineVersion", R"({"stateMachineArn": "invalid_arn"})");
  EXPECT_EQ(e.type, "InvalidArn");
  EXPECT_EQ(e.message, "Invalid Arn: 'Invalid ARN prefix: invalid_arn'");
  const std::string unknown = std::string(kMachinePrefix) + "unknown";
  e = fails("PublishStateMachineVersion", arn_body("stateMachineArn", unknown));
  EXPECT_EQ(e.type, "StateMachineDoesNotExist");
  EXPECT_EQ(e.message, "State Machine Does Not Exist: '" + unknown + "'");
}

TEST_F(Versions, ListNewestFirstAndNumbersAreNeverReused) {
  const std::string arn = create_machine("machine");
  publish(arn);
  update_definition(arn, comment_definition("R2"));
  publish(arn);
  update_definition(arn, comment_definition("R3"));
  publish(arn);
  ok("DeleteStateMachineVersion", arn_body("stateMachineVersionArn", arn + ":3"));
  ok("DeleteStateMachineVersion", arn_body("stateMachineVersionArn", arn + ":3"));  // again: 200
  update_definition(arn, comment_definition("R4"));
  EXPECT_EQ(publish(arn), arn + ":4");
  json::Object list = ok("ListStateMachineVersions", arn_body("stateMachineArn", arn));
  std::vector<std::string> arns;
  for (const json::Value& item : list.at("stateMachineVersions").as_array()) {
    arns.emplace_back(item.at("stateMachineVersionArn").as_string());
    EXPECT_TRUE(item.as_object().contains("creationDate"));
  }
  EXPECT_EQ(arns, (std::vector<std::string>{arn + ":4", arn + ":2", arn + ":1"}));
  json::Object paged = arn_body("stateMachineArn", arn);
  paged["maxResults"] = 2;
  json::Object page = ok("ListStateMachineVersions", paged);
  EXPECT_EQ(page.at("stateMachineVersions").as_array().size(), 2u);
  paged["nextToken"] = page.at("nextToken");
  page = ok("ListStateMachineVersions", paged);
  ASSERT_EQ(page.at("stateMachineVersions").as_array().size(), 1u);
  EXPECT_EQ(page.at("stateMachineVersions").as_array()[0].at("stateMachineVersionArn").as_string(),
            arn + ":1");
  EXPECT_FALSE(page.contains("nextToken"));
  EXPECT_EQ(fails("DescribeStateMachine", arn_body("stateMachineArn", arn + ":3")).type,
            "StateMachineDoesNotExist");
}

using Aliases = ResourcesTest;

TEST_F(Aliases, CreateDescribeUpdateDelete) {
  const std::string arn = create_machine("machine");
  const std::string v1 = publish(arn);
  update_definition(arn, comment_definition("R2"));
  const std::string v2 = publish(arn);
  json::Object body = routing_body("AliasName", "[" + entry(v1, 100) + "]");
  body["description"] = "create state machine alias description";
  json::Object created = ok("CreateStateMachineAlias", body);
  EXPECT_EQ(created.at("stateMachineAliasArn").as_string(), arn + ":AliasName");
  EXPECT_EQ(ok("CreateStateMachineAlias", body), created);  // idempotent
  json::Object described =
      ok("DescribeStateMachineAlias", arn_body("stateMachineAliasArn", arn + ":AliasName"));
  EXPECT_EQ(
      json::dump(described),
      R"({"stateMachineAliasArn":")" + arn +
          R"(:AliasName","name":"AliasName","description":"create state machine alias description","routingConfiguration":[{"stateMachineVersionArn":")" +
          v1 + R"(","weight":100}],"creationDate":1.7E9,"updateDate":1.7E9})");

  clock_.advance(Millis(2000));
  json::Object update = arn_body("stateMachineAliasArn", arn + ":AliasName");
  update["routingConfiguration"] = json::parse("[" + entry(v1, 50) + ", " + entry(v2, 50) + "]");
  EXPECT_DOUBLE_EQ(ok("UpdateStateMachineAlias", update).at("updateDate").as_double(),
                   1700000002.0);
  update.erase("routingConfiguration");
  update["description"] = "new description";
  ok("UpdateStateMachineAlias", update);
  described = ok("DescribeStateMachineAlias", arn_body("stateMachineAliasArn", arn + ":AliasName"));
  EXPECT_EQ(described.at("description").as_string(), "new description");
  EXPECT_EQ(described.at("routingConfiguration").as_array().size(), 2u);
  EXPECT_DOUBLE_EQ(described.at("creationDate").as_double(), 1700000000.0);

  ok("DeleteStateMachineAlias", arn_body("stateMachineAliasArn", arn + ":AliasName"));
  ApiError e =
      fails("DescribeStateMachineAlias", arn_body("stateMachineAliasArn", arn + ":AliasName"));
  EXPECT_EQ(e.type, "ResourceNotFound");
  EXPECT_EQ(e.message, "Request references a resource that does not exist.");
  e = fails("UpdateStateMachineAlias", update);
  EXPECT_EQ(e.type, "ResourceNotFound");
  // Deleting the alias left the versions alone.
  EXPECT_EQ(describe(v1).at("stateMachineArn").as_string(), v1);
}

TEST_F(Aliases, SameNameDifferentConfigurationConflicts) {
  const std::string arn = create_machine("machine");
  const std::string v1 = publish(arn);
  json::Object body = routing_body("AliasName", "[" + entry(v1, 100) + "]");
  body["description"] = "one";
  ok("CreateStateMachineAlias", body);
  body["description"] = "This is a different description";
  ApiError e = fails("CreateStateMachineAlias", body);
  EXPECT_EQ(e.type, "ConflictException");
  EXPECT_EQ(e.message,
            "Failed to create alias because an alias with the same name and a different routing "
            "configuration already exists.");
}

TEST_F(Aliases, RoutingConfigurationErrors) {
  const std::string arn = create_machine("machine");
  const std::string v1 = publish(arn);
  update_definition(arn, comment_definition("R2"));
  const std::string v2 = publish(arn);
  ApiError e = fails("CreateStateMachineAlias",
                     routing_body("A", "[" + entry(arn, 70) + ", " + entry(v2, 30) + "]"));
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_EQ(e.message,
            "Routing configuration must contain state machine version ARNs. Received: [" + arn +
                ", " + v2 + "]");
  e = fails("CreateStateMachineAlias",
            routing_body("A", "[" + entry(v1, 50) + ", " + entry(v1, 50) + "]"));
  EXPECT_EQ(e.message,
            "Routing configuration must contain distinct state machine version ARNs. Received: [" +
                v1 + ", " + v1 + "]");
  e = fails("CreateStateMachineAlias",
            routing_body("A", "[" + entry(v1, 70) + ", " + entry(v2, 29) + "]"));
  EXPECT_EQ(e.message, "Sum of routing configuration weights must equal 100. Received: [70, 29]");
  e = fails("CreateStateMachineAlias", routing_body("A", "[" + entry(arn + ":9", 100) + "]"));
  EXPECT_EQ(e.type, "ResourceNotFound");
}

TEST_F(Aliases, VersionReferencedByAliasCannotBeDeleted) {
  const std::string arn = create_machine("machine");
  const std::string v1 = publish(arn);
  ok("CreateStateMachineAlias",
     routing_body("state_machine_alias_name", "[" + entry(v1, 100) + "]"));
  ApiError e = fails("DeleteStateMachineVersion", arn_body("stateMachineVersionArn", v1));
  EXPECT_EQ(e.type, "ConflictException");
  EXPECT_EQ(e.message,
            "Version to be deleted must not be referenced by an alias. Current list of aliases "
            "referencing this version: [state_machine_alias_name]");
  update_definition(arn, comment_definition("v2"));
  const std::string v2 = publish(arn);
  json::Object update = arn_body("stateMachineAliasArn", arn + ":state_machine_alias_name");
  update["routingConfiguration"] = json::parse("[" + entry(v2, 100) + "]");
  ok("UpdateStateMachineAlias", update);
  ok("DeleteStateMachineVersion", arn_body("stateMachineVersionArn", v1));
}

TEST_F(Aliases, ListOldestFirstAndByVersion) {
  const std::string arn = create_machine("machine");
  const std::string v1 = publish(arn);
  update_definition(arn, comment_definition("R2"));
  const std::string v2 = publish(arn);
  EXPECT_EQ(json::dump(ok("ListStateMachineAliases", arn_body("stateMachineArn", arn))),
            R"({"stateMachineAliases":[]})");
  ok("CreateStateMachineAlias", routing_body("AliasName-1", "[" + entry(v1, 100) + "]"));
  ok("CreateStateMachineAlias", routing_body("AliasName-2", "[" + entry(v2, 100) + "]"));
  ok("CreateStateMachineAlias",
     routing_body("AliasName-3", "[" + entry(v1, 10) + ", " + entry(v2, 90) + "]"));
  auto names = [&](json::Object body) {
    std::vector<std::string> out;
    const json::Object listed = ok("ListStateMachineAliases", body);
    for (const json::Value& item : listed.at("stateMachineAliases").as_array())
      out.push_back(
          std::string(item.at("stateMachineAliasArn").as_string()).substr(arn.size() + 1));
    return out;
  };
  EXPECT_EQ(names(arn_body("stateMachineArn", arn)),
            (std::vector<std::string>{"AliasName-1", "AliasName-2", "AliasName-3"}));
  EXPECT_EQ(names(arn_body("stateMachineArn", v1)),
            (std::vector<std::string>{"AliasName-1", "AliasName-3"}));
  json::Object paged = arn_body("stateMachineArn", arn);
  paged["maxResults"] = 2;
  json::Object page = ok("ListStateMachineAliases", paged);
  EXPECT_EQ(page.at("stateMachineAliases").as_array().size(), 2u);
  paged["nextToken"] = page.at("nextToken");
  EXPECT_EQ(ok("ListStateMachineAliases", paged).at("stateMachineAliases").as_array().size(), 1u);
  paged["nextToken"] = "InvalidToken";
  ApiError e = fails("ListStateMachineAliases", paged);
  EXPECT_EQ(e.type, "InvalidToken");
  EXPECT_EQ(e.message, "Invalid Token: 'Invalid token'");
  const std::string unknown = std::string(kMachinePrefix) + "nothing";
  EXPECT_EQ(fails("ListStateMachineAliases", arn_body("stateMachineArn", unknown)).type,
            "StateMachineDoesNotExist");
}

}  // namespace
}  // namespace stepline::api::testing
