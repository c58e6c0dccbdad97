// AWS service integrations sent to local endpoints: a DynamoDB-like JSON endpoint and an SNS
// query endpoint, with SigV4-signed requests and AWS's task error names and causes.
#include "http_peer.hpp"
#include "integrations/routing/task_router.hpp"
#include "integrations/services/query_xml.hpp"
#include "integrations/services/service_invoker.hpp"

#include <gtest/gtest.h>

namespace stepline::integrations::services {
namespace {

using testing::HttpPeer;
using testing::PeerRequest;
using testing::PeerResponse;

TaskRequest task(const std::string& resource, const std::string& input_json) {
  TaskRequest r;
  r.execution_arn = "arn:aws:states:eu-west-1:123456789012:execution:m:e";
  r.state_name = "Call";
  r.resource = resource;
  r.input = json::parse(input_json);
  return r;
}

PeerResponse dynamo(const PeerRequest& r) {
  const std::string target = r.header("X-Amz-Target");
  if (target == "DynamoDB_20120810.GetItem") {
    return {200,
            "OK",
            {{"Content-Type", "application/x-amz-json-1.0"}, {"x-amzn-RequestId", "rid-1"}},
            R"({"Item":{"id":{"S":"id1"}}})"};
  }
  if (target == "DynamoDB_20120810.PutItem") {
    return {
        400,
        "Bad Request",
        {{"Content-Type", "application/x-amz-json-1.0"}, {"x-amzn-RequestId", "rid-2"}},
        R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"})"};
  }
  return {
      400,
      "Bad Request",
      {{"x-amzn-RequestId", "rid-3"}},
      R"({"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected"})"};
}

const aws::Credentials kCredentials{"AKIDEXAMPLE", "secret", ""};

TEST(ServiceEndpoint, DynamoDbJsonProtocolSignedWithSdkMetadata) {
  HttpPeer peer(dynamo);
  ServiceInvoker invoker({{"dynamodb", peer.url()}}, kCredentials);
  auto outcome = invoker.invoke(
      task("arn:aws:states:::dynamodb:getItem", R"({"TableName":"t","Key":{"id":{"S":"id1"}}})"));
  ASSERT_EQ(outcome.kind, TaskOutcome::Kind::Succeeded) << outcome.error.cause.value_or("");
  const PeerRequest seen = peer.last();
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/");
  EXPECT_EQ(seen.header("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_TRUE(json::equal(json::parse(seen.body),
                          json::parse(R"({"TableName":"t","Key":{"id":{"S":"id1"}}})")));
  const std::string auth = seen.header("Authorization");
  EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", 0), 0u) << auth;
  EXPECT_NE(auth.find("/eu-west-1/dynamodb/aws4_request, SignedHeaders="), std::string::npos)
      << auth;
  EXPECT_NE(auth.find("x-amz-target"), std::string::npos) << auth;
  EXPECT_NE(auth.find(", Signature="), std::string::npos) << auth;
  EXPECT_FALSE(seen.header("X-Amz-Date").empty());

  const json::Object& result = outcome.output.as_object();
  EXPECT_TRUE(json::equal(result.at("Item"), json::parse(R"({"id":{"S":"id1"}})")));
  const json::Object& http = result.at("SdkHttpMetadata").as_object();
  EXPECT_EQ(http.at("HttpStatusCode").as_int64(), 200);
  EXPECT_EQ(http.at("HttpHeaders").as_object().at("x-amzn-RequestId").as_string(), "rid-1");
  EXPECT_TRUE(json::equal(http.at("AllHttpHeaders").as_object().at("x-amzn-RequestId"),
                          json::parse(R"(["rid-1"])")));
  EXPECT_EQ(result.at("SdkResponseMetadata").as_object().at("RequestId").as_string(), "rid-1");
}

TEST(ServiceEndpoint, DynamoDbErrorsAsStepFunctionsNamesThem) {
  HttpPeer peer(dynamo);
  ServiceInvoker invoker({{"dynamodb", peer.url()}}, kCredentials);
  auto failed = invoker.invoke(task("arn:aws:states:::dynamodb:putItem", R"({"TableName":"t"})"));
  ASSERT_EQ(failed.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(failed.error.error, "DynamoDB.ConditionalCheckFailedException");
  EXPECT_EQ(*failed.error.cause,
            "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error "
            "Code: ConditionalCheckFailedException; Request ID: rid-2; Proxy: null)");

  auto invalid = invoker.invoke(task("arn:aws:states:::dynamodb:deleteItem", "{}"));
  EXPECT_EQ(invalid.error.error, "DynamoDB.AmazonDynamoDBException");
  EXPECT_NE(invalid.error.cause->find("Error Code: ValidationException"), std::string::npos);

  // aws-sdk: the SDK v2's names, and the result without SDK metadata.
  auto sdk =
      invoker.invoke(task("arn:aws:states:::aws-sdk:dynamodb:putItem", R"({"TableName":"t"})"));
  EXPECT_EQ(sdk.error.error, "DynamoDb.ConditionalCheckFailedException");
  EXPECT_EQ(
      *sdk.error.cause,
      "The conditional request failed (Service: DynamoDb, Status Code: 400, Request ID: rid-2)");
  auto sdk_get = invoker.invoke(task("arn:aws:states:::aws-sdk:dynamodb:getItem", "{}"));
  ASSERT_EQ(sdk_get.kind, TaskOutcome::Kind::Succeeded);
  EXPECT_TRUE(json::equal(sdk_get.output, json::parse(R"({"Item":{"id":{"S":"id1"}}})")));
}

TEST(ServiceEndpoint, SnsQueryProtocol) {
  HttpPeer peer([](const PeerRequest& r) {
    if (r.body.find("TopicArn=missing") != std::string::npos) {
      return PeerResponse{
          404,
          "Not Found",
          {{"Content-Type", "text/xml"}},
          "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error>"
          "<Type>Sender</Type><Code>NotFound</Code><Message>Topic does not "
          "exist</Message></Error><RequestId>rid-9</RequestId></ErrorResponse>"};
    }
    return PeerResponse{200,
                        "OK",
                        {{"Content-Type", "text/xml"}, {"x-amzn-RequestId", "rid-8"}},
                        "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                        "<PublishResult><MessageId>m-1</MessageId></PublishResult>"
                        "<ResponseMetadata><RequestId>rid-8</RequestId></ResponseMetadata>"
                        "</PublishResponse>"};
  });
  ServiceInvoker invoker({{"sns", peer.url() + "/"}}, kCredentials);
  auto outcome = invoker.invoke(task("arn:aws:states:::sns:publish", R"({"TopicArn":"arn:t",
      "Message":{"order":7},"MessageAttributes":{"kind":{"DataType":"String","StringValue":"a b"}}})"));
  ASSERT_EQ(outcome.kind, TaskOutcome::Kind::Succeeded) << outcome.error.cause.value_or("");
  const PeerRequest seen = peer.last();
  EXPECT_EQ(seen.header("Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(seen.body,
            "Action=Publish&Version=2010-03-31&TopicArn=arn%3At&Message=%7B%22order%22%3A7%7D&"
            "MessageAttributes.entry.1.Name=kind&MessageAttributes.entry.1.Value.DataType=String&"
            "MessageAttributes.entry.1.Value.StringValue=a%20b");
  EXPECT_NE(seen.header("Authorization").find("/eu-west-1/sns/aws4_request"), std::string::npos);
  EXPECT_EQ(outcome.output.as_object().at("MessageId").as_string(), "m-1");
  EXPECT_EQ(
      outcome.output.as_object().at("SdkResponseMetadata").as_object().at("RequestId").as_string(),
      "rid-8");

  auto missing = invoker.invoke(
      task("arn:aws:states:::sns:publish", R"({"TopicArn":"missing","Message":"x"})"));
  ASSERT_EQ(missing.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(missing.error.error, "SNS.NotFoundException");
  EXPECT_EQ(*missing.error.cause,
            "Topic does not exist (Service: AmazonSNS; Status Code: 404; Error Code: NotFound; "
            "Request ID: rid-9; Proxy: null)");
}

TEST(ServiceEndpoint, SqsAndEventsJsonProtocolsAndTaskTokens) {
  HttpPeer peer([](const PeerRequest& r) {
    if (r.header("X-Amz-Target") == "AWSEvents.PutEvents") {
      return PeerResponse{200, "OK", {}, R"({"Entries":[{"EventId":"e1"}],"FailedEntryCount":0})"};
    }
    return PeerResponse{200, "OK", {}, R"({"MD5OfMessageBody":"abc","MessageId":"m1"})"};
  });
  ServiceInvoker invoker({{"sqs", peer.url()}, {"eventbridge", peer.url()}}, kCredentials);
  auto sent = invoker.invoke(task("arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                  R"({"QueueUrl":"q","MessageBody":{"TaskToken":"tok"}})"));
  EXPECT_EQ(sent.kind, TaskOutcome::Kind::Pending);
  ASSERT_TRUE(sent.submitted);
  EXPECT_EQ(sent.submitted->as_object().at("MessageId").as_string(), "m1");
  EXPECT_EQ(peer.last().header("X-Amz-Target"), "AmazonSQS.SendMessage");
  EXPECT_TRUE(
      json::equal(json::parse(peer.last().body),
                  json::parse(R"({"QueueUrl":"q","MessageBody":"{\"TaskToken\":\"tok\"}"})")));

  auto events =
      invoker.invoke(task("arn:aws:states:::events:putEvents",
                          R"({"Entries":[{"Detail":{"a":1},"DetailType":"t","Source":"s"}]})"));
  ASSERT_EQ(events.kind, TaskOutcome::Kind::Succeeded);
  EXPECT_EQ(peer.last().header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_NE(peer.last().body.find(R"("Detail":"{\"a\":1}")"), std::string::npos)
      << peer.last().body;
  EXPECT_TRUE(json::equal(events.output,
                          json::parse(R"({"Entries":[{"EventId":"e1"}],"FailedEntryCount":0})")));
}

TEST(ServiceEndpoint, UnreachableEndpointIsAnSdkClientException) {
  ServiceInvoker invoker({{"sqs", "http://127.0.0.1:1"}}, kCredentials);
  auto outcome = invoker.invoke(
      task("arn:aws:states:::sqs:sendMessage", R"({"QueueUrl":"q","MessageBody":"x"})"));
  ASSERT_EQ(outcome.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(outcome.error.error, "SQS.SdkClientException");
  EXPECT_EQ(outcome.error.cause->rfind("Unable to execute HTTP request: ", 0), 0u);
}

TEST(ServiceEndpoint, RouterSendsConfiguredServicesAndNamesMissingOnes) {
  HttpPeer peer(dynamo);
  IntegrationOptions options;
  options.service_endpoints["dynamodb"] = peer.url();
  auto router = make_task_invoker(options);
  auto got = router->invoke(task("arn:aws:states:::dynamodb:getItem", "{}"));
  EXPECT_EQ(got.kind, TaskOutcome::Kind::Succeeded);
  auto sns = router->invoke(task("arn:aws:states:::sns:publish", "{}"));
  ASSERT_EQ(sns.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(sns.error.error, "States.Runtime");
  EXPECT_NE(sns.error.cause->find("--service-endpoint sns=URL"), std::string::npos);
  auto s3 = ServiceInvoker({{"s3", peer.url()}})
                .invoke(task("arn:aws:states:::aws-sdk:s3:getObject", "{}"));
  EXPECT_EQ(s3.error.error, "States.Runtime");

  options.service_endpoints["sqs"] = "ftp://x";
  EXPECT_THROW(make_task_invoker(options), IntegrationConfigError);
}

TEST(ServiceEndpoint, ResourceParsing) {
  auto t = parse_service_resource("arn:aws:states:::sqs:sendMessage.waitForTaskToken");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->service, "sqs");
  EXPECT_EQ(t->action, "sendMessage");
  EXPECT_EQ(t->mode, "waitForTaskToken");
  auto sdk = parse_service_resource("arn:aws:states:::aws-sdk:eventbridge:putEvents");
  ASSERT_TRUE(sdk);
  EXPECT_TRUE(sdk->aws_sdk);
  EXPECT_EQ(endpoint_key(*sdk), "events");
  EXPECT_FALSE(parse_service_resource("arn:aws:states:::lambda:invoke"));
  EXPECT_FALSE(parse_service_resource("arn:aws:states:::http:invoke"));
  EXPECT_FALSE(parse_service_resource("arn:aws:lambda:us-east-1:1:function:f"));
  EXPECT_FALSE(parse_service_resource("arn:aws:states:::aws-sdk:s3"));
}

TEST(ServiceEndpoint, QueryXmlToJson) {
  auto v = xml_element_to_json(
      "<R><ListResult><Topics><member><TopicArn>a&amp;b</TopicArn></member><member><TopicArn>c"
      "</TopicArn></member></Topics><Next/></ListResult></R>",
      "ListResult");
  ASSERT_TRUE(v);
  EXPECT_TRUE(json::equal(
      *v, json::parse(R"({"Topics":[{"TopicArn":"a&b"},{"TopicArn":"c"}],"Next":""})")));
  EXPECT_FALSE(xml_element_to_json("<A><B>unclosed", "B"));
  EXPECT_FALSE(xml_element_to_json("<A/>", "B"));
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<x>";
  EXPECT_FALSE(xml_element_to_json("<R>" + deep, "R"));
}

}  // namespace
}  // namespace stepline::integrations::services
