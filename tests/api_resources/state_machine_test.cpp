// CreateStateMachine, DescribeStateMachine, ListStateMachines, UpdateStateMachine: shapes,
// defaults, idempotency, revisions and AWS's error wording.
#include "resources_fixture.hpp"

namespace stepline::api::testing {
namespace {

using StateMachines = ResourcesTest;

TEST_F(StateMachines, CreateAnswersArnAndCreationDate) {
  json::Object out = ok("CreateStateMachine", create_body("machine"));
  EXPECT_EQ(out.at("stateMachineArn").as_string(), std::string(kMachinePrefix) + "machine");
  EXPECT_DOUBLE_EQ(out.at("creationDate").as_double(), 1700000000.0);
  EXPECT_FALSE(out.contains("stateMachineVersionArn"));
}

TEST_F(StateMachines, DescribeShowsAwsDefaults) {
  const std::string arn = create_machine("machine");
  json::Object d = describe(arn);
  EXPECT_EQ(d.at("stateMachineArn").as_string(), arn);
  EXPECT_EQ(d.at("name").as_string(), "machine");
  EXPECT_EQ(d.at("status").as_string(), "ACTIVE");
  EXPECT_EQ(d.at("definition").as_string(), kPassDefinition);  // byte for byte
  EXPECT_EQ(d.at("roleArn").as_string(), kRole);
  EXPECT_EQ(d.at("type").as_string(), "STANDARD");
  EXPECT_EQ(json::dump(d.at("loggingConfiguration")),
            R"({"level":"OFF","includeExecutionData":false})");
  EXPECT_EQ(json::dump(d.at("tracingConfiguration")), R"({"enabled":false})");
  EXPECT_EQ(json::dump(d.at("encryptionConfiguration")), R"({"type":"AWS_OWNED_KEY"})");
  EXPECT_FALSE(d.contains("revisionId"));
  EXPECT_FALSE(d.contains("variableReferences"));
  EXPECT_FALSE(d.contains("stepline"));
}

TEST_F(StateMachines, CreateIsIdempotentIgnoringRoleAndTags) {
  const std::string arn = create_machine("machine");
  clock_.advance(Millis(5000));
  json::Object again = create_body("machine");
  again["roleArn"] = "arn:aws:iam::111111111111:role/other";
  again["tags"] = json::parse(R"([{"key": "k", "value": "v"}])");
  json::Object out = ok("CreateStateMachine", again);
  EXPECT_EQ(out.at("stateMachineArn").as_string(), arn);
  EXPECT_DOUBLE_EQ(out.at("creationDate").as_double(), 1700000000.0);
  EXPECT_EQ(describe(arn).at("roleArn").as_string(), kRole);
  EXPECT_EQ(json::dump(ok("ListTagsForResource", arn_body("resourceArn", arn))), R"({"tags":[]})");
}

TEST_F(StateMachines, CreateWithOtherDefinitionTextAlreadyExists) {
  const std::string arn = create_machine("machine");
  // The same JSON formatted differently is a different definition on AWS.
  ApiError e =
      fails("CreateStateMachine",
            create_body("machine", R"({"StartAt":"S","States":{"S":{"Type":"Pass","End":true}}})"));
  EXPECT_EQ(e.type, "StateMachineAlreadyExists");
  EXPECT_EQ(e.message, "State Machine Already Exists: '" + arn + "'");
  json::Object express = create_body("machine");
  express["type"] = "EXPRESS";
  EXPECT_EQ(fails("CreateStateMachine", express).type, "StateMachineAlreadyExists");
}

TEST_F(StateMachines, InvalidNamesAreRefusedWithAwsMessage) {
  for (const std::string& name : std::vector<std::string>{"a b",
                                                          "a<b",
                                                          "a>b",
                                                          "a{b",
                                                          "a}b",
                                                          "a[b",
                                                          "a]b",
                                                          "a?b",
                                                          "a*b",
                                                          "a\"b",
                                                          "a#b",
                                                          "a%b",
                                                          "a\\b",
                                                          "a^b",
                                                          "a|b",
                                                          "a~b",
                                                          "a`b",
                                                          "a$b",
                                                          "a&b",
                                                          "a,b",
                                                          "a;b",
                                                          "a:b",
                                                          "a/b",
                                                          "a\tb",
                                                          std::string("a\x01", 2),
                                                          std::string("\x7f"),
                                                          std::string("a\xc2\x80"),
                                                          std::string("a\xff")}) {
    ApiError e = fails("CreateStateMachine", create_body(name));
    EXPECT_EQ(e.type, "InvalidName") << name;
    EXPECT_EQ(e.message, "Invalid Name: '" + name + "'");
  }
  ok("CreateStateMachine", create_body("name.with-dots_and-\xc3\xa9"));
  ok("CreateStateMachine", create_body(std::string(80, 'a')));
  EXPECT_EQ(fails("CreateStateMachine", create_body(std::string(81, 'a'))).type, "InvalidName");
}

TEST_F(StateMachines, RoleMustBeAnArn) {
  json::Object body = create_body("machine");
  body["roleArn"] = "not-a-role";
  ApiError e = fails("CreateStateMachine", body);
  EXPECT_EQ(e.type, "InvalidArn");
  EXPECT_EQ(e.message, "Invalid Arn: 'Invalid ARN prefix: not-a-role'");
}

TEST_F(StateMachines, InvalidDefinitionUsesValidatorMessage) {
  ApiError e = fails("CreateStateMachine",
                     create_body("machine", R"({"StartAt": "S", "Comment": "no states"})"));
  EXPECT_EQ(e.type, "InvalidDefinition");
  EXPECT_EQ(e.message,
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are "
            "required: [States] at /'");
}

TEST_F(StateMachines, ExpressRulesApplyToExpressMachines) {
  const std::string activity_task =
      R"({"StartAt": "ActivityTask", "States": {"ActivityTask": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:111111111111:activity:a", "End": true}}})";
  json::Object body = create_body("express", activity_task);
  body["type"] = "EXPRESS";
  ApiError e = fails("CreateStateMachine", body);
  EXPECT_EQ(e.type, "InvalidDefinition");
  EXPECT_EQ(e.message,
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine "
            "does not support Activity ARN at /States/ActivityTask/Resource'");
  ok("CreateStateMachine", create_body("standard", activity_task));
}

