// Idle Standard executions evicted from memory (RuntimeOptions::max_idle_in_memory = 0: every
// idle one goes) and reloaded from the store by whatever they wait for: a timer, SendTask*,
// a heartbeat, an activity worker's claim, StopExecution, the machine's timeout, a child
// execution closing, a restart. Each test first waits until the runtime reports the evictions.
#include "runtime/execution_attributes.hpp"
#include "runtime_fixture.hpp"

#include <condition_variable>
#include <mutex>

namespace stepline::runtime::testing {
namespace {

class EvictionCounter final : public ExecutionObserver {
 public:
  void execution_started(const std::string&, bool) override {}
  void execution_closed(const std::string&, bool, const std::string&,
                        std::chrono::microseconds) override {}
  void state_transitions(const std::string&, long long) override {}
  void task_event(const std::string&, const char*) override {}
  void store_commit(std::size_t, std::chrono::microseconds) override {}
  void execution_evicted(const std::string&) override { bump(evicted_); }
  void execution_reloaded(const std::string&) override { bump(reloaded_); }

  // Waits (up to 20 s of real time) until `count` evictions in all have been reported.
  bool wait_evicted(long long count) { return wait(evicted_, count); }
  long long reloaded() {
    std::lock_guard lock(mutex_);
    return reloaded_;
  }

 private:
  void bump(long long& counter) {
    std::lock_guard lock(mutex_);
    ++counter;
    changed_.notify_all();
  }
  bool wait(const long long& counter, long long count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(20), [&] { return counter >= count; });
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  long long evicted_ = 0;
  long long reloaded_ = 0;
};

class EvictionTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    options.max_idle_in_memory = 0;
    options.idle_sweep = std::chrono::milliseconds(2);
    options.observer = &counter;
    options.resolve_machine = machines.resolver();
    open_runtime();
  }
  MachineRef child(const std::string& name, const std::string& definition) {
    auto m = machine(name, definition);
    machines.add(m);
    return m;
  }
  std::string output_of(const std::string& arn) {
    auto summary = store->load_execution(arn)->summary;
    return std::string(summary.attributes.at(attributes::kOutput).as_string());
  }

  EvictionCounter counter;
  MachineDirectory machines;
};
STEPLINE_RUNTIME_BACKENDS(EvictionTest);

const char* kWaitDay = R"({"StartAt":"W","States":{
  "W":{"Type":"Wait","Seconds":86400,"Next":"D"},
  "D":{"Type":"Pass","Parameters":{"n.$":"$.n"},"End":true}}})";

const char* kCallback = R"({"StartAt":"C","States":{
  "C":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
       "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},
       "HeartbeatSeconds":600,"ResultPath":"$.answer","End":true}}})";

