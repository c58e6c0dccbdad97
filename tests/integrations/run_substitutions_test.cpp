// `stepline run` end to end with this part's options: --substitute (DefinitionSubstitutions),
// --connections for an HTTP Task and --service-endpoint for a DynamoDB task, against local peers.
#include "common/json.hpp"
#include "http_peer.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace stepline::integrations {
namespace {

using testing::HttpPeer;
using testing::PeerRequest;
using testing::PeerResponse;
namespace fs = std::filesystem;

// The stepline binary of the same build tree (this test lives in <build>/tests/integrations).
fs::path stepline_binary() {
  return fs::read_symlink("/proc/self/exe").parent_path().parent_path().parent_path() / "src" /
         "stepline";
}

struct Ran {
  int exit_code = -1;
  std::string out;
};

Ran run(const std::string& arguments) {
  Ran ran;
  const std::string command = stepline_binary().string() + " run " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return ran;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) ran.out.append(buffer, n);
  const int status = ::pclose(pipe);
  ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return ran;
}

class RunWithSubstitutions : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(stepline_binary())) {
      GTEST_SKIP() << "build the stepline target first: " << stepline_binary();
    }
    dir_ = fs::temp_directory_path() /
           ("stepline-http-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST_F(RunWithSubstitutions, PlaceholdersAreReplacedBeforeValidation) {
  HttpPeer api([](const PeerRequest& r) {
    if (r.header("x-api-key") != "k-123") return PeerResponse{403, "Forbidden", {}, "no key"};
    return PeerResponse{200, "OK", {{"Content-Type", "application/json"}}, R"({"stock":5})"};
  });
  HttpPeer dynamo([](const PeerRequest&) {
    return PeerResponse{200, "OK", {{"x-amzn-RequestId", "r1"}}, "{}"};
  });
  const std::string definition = write("machine.asl.json", R"({
    "StartAt": "Greet",
    "States": {
      "Greet": {"Type": "Pass", "Result": {"greeting": "${Greeting}", "limit": ${Limit}},
                "ResultPath": "$.greet", "Next": "Check"},
      "Check": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {"ApiEndpoint": "${ApiUrl}/stock", "Method": "GET",
                               "Authentication": {"ConnectionArn": "${Connection}"}},
                "ResultSelector": {"stock.$": "$.ResponseBody.stock"},
                "ResultPath": "$.check", "Next": "Save"},
      "Save": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
               "Parameters": {"TableName": "${Table}", "Item": {"id": {"S": "a"}}},
               "ResultSelector": {"code.$": "$.SdkHttpMetadata.HttpStatusCode"},
               "ResultPath": "$.save", "End": true}}})");
  const std::string connections = write("connections.json", R"({"connections": {
      "stock-api": {"type": "API_KEY", "apiKeyName": "x-api-key", "apiKeyValue": "k-123"}}})");
  const Ran ran =
      run(definition + " --json --time-scale 0 --connections " + connections +
          " --service-endpoint dynamodb=" + dynamo.url() +
          " --substitute Greeting=hello --substitute Limit=7 --substitute ApiUrl=" + api.url() +
          " --substitute Connection=arn:aws:events:us-east-1:123456789012:"
          "connection/stock-api/abc --substitute Table=orders");
  ASSERT_EQ(ran.exit_code, 0) << ran.out;
  const json::Value result = json::parse(ran.out);
  EXPECT_TRUE(json::equal(result.as_object().at("output"),
                          json::parse(R"({"greet":{"greeting":"hello","limit":7},
                                          "check":{"stock":5},"save":{"code":200}})")))
      << ran.out;
  EXPECT_EQ(api.last().target, "/stock");
  EXPECT_NE(dynamo.last().body.find(R"("TableName":"orders")"), std::string::npos);
  EXPECT_EQ(dynamo.last().header("X-Amz-Target"), "DynamoDB_20120810.PutItem");
}

TEST_F(RunWithSubstitutions, AMissingValueLeavesTheDefinitionInvalid) {
  const std::string definition =
      write("m.json",
            R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": ${N}, "End": true}}})");
  const Ran without = run(definition);
  EXPECT_EQ(without.exit_code, 2) << without.out;
  const Ran with = run(definition + " --json --substitute N=41");
  ASSERT_EQ(with.exit_code, 0) << with.out;
  EXPECT_EQ(json::parse(with.out).as_object().at("output").as_int64(), 41);
  // Each flag takes one value, so the definition may come after them.
  const Ran first = run("--substitute N=5 --substitute Unused=x " + definition + " --json");
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_EQ(json::parse(first.out).as_object().at("output").as_int64(), 5);
  const Ran malformed = run(definition + " --substitute N");
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.out.find("is not NAME=VALUE"), std::string::npos) << malformed.out;
}

TEST_F(RunWithSubstitutions, UnconfiguredServiceNamesTheOption) {
  const std::string definition = write("m.json", R"({"StartAt": "S", "States": {"S": {
      "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
      "Parameters": {"QueueUrl": "q", "MessageBody": "x"}, "End": true}}})");
  const Ran ran = run(definition + " --json");
  EXPECT_EQ(ran.exit_code, 1);
  EXPECT_NE(ran.out.find("--service-endpoint sqs=URL"), std::string::npos) << ran.out;
  const Ran bad = run(definition + " --service-endpoint sqs=nowhere");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.out.find("not an http:// or https:// URL"), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace stepline::integrations