TEST_F(StateMachines, VersionDescriptionNeedsPublish) {
  json::Object body = create_body("machine");
  body["versionDescription"] = "v";
  ApiError e = fails("CreateStateMachine", body);
  EXPECT_EQ(e.type, "ValidationException");
  EXPECT_EQ(e.message, "Version description can only be set when publish is true");
}

TEST_F(StateMachines, CreateWithPublishMakesVersionOne) {
  json::Object body = create_body("machine");
  body["publish"] = true;
  body["versionDescription"] = "HelloWorld!";
  json::Object out = ok("CreateStateMachine", body);
  const std::string arn = std::string(out.at("stateMachineArn").as_string());
  EXPECT_EQ(out.at("stateMachineVersionArn").as_string(), arn + ":1");
  json::Object version = describe(arn + ":1");
  EXPECT_EQ(version.at("stateMachineArn").as_string(), arn + ":1");
  EXPECT_EQ(version.at("description").as_string(), "HelloWorld!");
  EXPECT_FALSE(version.contains("revisionId"));
  // Repeating the call is idempotent and answers the same version.
  EXPECT_EQ(ok("CreateStateMachine", body).at("stateMachineVersionArn").as_string(), arn + ":1");
}

TEST_F(StateMachines, LoggingNeedsExactlyOneDestination) {
  for (
      const char* logging :
      {R"({"level": "ALL"})", R"({"level": "ERROR", "includeExecutionData": true})",
       R"({"level": "FATAL", "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": "arn:aws:logs:us-east-1:111111111111:log-group:g:*"}}, {"cloudWatchLogsLogGroup": {"logGroupArn": "arn:aws:logs:us-east-1:111111111111:log-group:h:*"}}]})"}) {
    json::Object body = create_body("machine");
    body["loggingConfiguration"] = json::parse(logging);
    ApiError e = fails("CreateStateMachine", body);
    EXPECT_EQ(e.type, "InvalidLoggingConfiguration") << logging;
    EXPECT_EQ(e.message,
              "Invalid Logging Configuration: Must specify exactly one Log Destination.");
  }
  json::Object body = create_body("machine");
  body["loggingConfiguration"] = json::parse(
      R"({"level": "ALL", "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": "arn:aws:logs:us-east-1:111111111111:log-group:g:*"}}]})");
  const std::string arn =
      std::string(ok("CreateStateMachine", body).at("stateMachineArn").as_string());
  EXPECT_EQ(
      json::dump(describe(arn).at("loggingConfiguration")),
      R"({"level":"ALL","includeExecutionData":false,"destinations":[{"cloudWatchLogsLogGroup":{"logGroupArn":"arn:aws:logs:us-east-1:111111111111:log-group:g:*"}}]})");
}

