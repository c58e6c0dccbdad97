// The remote Lambda client against a tiny Invoke API server on 127.0.0.1 started by the test.
#include "integrations/aws/remote_lambda.hpp"
#include "integrations/lambda/lambda_task_invoker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace stepline::integrations::aws {
namespace {

struct SeenRequest {
  std::string head;  // request line and headers
  std::string body;
};

// Answers each connection with one canned response chosen by the request path.
class TinyInvokeServer {
 public:
  TinyInvokeServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 8);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~TinyInvokeServer() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  SeenRequest last() {
    std::lock_guard lock(mutex_);
    return last_;
  }

 private:
  static std::string response(const std::string& head) {
    auto reply = [](const std::string& status, const std::string& headers,
                    const std::string& body) {
      return "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\nConnection: close\r\n" + headers + "\r\n" + body;
    };
    if (head.find("/functions/echo/") != std::string::npos) {
      return reply("200 OK", "X-Amz-Executed-Version: $LATEST\r\nx-amzn-RequestId: req-1\r\n",
                   R"({"ok": true})");
    }
    if (head.find("/functions/broken/") != std::string::npos) {
      return reply("200 OK", "X-Amz-Function-Error: Unhandled\r\nx-amzn-RequestId: req-2\r\n",
                   R"({"errorMessage":"boom","errorType":"KeyError","stackTrace":[]})");
    }
    return reply(
        "404 Not Found",
        "x-amzn-ErrorType: ResourceNotFoundException:http://internal.amazon.com/\r\n",
        R"({"Type":"User","message":"Function not found: arn:aws:lambda:us-east-1:1:function:x"})");
  }

  void loop() {
    for (;;) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string data;
      char buffer[4096];
      std::size_t need = std::string::npos;
      while (need == std::string::npos || data.size() < need) {
        ssize_t n = ::read(c, buffer, sizeof buffer);
        if (n <= 0) break;
        data.append(buffer, static_cast<std::size_t>(n));
        const auto end = data.find("\r\n\r\n");
        if (end != std::string::npos && need == std::string::npos) {
          std::size_t length = 0;
          const auto at = data.find("Content-Length: ");
          if (at != std::string::npos && at < end) length = std::stoul(data.substr(at + 16));
          need = end + 4 + length;
        }
      }
      const auto end = data.find("\r\n\r\n");
      SeenRequest seen{data.substr(0, end), end == std::string::npos ? "" : data.substr(end + 4)};
      const std::string out = response(seen.head);
      {
        std::lock_guard lock(mutex_);
        last_ = seen;
      }
      ssize_t written = ::write(c, out.data(), out.size());
      (void)written;
      ::close(c);
    }
  }

  int fd_ = -1;
  unsigned short port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  SeenRequest last_;
};

lambda::InvokeRequest request(const std::string& name) {
  lambda::InvokeRequest r;
  r.function_name = name;
  r.payload = R"({"in":1})";
  return r;
}

TEST(RemoteLambda, PostsTheInvokeApiAndReadsTheResponse) {
  TinyInvokeServer server;
  RemoteLambda remote(server.url(), std::nullopt);
  auto r = request("echo");
  r.qualifier = "live";
  auto response = remote.invoke(r);
  EXPECT_EQ(response.status_code, 200);
  EXPECT_EQ(response.payload, R"({"ok": true})");
  EXPECT_EQ(response.request_id, "req-1");
  EXPECT_FALSE(response.function_error);
  const SeenRequest seen = server.last();
  EXPECT_EQ(
      seen.head.rfind("POST /2015-03-31/functions/echo/invocations?Qualifier=live HTTP/1.1", 0), 0u)
      << seen.head;
  EXPECT_NE(seen.head.find("X-Amz-Invocation-Type: RequestResponse"), std::string::npos);
  EXPECT_EQ(seen.head.find("Authorization:"), std::string::npos);  // no credentials
  EXPECT_EQ(seen.body, R"({"in":1})");
}

TEST(RemoteLambda, SignsWithCredentials) {
  TinyInvokeServer server;
  RemoteLambda remote(server.url() + "/", Credentials{"AKID", "secret", "session"});
  remote.invoke(request("echo"));
  const SeenRequest seen = server.last();
  EXPECT_NE(seen.head.find("Authorization: AWS4-HMAC-SHA256 Credential=AKID/"), std::string::npos)
      << seen.head;
  EXPECT_NE(seen.head.find("/us-east-1/lambda/aws4_request"), std::string::npos);
  EXPECT_NE(seen.head.find("X-Amz-Security-Token: session"), std::string::npos);
}

TEST(RemoteLambda, FunctionErrorsAndServiceErrorsBecomeStepFunctionsErrors) {
  TinyInvokeServer server;
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
