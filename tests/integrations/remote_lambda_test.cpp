// The remote Lambda client against a tiny Invoke API server on 127.0.0.1 started by the test
// (the HTTP peer the HTTP Task tests use).
#include "integrations/aws/remote_lambda.hpp"
#include "integrations/lambda/lambda_task_invoker.hpp"

#include <gtest/gtest.h>

#include "http_peer.hpp"

namespace stepline::integrations::aws {
namespace {

using testing::HttpPeer;
using testing::PeerRequest;
using testing::PeerResponse;

// The Invoke API's answers, chosen by the function named in the path.
PeerResponse invoke_api(const PeerRequest& request) {
  PeerResponse r;
  r.headers = {{"Content-Type", "application/json"}};
  if (request.target.find("/functions/echo/") != std::string::npos) {
    r.headers.push_back({"X-Amz-Executed-Version", "$LATEST"});
    r.headers.push_back({"x-amzn-RequestId", "req-1"});
    r.body = R"({"ok": true})";
  } else if (request.target.find("/functions/broken/") != std::string::npos) {
    r.headers.push_back({"X-Amz-Function-Error", "Unhandled"});
    r.headers.push_back({"x-amzn-RequestId", "req-2"});
    r.body = R"({"errorMessage":"boom","errorType":"KeyError","stackTrace":[]})";
  } else {
    r.status = 404;
    r.reason = "Not Found";
    r.headers.push_back(
        {"x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/"});
    r.body =
        R"({"Type":"User","message":"Function not found: arn:aws:lambda:us-east-1:1:function:x"})";
  }
  return r;
}

lambda::InvokeRequest request(const std::string& name) {
  lambda::InvokeRequest r;
  r.function_name = name;
  r.payload = R"({"in":1})";
  return r;
}

TEST(RemoteLambda, PostsTheInvokeApiAndReadsTheResponse) {
  HttpPeer server(invoke_api);
  RemoteLambda remote(server.url(), std::nullopt);
  auto r = request("echo");
  r.qualifier = "live";
  auto response = remote.invoke(r);
  EXPECT_EQ(response.status_code, 200);
  EXPECT_EQ(response.payload, R"({"ok": true})");
  EXPECT_EQ(response.request_id, "req-1");
  EXPECT_FALSE(response.function_error);
  const PeerRequest seen = server.last();
  EXPECT_EQ(
      seen.head.rfind("POST /2015-03-31/functions/echo/invocations?Qualifier=live HTTP/1.1", 0), 0u)
      << seen.head;
  EXPECT_NE(seen.head.find("X-Amz-Invocation-Type: RequestResponse"), std::string::npos);
  EXPECT_EQ(seen.head.find("Authorization:"), std::string::npos);  // no credentials
  EXPECT_EQ(seen.body, R"({"in":1})");
}

TEST(RemoteLambda, SignsWithCredentials) {
  HttpPeer server(invoke_api);
  RemoteLambda remote(server.url() + "/", Credentials{"AKID", "secret", "session"});
  remote.invoke(request("echo"));
  const PeerRequest seen = server.last();
  EXPECT_NE(seen.head.find("Authorization: AWS4-HMAC-SHA256 Credential=AKID/"), std::string::npos)
      << seen.head;
  EXPECT_NE(seen.head.find("/us-east-1/lambda/aws4_request"), std::string::npos);
  EXPECT_NE(seen.head.find("X-Amz-Security-Token: session"), std::string::npos);
}

TEST(RemoteLambda, FunctionErrorsAndServiceErrorsBecomeStepFunctionsErrors) {
  HttpPeer server(invoke_api);
  RemoteLambda remote(server.url(), std::nullopt);
  lambda::LambdaTaskInvoker invoker(remote);
  TaskRequest t;
  t.execution_arn = "arn:aws:states:us-east-1:111111111111:execution:M:e";
  t.resource = "arn:aws:states:::lambda:invoke";
  t.input = json::parse(R"({"FunctionName": "broken", "Payload": {}})");
  auto failed = invoker.invoke(t);
  ASSERT_EQ(failed.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(failed.error.error, "KeyError");
  EXPECT_EQ(*failed.error.cause,
            R"({"errorMessage":"boom","errorType":"KeyError","stackTrace":[]})");

  t.input = json::parse(R"({"FunctionName": "absent"})");
  auto missing = invoker.invoke(t);
  ASSERT_EQ(missing.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(missing.error.error, "Lambda.ResourceNotFoundException");
  EXPECT_EQ(missing.error.cause->rfind("Function not found: arn:aws:lambda:us-east-1:1:function:x "
                                       "(Service: AWSLambda; Status Code: 404; Error Code: "
                                       "ResourceNotFoundException; Request ID: ",
                                       0),
            0u)
      << *missing.error.cause;
}

TEST(RemoteLambda, UnreachableEndpointIsAnSdkClientError) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  ::close(fd);  // nothing listens there now
  RemoteLambda remote("http://127.0.0.1:" + std::to_string(port), std::nullopt);
  try {
    remote.invoke(request("echo"));
    FAIL() << "expected an error";
  } catch (const lambda::LambdaServiceError& e) {
    EXPECT_EQ(e.code(), "SdkClientException");
    EXPECT_EQ(e.status(), 0);
  }
  EXPECT_THROW(RemoteLambda("localhost:3001", std::nullopt), std::invalid_argument);
}

}  // namespace
}  // namespace stepline::integrations::aws
