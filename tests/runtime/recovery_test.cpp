// Restart recovery: the runtime and the store are closed mid-flight and reopened (the same SQLite
// file; the memory backend keeps its store and restarts only the runtime). A Wait still fires at
// its original due time, an activity task is still claimable, a callback token still answerable,
// and each final history equals the one of the same run without the restart.
#include "runtime_fixture.hpp"

#include <chrono>
#include <thread>

namespace stepline::runtime::testing {
namespace {

class RecoveryTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    activity("recover");
  }

  const TimePoint t0 = TimePoint(Millis(1'700'000'000'000));
  const std::string act = activity_arn("recover");
  const MachineRef wait_machine =
      machine("wait", R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"Next":"P"},
      "P":{"Type":"Pass","End":true}}})");
  const MachineRef activity_machine =
      machine("act", R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":")" + act +
                         R"(","HeartbeatSeconds":300,"End":true}}})");
  const MachineRef callback_machine = machine("cb", R"({"StartAt":"C","States":{"C":{"Type":"Task",
      "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}})");

  std::string token_of(const std::string& execution_arn) {
    for (int i = 0; i < 20000; ++i) {
      for (const auto& r : invoker.requests()) {
        if (r.execution_arn == execution_arn && r.task_token) return *r.task_token;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    throw std::runtime_error("no token for " + execution_arn);
  }

  // One scenario, the same clock times each run; returns the three final histories as text
  // with the callback token replaced (each run has its own).
  std::vector<std::string> scenario(const std::string& prefix, bool restart_midway) {
    clock->set(t0);
    auto w = start(wait_machine, prefix + "w").execution_arn;
    auto a = start(activity_machine, prefix + "a").execution_arn;
    auto c = start(callback_machine, prefix + "c").execution_arn;
    wait_event(w, "WaitStateEntered");
    wait_event(a, "ActivityScheduled");
    const std::string token = token_of(c);
    advance(10);
    if (restart_midway) restart();
    advance(49);
    settle();
    EXPECT_EQ(store->load_execution(w)->summary.status, "RUNNING");
    advance(1);
    wait_status(w, "SUCCEEDED");
    auto task = poll(act, "worker");
    EXPECT_TRUE(task);
    if (task) {
      EXPECT_EQ(succeed(task->token, R"({"a":1})"), TokenStatus::Accepted);
    }
    EXPECT_EQ(succeed(token, R"({"c":1})"), TokenStatus::Accepted);
    wait_status(a, "SUCCEEDED");
    wait_status(c, "SUCCEEDED");
    std::vector<std::string> out;
    for (const auto& arn : {w, a, c}) {
      std::string text = json::dump(history(arn));
      for (auto at = text.find(token); at != std::string::npos; at = text.find(token)) {
        text.replace(at, token.size(), "TOKEN");
      }
      out.push_back(text);
    }
    return out;
  }
};
STEPLINE_RUNTIME_BACKENDS(RecoveryTest);

TEST_P(RecoveryTest, ResumesWaitsActivitiesAndCallbacksWithTheSameHistory) {
  invoker.on("C",
             [](const integrations::TaskRequest&, int) { return integrations::TaskOutcome{}; });
  const auto uninterrupted = scenario("straight-", false);
  const auto restarted = scenario("restarted-", true);
  ASSERT_EQ(uninterrupted.size(), restarted.size());
  for (std::size_t i = 0; i < uninterrupted.size(); ++i) {
    EXPECT_EQ(restarted[i], uninterrupted[i]) << "history " << i;
  }
}

TEST_P(RecoveryTest, AClaimedActivityStaysWithItsWorkerAcrossARestart) {
  auto a = start(activity_machine, "claimed").execution_arn;
  auto task = poll(act, "w1");
  ASSERT_TRUE(task);
  restart();
  options.activity_poll = std::chrono::milliseconds(50);
  open_runtime();
  runtime->recover();
  EXPECT_FALSE(poll(act, "w2")) << "the claimed task is not handed out twice";
  EXPECT_EQ(heartbeat(task->token), TokenStatus::Accepted);
  EXPECT_EQ(succeed(task->token, "{}"), TokenStatus::Accepted);
  wait_status(a, "SUCCEEDED");
}

TEST_P(RecoveryTest, ClosedExecutionsStayClosed) {
  auto p =
      start(machine("p", R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})"), "done")
          .execution_arn;
  wait_status(p, "SUCCEEDED");
  restart();
  EXPECT_EQ(stop(p).status, StopResult::Status::NotRunning);
  EXPECT_EQ(store->counts().open_executions, 0);
}

}  // namespace
}  // namespace stepline::runtime::testing
