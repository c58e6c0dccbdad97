// Express executions: in memory only, StartSyncExecution's answer, the execution log, and Step
// Functions Local's mock test cases.
#include "runtime_fixture.hpp"

#include <fstream>
#include <future>
#include <thread>

namespace stepline::runtime::testing {
namespace {

class ExpressTest : public RuntimeTest {};
STEPLINE_RUNTIME_BACKENDS(ExpressTest);

const char* kPass = R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1},"End":true}}})";

TEST_P(ExpressTest, StartSyncAnswersWithTheResult) {
  auto result = start_sync(machine("x", kPass, true), R"({"q":1})");
  EXPECT_EQ(result.status, "SUCCEEDED");
  EXPECT_EQ(result.output, R"({"a":1})");
  EXPECT_EQ(result.input, R"({"q":1})");
  EXPECT_EQ(result.execution_arn.rfind(std::string("arn:aws:states:us-east-1:") + kAccount +
                                           ":express:x:" + result.name + ":",
                                       0),
            0u);
  EXPECT_FALSE(store->load_execution(result.execution_arn)) << "Express keeps nothing durable";
}

TEST_P(ExpressTest, StartSyncReportsFailures) {
  auto def = R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}})";
  auto result = start_sync(machine("x", def, true));
  EXPECT_EQ(result.status, "FAILED");
  EXPECT_EQ(result.error, "E");
  EXPECT_EQ(result.cause, "C");
  EXPECT_FALSE(result.output);
}

TEST_P(ExpressTest, FiveMinutesAtMost) {
  auto def = R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}})";
  std::promise<SyncResult> p;
  auto f = p.get_future();
  StartRequest request;
  request.machine = machine("x", def, true);
  runtime->start_sync(request, [&p](SyncResult r) { p.set_value(std::move(r)); });
  settle();
  advance(300);
  auto result = f.get();
  EXPECT_EQ(result.status, "TIMED_OUT");
}

TEST_P(ExpressTest, AsynchronousStartAnswersAtOnceAndLogsByLevel) {
  options.log_dir = dir.path() / "logs";
  open_runtime();
  auto m = machine("logged", kPass, true);
  m.logging_configuration = json::parse(R"({"level":"ALL","includeExecutionData":false})");
  auto started = start(m, "");
  ASSERT_EQ(started.status, StartResult::Status::Started);
  const auto file = dir.path() / "logs" / "logged.jsonl";
  std::vector<json::Value> lines;
  for (int i = 0; i < 20000 && lines.size() < 4; ++i) {
    lines.clear();
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].at("type").as_string(), "ExecutionStarted");
  EXPECT_EQ(lines[0].at("execution_arn").as_string(), started.execution_arn);
  EXPECT_FALSE(lines[3].at("details").as_object().contains("output")) << "no execution data";

  auto errors_only = machine("quiet", kPass, true);
  errors_only.logging_configuration = json::parse(R"({"level":"ERROR"})");
  start_sync(errors_only);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "logs" / "quiet.jsonl"));
}

TEST_P(ExpressTest, MockTestCasesAnswerTasks) {
  const auto config = dir.path() / "MockConfigFile.json";
  std::ofstream(config) << R"({"StateMachines":{"mocked":{"TestCases":{"Happy":{"T":"R"}}}},
    "MockedResponses":{"R":{"0":{"Return":{"StatusCode":200,"Payload":{"m":1}}}}}})";
  options.mock_config = config;
  open_runtime();
  auto def =
      R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}})";
  auto m = machine("mocked", def);
  m.mock_test_case = "Happy";
  auto arn = start(m, "mock").execution_arn;
  auto summary = wait_status(arn, "SUCCEEDED");
  EXPECT_EQ(summary.attributes.at("output").as_string(), R"({"StatusCode":200,"Payload":{"m":1}})");
  EXPECT_TRUE(invoker.requests().empty()) << "a mocked task never reaches the invoker";

  m.mock_test_case = "Missing";
  auto refused = start(m, "nomock");
  EXPECT_EQ(refused.status, StartResult::Status::InvalidTestCase);
  EXPECT_FALSE(refused.message.empty());
}

}  // namespace
}  // namespace stepline::runtime::testing