TEST_F(StateMachines, FiftyTagsAtMost) {
  json::Object body = create_body("machine");
  json::Array tags;
  for (int i = 0; i < 51; ++i) {
    json::Object tag;
    tag["key"] = "k" + std::to_string(i);
    tag["value"] = "v";
    tags.push_back(tag);
  }
  body["tags"] = tags;
  ApiError e = fails("CreateStateMachine", body);
  EXPECT_EQ(e.type, "TooManyTags");
  EXPECT_EQ(e.extra.at("resourceName").as_string(), std::string(kMachinePrefix) + "machine");
  tags.pop_back();
  body["tags"] = tags;
  const std::string arn =
      std::string(ok("CreateStateMachine", body).at("stateMachineArn").as_string());
  EXPECT_EQ(ok("ListTagsForResource", arn_body("resourceArn", arn)).at("tags").as_array().size(),
            50u);
}

TEST_F(StateMachines, DescribeErrors) {
  ApiError e = fails("DescribeStateMachine", R"({"stateMachineArn": "not_a_valid_arn"})");
  EXPECT_EQ(e.type, "InvalidArn");
  EXPECT_EQ(e.message, "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'");
  const std::string unknown = std::string(kMachinePrefix) + "nothing";
  e = fails("DescribeStateMachine", arn_body("stateMachineArn", unknown));
  EXPECT_EQ(e.type, "StateMachineDoesNotExist");
  EXPECT_EQ(e.message, "State Machine Does Not Exist: '" + unknown + "'");
  e = fails("DescribeStateMachine",
            R"({"stateMachineArn": "arn:aws:states:us-east-1:111111111111:execution:m:e"})");
  EXPECT_EQ(e.type, "InvalidArn");
  EXPECT_EQ(e.message, "Invalid Arn: 'Resource type not valid in this context: execution'");
}

TEST_F(StateMachines, VariableReferencesPerState) {
  const std::string arn = create_machine("vars", R"json({
    "StartAt": "Start",
    "States": {
      "Start": {"Type": "Pass", "Assign": {"waitTime": 0, "x": 1}, "Next": "Wait"},
      "Wait": {"Type": "Wait", "SecondsPath": "$waitTime", "Next": "Map"},
      "Map": {"Type": "Map", "ItemsPath": "$list", "MaxConcurrencyPath": "$max",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Inner",
          "States": {"Inner": {"Type": "Pass", "End": true, "Parameters": {
            "q.$": "$question", "f.$": "States.Format('{} {}', $b, $a)", "literal": "$notRead"}}}},
        "Next": "Choice"},
      "Choice": {"Type": "Choice", "Choices": [{"Variable": "$x", "NumericEquals": 1, "Next": "Done"}],
        "Default": "Done"},
      "Done": {"Type": "Pass", "OutputPath": "$x", "End": true}}})json");
  EXPECT_EQ(json::dump(describe(arn).at("variableReferences")),
            R"({"Choice":["x"],"Done":["x"],"Inner":["a","b","question"],"Map":["list","max"],)"
            R"("Wait":["waitTime"]})");
}

TEST_F(StateMachines, ListPagesOldestFirst) {
  for (int i = 0; i < 5; ++i) create_machine("m" + std::to_string(i));
  json::Object page = ok("ListStateMachines", R"({"maxResults": 2})");
  ASSERT_EQ(page.at("stateMachines").as_array().size(), 2u);
  EXPECT_EQ(json::dump(page.at("stateMachines").as_array()[0]),
            R"({"stateMachineArn":")" + std::string(kMachinePrefix) +
                R"(m0","name":"m0","type":"STANDARD","creationDate":1.7E9})");
  std::vector<std::string> names;
  while (true) {
    for (const json::Value& item : page.at("stateMachines").as_array())
      names.emplace_back(item.at("name").as_string());
    if (!page.contains("nextToken")) break;
    json::Object next;
    next["maxResults"] = 2;
    next["nextToken"] = page.at("nextToken");
    page = ok("ListStateMachines", next);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"m0", "m1", "m2", "m3", "m4"}));
  EXPECT_EQ(ok("ListStateMachines", R"({})").at("stateMachines").as_array().size(), 5u);
  ApiError e = fails("ListStateMachines", R"({"nextToken": "garbage"})");
  EXPECT_EQ(e.type, "InvalidToken");
  EXPECT_EQ(e.message, "Invalid Token: 'Invalid token'");
}

TEST_F(StateMachines, UpdateNeedsSomethingToChange) {
  const std::string arn = create_machine("machine");
  ApiError e = fails("UpdateStateMachine", arn_body("stateMachineArn", arn));
  EXPECT_EQ(e.type, "MissingRequiredParameter");
  EXPECT_EQ(e.message,
            "Either the definition, the role ARN, the LoggingConfiguration, or the "
            "TracingConfiguration must be specified");
}

