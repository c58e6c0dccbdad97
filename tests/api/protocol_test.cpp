// The AWS JSON 1.0 protocol layer end to end, without sockets: routing by X-Amz-Target, error
// shapes and statuses, and the operations registered today.
#include "api/protocol.hpp"
#include "api/handlers/handlers.hpp"
#include "api/service_model.hpp"
#include "common/ids.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace stepline::api {
namespace {

class ProtocolTest : public ::testing::Test {
 protected:
  HttpResponse call(const HttpRequest& request, const OperationRegistry* custom = nullptr) {
    ProtocolDispatcher dispatcher(model_, custom ? *custom : registry_, ids_);
    std::optional<HttpResponse> response;
    dispatcher.dispatch(request, [&](HttpResponse r) {
      EXPECT_FALSE(response) << "answered twice";
      response = std::move(r);
    });
    EXPECT_TRUE(response) << "not answered";
    return response.value_or(HttpResponse{});
  }
  HttpResponse call(std::string_view operation, std::string body) {
    return call(HttpRequest{"POST", "/", "application/x-amz-json-1.0",
                            "AWSStepFunctions." + std::string(operation), std::move(body)});
  }
  static std::string header(const HttpResponse& r, std::string_view name) {
    for (const auto& [n, v] : r.headers)
      if (n == name) return v;
    return {};
  }
  static json::Object body_of(const HttpResponse& r) { return json::parse(r.body).as_object(); }

  const ServiceModel& model_ = step_functions_model();
  OperationRegistry registry_ = standard_registry(model_);
  RandomIdSource ids_{42};
};

TEST_F(ProtocolTest, ValidDefinitionIsOk) {
  HttpResponse r = call(
      "ValidateStateMachineDefinition",
      R"({"definition": "{\"StartAt\": \"S\", \"States\": {\"S\": {\"Type\": \"Pass\", \"End\": true}}}", "type": "STANDARD"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"result":"OK","diagnostics":[],"truncated":false})");
  EXPECT_EQ(header(r, "Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(header(r, "x-amzn-RequestId").size(), 36u);
}

TEST_F(ProtocolTest, InvalidDefinitionIsAFailResultNotAnError) {
  HttpResponse r =
      call("ValidateStateMachineDefinition",
           R"({"definition": "{\"States\": {\"S\": {\"Type\": \"Pass\", \"End\": true}}}"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(
      r.body,
      R"({"result":"FAIL","diagnostics":[{"severity":"ERROR","code":"SCHEMA_VALIDATION_FAILED","message":"These fields are required: [StartAt]","location":"/"}],"truncated":false})");
  HttpResponse not_json =
      call("ValidateStateMachineDefinition", R"({"definition": "not a definition"})");
  EXPECT_EQ(not_json.status, 200);
  EXPECT_EQ(body_of(not_json).at("diagnostics").as_array().at(0).as_object().at("code"),
            "INVALID_JSON_DESCRIPTION");
}

TEST_F(ProtocolTest, ExpressOnlyChecksFollowTheType) {
  const std::string definition =
      R"("{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::sqs:sendMessage.waitForTaskToken\", \"Parameters\": {\"QueueUrl\": \"q\", \"MessageBody.$\": \"$$.Task.Token\"}, \"End\": true}}}")";
  EXPECT_EQ(body_of(call("ValidateStateMachineDefinition",
                         R"({"type": "EXPRESS", "definition": )" + definition + "}"))
                .at("result"),
            "FAIL");
  EXPECT_EQ(body_of(call("ValidateStateMachineDefinition",
                         R"({"type": "STANDARD", "definition": )" + definition + "}"))
                .at("result"),
            "OK");
}

TEST_F(ProtocolTest, ConstraintViolationIsAValidationException) {
  HttpResponse r =
      call("ValidateStateMachineDefinition", R"({"definition": "{}", "maxResults": 101})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(header(r, "x-amzn-ErrorType"), "ValidationException");
  EXPECT_EQ(
      r.body,
      R"({"__type":"ValidationException","message":"1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"})");
}

TEST_F(ProtocolTest, EmptyBodyIsAnEmptyInput) {
  HttpResponse r = call("ValidateStateMachineDefinition", "");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body_of(r).at("message"),
            "1 validation error detected: Value null at 'definition' failed to satisfy "
            "constraint: Member must not be null");
}

TEST_F(ProtocolTest, UnknownOperations) {
  for (const HttpRequest& request :
       {HttpRequest{"POST", "/", "application/x-amz-json-1.0", "AWSStepFunctions.NoSuchThing",
                    "{}"},
        HttpRequest{"POST", "/", "application/x-amz-json-1.0", "", "{}"},
        HttpRequest{"POST", "/", "application/x-amz-json-1.0", "OtherService.ListActivities", "{}"},
        HttpRequest{"GET", "/", "application/x-amz-json-1.0", "AWSStepFunctions.ListActivities",
                    ""},
        HttpRequest{"POST", "/", "text/plain", "AWSStepFunctions.ListActivities", "{}"}}) {
    HttpResponse r = call(request);
    EXPECT_EQ(r.status, 400) << request.amz_target;
    EXPECT_EQ(body_of(r).at("__type"), "com.amazon.coral.service#UnknownOperationException")
        << request.method << ' ' << request.content_type << ' ' << request.amz_target;
  }
}

TEST_F(ProtocolTest, MalformedJsonIsASerializationException) {
  for (const char* body : {"{", "not json", "[]", "\"text\""}) {
    HttpResponse r = call("ListActivities", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(body_of(r).at("__type"), "com.amazon.coral.service#SerializationException") << body;
  }
}

TEST_F(ProtocolTest, ContentTypeParametersAreIgnored) {
  HttpResponse r = call(HttpRequest{"POST", "/", "application/x-amz-json-1.0; charset=utf-8",
                                    "AWSStepFunctions.ValidateStateMachineDefinition",
                                    R"({"definition": "x"})"});
  EXPECT_EQ(r.status, 200);
}

TEST_F(ProtocolTest, EveryOtherOperationSaysItIsNotAvailableYet) {
  for (const std::string& operation : model_.operation_names()) {
    EXPECT_TRUE(registry_.contains(operation)) << operation;
  }
  HttpResponse r =
      call("StartExecution",
           R"({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:x"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(
      r.body,
      R"({"__type":"UnsupportedOperation","message":"Operation StartExecution is not available yet in Stepline"})");
}

TEST_F(ProtocolTest, AThrowingHandlerIsAnInternalFailureAnsweredOnce) {
  OperationRegistry registry;
  registry.add("ListActivities", [](const ApiRequest&, ApiReply reply) {
    reply(json::Object{{"activities", json::Array{}}});
    throw std::runtime_error("after the reply");
  });
  registry.add("DescribeActivity",
               [](const ApiRequest&, ApiReply) -> void { throw std::runtime_error("boom"); });
  EXPECT_EQ(call(HttpRequest{"POST", "/", "application/x-amz-json-1.0",
                             "AWSStepFunctions.ListActivities", "{}"},
                 &registry)
                .body,
            R"({"activities":[]})");
  HttpResponse failed =
      call(HttpRequest{"POST", "/", "application/x-amz-json-1.0",
                       "AWSStepFunctions.DescribeActivity", R"({"activityArn": "arn"})"},
           &registry);
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(body_of(failed).at("__type"), "com.amazon.coral.service#InternalFailure");
}

}  // namespace
}  // namespace stepline::api