TEST_P(EvictionTest, TimersResumeEvictedExecutions) {
  auto m = machine("waits", kWaitDay);
  std::vector<std::string> arns;
  for (int n = 0; n < 5; ++n) {
    arns.push_back(
        start(m, "w" + std::to_string(n), "{\"n\":" + std::to_string(n) + "}").execution_arn);
  }
  ASSERT_TRUE(counter.wait_evicted(5));
  advance(86400);
  for (int n = 0; n < 5; ++n) {
    wait_status(arns[n], "SUCCEEDED");
    EXPECT_EQ(output_of(arns[n]), "{\"n\":" + std::to_string(n) + "}");
  }
  EXPECT_GE(counter.reloaded(), 5);
  EXPECT_EQ(
      event_types(arns[0]),
      (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered", "WaitStateExited",
                                "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}));
}

integrations::TaskOutcome sent(const integrations::TaskRequest&, int) {
  return integrations::TaskOutcome{};  // Pending: SendTask* answers
}

TEST_P(EvictionTest, CallbackTokensReachEvictedExecutions) {
  invoker.on("C", sent);
  auto arn = start(machine("cb", kCallback), "c").execution_arn;
  const auto token = invoker.wait_token("C");
  ASSERT_TRUE(counter.wait_evicted(1));
  EXPECT_EQ(heartbeat(token), TokenStatus::Accepted);
  ASSERT_TRUE(counter.wait_evicted(2));  // idle again after the heartbeat's step
  EXPECT_EQ(succeed(token, R"({"ok":1})"), TokenStatus::Accepted);
  wait_status(arn, "SUCCEEDED");
  EXPECT_EQ(output_of(arn), R"({"answer":{"ok":1}})");
  EXPECT_EQ(succeed(token, "{}"), TokenStatus::TaskTimedOut);
  auto types = event_types(arn);
  EXPECT_EQ(std::count(types.begin(), types.end(), "TaskScheduled"), 1);  // not sent twice
  EXPECT_EQ(invoker.requests().size(), 1u);
}

TEST_P(EvictionTest, HeartbeatTimeoutFiresOnAnEvictedExecution) {
  invoker.on("C", sent);
  auto arn = start(machine("cb", kCallback), "c").execution_arn;
  const auto token = invoker.wait_token("C");
  ASSERT_TRUE(counter.wait_evicted(1));
  advance(600);
  auto summary = wait_status(arn, "FAILED");
  EXPECT_EQ(summary.attributes.at(attributes::kError).as_string(), "States.Timeout");
  EXPECT_EQ(succeed(token, "{}"), TokenStatus::TaskTimedOut);
}

TEST_P(EvictionTest, StopAndMachineTimeoutCloseEvictedExecutions) {
  auto m = machine("waits", kWaitDay);
  auto stopped = start(m, "s", R"({"n":1})").execution_arn;
  auto timed = start(machine("timed", R"({"TimeoutSeconds":60,"StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":86400,"End":true}}})"),
                     "t")
                   .execution_arn;
  ASSERT_TRUE(counter.wait_evicted(2));
  auto result = stop(stopped, {std::string("Halt"), std::string("enough")});
  EXPECT_EQ(result.status, StopResult::Status::Stopped);
  auto summary = wait_status(stopped, "ABORTED");
  EXPECT_EQ(summary.attributes.at(attributes::kError).as_string(), "Halt");
  EXPECT_EQ(stop(stopped).status, StopResult::Status::NotRunning);
  advance(60);
  wait_status(timed, "TIMED_OUT");
}

TEST_P(EvictionTest, ActivityClaimsAndAnswersReloadEvictedExecutions) {
  const auto act = activity("work");
  auto arn = start(machine("act", R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":")" +
                                      act + R"(","End":true}}})"),
                   "a", R"({"job":7})")
                 .execution_arn;
  ASSERT_TRUE(counter.wait_evicted(1));
  auto task = poll(act, "worker-1");
  ASSERT_TRUE(task);
  EXPECT_EQ(json::dump(json::parse(task->input)), R"({"job":7})");
  wait_event(arn, "ActivityStarted");
  ASSERT_TRUE(counter.wait_evicted(2));
  EXPECT_EQ(succeed(task->token, R"({"done":true})"), TokenStatus::Accepted);
  wait_status(arn, "SUCCEEDED");
  EXPECT_EQ(output_of(arn), R"({"done":true})");
}

TEST_P(EvictionTest, SyncParentHearsItsEvictedChildClose) {
  child("kid", R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"Next":"P"},
      "P":{"Type":"Pass","Result":{"waited":true},"End":true}}})");
  auto parent =
      start(machine("parent", R"({"StartAt":"Run","States":{"Run":{"Type":"Task",
      "Resource":"arn:aws:states:::states:startExecution.sync:2",
      "Parameters":{"StateMachineArn":")" +
                                  machine_arn("kid") +
                                  R"(","Name":"k"},"OutputPath":"$.Output","End":true}}})"),
            "p")
          .execution_arn;
  wait_event(parent, "TaskSubmitted");
  ASSERT_TRUE(counter.wait_evicted(2));  // parent and child both idle
  advance(100);
  wait_status(execution_arn("kid", "k"), "SUCCEEDED");
  wait_status(parent, "SUCCEEDED");
  EXPECT_EQ(output_of(parent), R"({"waited":true})");
}

TEST_P(EvictionTest, EvictedExecutionsComeBackAfterARestart) {
  auto arn = start(machine("waits", kWaitDay), "r", R"({"n":3})").execution_arn;
  ASSERT_TRUE(counter.wait_evicted(1));
  restart();
  advance(86400);
  wait_status(arn, "SUCCEEDED");
  EXPECT_EQ(output_of(arn), R"({"n":3})");
}

}  // namespace
}  // namespace stepline::runtime::testing