TEST_F(StateMachines, RevisionIdChangesOnlyOnEffectiveUpdates) {
  const std::string arn = create_machine("machine");
  clock_.advance(Millis(1000));
  json::Object body = arn_body("stateMachineArn", arn);
  body["definition"] = kPassDefinition;
  json::Object same = ok("UpdateStateMachine", body);
  EXPECT_FALSE(same.contains("revisionId"));
  EXPECT_FALSE(describe(arn).contains("revisionId"));

  body["definition"] = comment_definition("R1");
  json::Object first = ok("UpdateStateMachine", body);
  ASSERT_TRUE(first.contains("revisionId"));
  EXPECT_DOUBLE_EQ(first.at("updateDate").as_double(), 1700000001.0);
  EXPECT_EQ(describe(arn).at("revisionId"), first.at("revisionId"));
  EXPECT_EQ(describe(arn).at("definition").as_string(), comment_definition("R1"));

  json::Object role = arn_body("stateMachineArn", arn);
  role["roleArn"] = "arn:aws:iam::111111111111:role/other";
  json::Object second = ok("UpdateStateMachine", role);
  EXPECT_NE(second.at("revisionId"), first.at("revisionId"));
  EXPECT_EQ(ok("UpdateStateMachine", role).at("revisionId"), second.at("revisionId"));
  EXPECT_EQ(describe(arn).at("roleArn").as_string(), "arn:aws:iam::111111111111:role/other");
}

TEST_F(StateMachines, UpdateKeepsEveryRevision) {
  const std::string arn = create_machine("machine");
  update_definition(arn, comment_definition("R1"));
  update_definition(arn, comment_definition("R2"));
  store::PageRequest all;
  store::Page<store::Resource> revisions =
      store_->list_resources(store::ResourceKind::Revision, arn, all);
  ASSERT_EQ(revisions.items.size(), 3u);
  const json::Object& initial = revisions.items[0].document.as_object();
  EXPECT_EQ(initial.at("definition").as_string(), kPassDefinition);
  EXPECT_FALSE(initial.contains("revisionId"));
  EXPECT_EQ(initial.at("type").as_string(), "STANDARD");
  EXPECT_TRUE(initial.at("updateDate").is_double());
  EXPECT_EQ(revisions.items[0].arn.rfind(arn + "#", 0), 0u);
  EXPECT_EQ(revisions.items[2].document.as_object().at("revisionId"),
            describe(arn).at("revisionId"));
}

TEST_F(StateMachines, UpdateErrors) {
  const std::string arn = create_machine("machine");
  json::Object body = arn_body("stateMachineArn", arn + ":2");
  body["definition"] = kPassDefinition;
  ApiError e = fails("UpdateStateMachine", body);
  EXPECT_EQ(e.type, "StateMachineDoesNotExist");
  EXPECT_EQ(e.message, "State Machine Does Not Exist: '" + arn + ":2'");
  body["stateMachineArn"] = arn;
  body["definition"] = R"({"StartAt": "S"})";
  EXPECT_EQ(fails("UpdateStateMachine", body).type, "InvalidDefinition");
  body["definition"] = kPassDefinition;
  body["versionDescription"] = "d";
  EXPECT_EQ(fails("UpdateStateMachine", body).message,
            "Version description can only be set when publish is true");
  json::Object logging = arn_body("stateMachineArn", arn);
  logging["loggingConfiguration"] = json::parse(R"({"level": "ALL"})");
  EXPECT_EQ(fails("UpdateStateMachine", logging).type, "InvalidLoggingConfiguration");
}

TEST_F(StateMachines, UpdateWithPublish) {
  const std::string arn = create_machine("machine");
  json::Object body = arn_body("stateMachineArn", arn);
  body["definition"] = kPassDefinition;
  body["publish"] = true;
  // The unchanged initial revision is published; doing it again answers the same version.
  EXPECT_EQ(ok("UpdateStateMachine", body).at("stateMachineVersionArn").as_string(), arn + ":1");
  EXPECT_EQ(ok("UpdateStateMachine", body).at("stateMachineVersionArn").as_string(), arn + ":1");
  body["definition"] = comment_definition("R2");
  body["versionDescription"] = "second";
  json::Object out = ok("UpdateStateMachine", body);
  EXPECT_EQ(out.at("stateMachineVersionArn").as_string(), arn + ":2");
  json::Object v2 = describe(arn + ":2");
  EXPECT_EQ(v2.at("revisionId"), out.at("revisionId"));
  EXPECT_EQ(v2.at("description").as_string(), "second");
  EXPECT_EQ(describe(arn + ":1").at("definition").as_string(), kPassDefinition);
}

}  // namespace
}  // namespace stepline::api::testing
