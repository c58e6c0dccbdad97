// TagResource / UntagResource / ListTagsForResource and the activity operations.
#include "resources_fixture.hpp"

namespace stepline::api::testing {
namespace {

using Tags = ResourcesTest;

json::Object tag_body(const std::string& arn, const std::string& tags) {
  json::Object body;
  body["resourceArn"] = arn;
  body["tags"] = json::parse(tags);
  return body;
}

TEST_F(Tags, UpsertUntagAndListInInsertionOrder) {
  const std::string arn = create_machine("machine");
  EXPECT_EQ(json::dump(ok("ListTagsForResource", arn_body("resourceArn", arn))), R"({"tags":[]})");
  ok("TagResource",
     tag_body(arn, R"([{"key": "key1", "value": "value1"}, {"key": "key2", "value": "value2"}])"));
  ok("TagResource",
     tag_body(arn, R"([{"key": "key1", "value": "changed"}, {"key": "key3", "value": ""}])"));
  EXPECT_EQ(
      json::dump(ok("ListTagsForResource", arn_body("resourceArn", arn))),
      R"({"tags":[{"key":"key1","value":"changed"},{"key":"key2","value":"value2"},{"key":"key3","value":""}]})");
  json::Object untag = arn_body("resourceArn", arn);
  untag["tagKeys"] = json::parse(R"(["key2", "missing"])");
  ok("UntagResource", untag);
  EXPECT_EQ(json::dump(ok("ListTagsForResource", arn_body("resourceArn", arn))),
            R"({"tags":[{"key":"key1","value":"changed"},{"key":"key3","value":""}]})");
  // Tags survive updates of the machine.
  update_definition(arn, comment_definition("R2"));
  EXPECT_EQ(ok("ListTagsForResource", arn_body("resourceArn", arn)).at("tags").as_array().size(),
            2u);
}

TEST_F(Tags, FiftyPerResource) {
  const std::string arn = create_machine("machine");
  json::Array tags;
  for (int i = 0; i < 50; ++i) {
    json::Object tag;
    tag["key"] = "k" + std::to_string(i);
    tag["value"] = "v";
    tags.push_back(tag);
  }
  ok("TagResource", tag_body(arn, json::dump(tags)));
  ok("TagResource", tag_body(arn, R"([{"key": "k0", "value": "again"}])"));  // an upsert
  ApiError e = fails("TagResource", tag_body(arn, R"([{"key": "one-more", "value": "v"}])"));
  EXPECT_EQ(e.type, "TooManyTags");
  EXPECT_EQ(e.extra.at("resourceName").as_string(), arn);
}

TEST_F(Tags, TagRules) {
  const std::string arn = create_machine("machine");
  ok("TagResource",
     tag_body(arn, R"([{"key": "a b_c.d:e/f=g+h-i@j", "value": "\u00e9t\u00e9 1"}])"));
  EXPECT_EQ(fails("TagResource", tag_body(arn, R"([{"key": "bad#key", "value": "v"}])")).type,
            "ValidationException");
  EXPECT_EQ(fails("TagResource", tag_body(arn, R"([{"key": "aws:reserved", "value": "v"}])")).type,
            "ValidationException");
}

TEST_F(Tags, OnlyMachinesAndActivities) {
  const std::string arn = create_machine("machine");
  const std::string version = publish(arn);
  ApiError e = fails("TagResource", tag_body(version, R"([{"key": "key1", "value": "value1"}])"));
  EXPECT_EQ(e.type, "ResourceNotFound");
  EXPECT_EQ(e.message, "Resource not found: '" + version + "'");
  e = fails("ListTagsForResource", arn_body("resourceArn", std::string(kMachinePrefix) + "none"));
  EXPECT_EQ(e.type, "ResourceNotFound");
  e = fails("ListTagsForResource", arn_body("resourceArn", "nope"));
  EXPECT_EQ(e.type, "InvalidArn");
  const std::string activity =
      std::string(ok("CreateActivity", R"({"name": "act", "tags": [{"key": "k", "value": "v"}]})")
                      .at("activityArn")
                      .as_string());
  EXPECT_EQ(json::dump(ok("ListTagsForResource", arn_body("resourceArn", activity))),
            R"({"tags":[{"key":"k","value":"v"}]})");
}

using Activities = ResourcesTest;

TEST_F(Activities, CreateDescribeListDelete) {
  json::Object created = ok("CreateActivity", R"({"name": "activity-name.1"})");
  const std::string arn = "arn:aws:states:us-east-1:111111111111:activity:activity-name.1";
  EXPECT_EQ(created.at("activityArn").as_string(), arn);
  clock_.advance(Millis(1000));
  EXPECT_EQ(
      ok("CreateActivity", R"({"name": "activity-name.1", "tags": [{"key": "x", "value": "y"}]})"),
      created);  // idempotent on the name
  EXPECT_EQ(
      json::dump(ok("DescribeActivity", arn_body("activityArn", arn))),
      R"({"activityArn":")" + arn +
          R"(","name":"activity-name.1","creationDate":1.7E9,"encryptionConfiguration":{"type":"AWS_OWNED_KEY"}})");
  ok("CreateActivity", R"({"name": "second"})");
  ok("CreateActivity", R"({"name": "third"})");
  json::Object page = ok("ListActivities", R"({"maxResults": 2})");
  ASSERT_EQ(page.at("activities").as_array().size(), 2u);
  EXPECT_EQ(json::dump(page.at("activities").as_array()[0]),
            R"({"activityArn":")" + arn + R"(","name":"activity-name.1","creationDate":1.7E9})");
  json::Object next;
  next["nextToken"] = page.at("nextToken");
  EXPECT_EQ(ok("ListActivities", next).at("activities").as_array().size(), 1u);
  ok("DeleteActivity", arn_body("activityArn", arn));
  ok("DeleteActivity", arn_body("activityArn", arn));  // AWS answers 200 again
  ApiError e = fails("DescribeActivity", arn_body("activityArn", arn));
  EXPECT_EQ(e.type, "ActivityDoesNotExist");
  EXPECT_EQ(e.message, "Activity Does Not Exist: '" + arn + "'");
  EXPECT_EQ(ok("ListActivities", R"({})").at("activities").as_array().size(), 2u);
}

TEST_F(Activities, NamesAndArns) {
  for (const std::string& name :
       std::vector<std::string>{"activity name", "activity#name", "activity$name", "activity:name",
                                std::string("\0activity", 9), "activity\x1f", "activity\x7f"}) {
    json::Object body;
    body["name"] = name;
    ApiError e = fails("CreateActivity", body);
    EXPECT_EQ(e.type, "InvalidName");
    EXPECT_EQ(e.message, "Invalid Name: '" + name + "'");
  }
  ApiError e = fails("DescribeActivity", R"({"activityArn": "no_an_activity_arn"})");
  EXPECT_EQ(e.type, "InvalidArn");
  EXPECT_EQ(e.message, "Invalid Arn: 'Invalid ARN prefix: no_an_activity_arn'");
  EXPECT_EQ(fails("DeleteActivity", R"({"activityArn": "x"})").type, "InvalidArn");
}

}  // namespace
}  // namespace stepline::api::testing
