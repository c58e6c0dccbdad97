// Two cluster nodes (runtimes with their own store connections) on one SQLite file, in one
// process: API calls reaching the node that does not own the execution, takeover of a node
// that left, and fencing of a node whose lease lapsed. Leases are short and real-time.
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "runtime/cluster_node.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

namespace stepline::runtime {
namespace {

using namespace std::chrono_literals;

// `.waitForTaskToken` tasks: remembers each token it is given, answers nothing.
class TokenSink final : public integrations::TaskInvoker {
 public:
  integrations::TaskOutcome invoke(const integrations::TaskRequest& request) override {
    std::lock_guard lock(mutex_);
    if (request.task_token) tokens_.push_back(*request.task_token);
    changed_.notify_all();
    return {};
  }
  // Waits until at least `count` invocations carried a token; returns the latest.
  std::string token(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 20s, [&] { return tokens_.size() >= count; });
    return tokens_.size() >= count ? tokens_.back() : std::string();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> tokens_;
};

constexpr const char* kDefinition = R"({
  "StartAt": "Callback",
  "States": {
    "Callback": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "Parameters": {"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token"}},
      "Next": "Done"
    },
    "Done": {"Type": "Pass", "End": true}
  }
})";

struct Node {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::Cluster> cluster;
  std::unique_ptr<Runtime> runtime;
};

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("stepline-cluster-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    for (auto& node : nodes_) {
      if (node.runtime) node.runtime->shutdown();
    }
    nodes_.clear();
    std::filesystem::remove_all(dir_);
  }

  // Opens a node; `tick`: how often it renews its lease (a long one lets the lease lapse).
  Node& open_node(const std::string& id, std::chrono::milliseconds tick = 50ms) {
    Node node;
    store::SqliteOptions options;
    options.path = (dir_ / "stepline.db").string();
    options.synchronous_full = false;
    node.store = store::open_sqlite_store(options);
    node.cluster = store::open_sqlite_cluster(options.path);
    RuntimeOptions ro;
    ro.durable = node.store.get();
    ro.clock = &clock_;
    ro.ids = &ids_;
    ro.invoker = &sink_;
    ro.node_id = id;
    ro.threads = 2;
    ro.dispatch_threads = 2;
    ClusterOptions co;
    co.cluster = node.cluster.get();
    co.lease = 600ms;
    co.tick = tick;
    node.runtime = make_cluster_runtime(ro, co);
    node.runtime->recover();
    nodes_.push_back(std::move(node));
    return nodes_.back();
  }

  MachineRef machine() {
    MachineRef m;
    m.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:callback";
    m.state_machine_name = "callback";
    m.revision_arn = m.state_machine_arn + ":rev1";
    m.definition = kDefinition;
    m.role_arn = "arn:aws:iam::123456789012:role/r";
    return m;
  }

  std::string start(Node& node, const std::string& name) {
    std::promise<StartResult> done;
    node.runtime->start({machine(), name, "{}", ""},
                        [&](StartResult r) { done.set_value(std::move(r)); });
    auto r = done.get_future().get();
    EXPECT_EQ(r.status, StartResult::Status::Started) << r.message;
    return r.execution_arn;
  }

  TokenStatus succeed(Node& node, const std::string& token) {
    std::promise<TokenStatus> done;
    node.runtime->send_task_success(token, R"({"ok":1})",
                                    [&](TokenStatus s) { done.set_value(s); });
    return done.get_future().get();
  }

  // Waits (real time, 20 s at most) for the execution's status in the store.
  std::string wait_status(store::Store& store, const std::string& arn, const std::string& want) {
    std::string status;
    for (int i = 0; i < 2000; ++i) {
      auto record = store.load_execution(arn);
      status = record ? record->summary.status : "";
      if (status == want) break;
      std::this_thread::sleep_for(10ms);
    }
    return status;
  }

  // The event types, checking that ids run 1, 2, 3 ... without a gap or a repeat.
  std::vector<std::string> history(store::Store& store, const std::string& arn) {
    store::PageRequest page;
    page.limit = 1000;
    auto events = store.read_history(arn, page).items;
    std::vector<std::string> types;
    long long expected = 1;
    for (const auto& e : events) {
      EXPECT_EQ(e.as_object().at("id").to_number<long long>(), expected++);
      types.emplace_back(e.as_object().at("type").as_string());
    }
    return types;
  }

  std::string owner(store::Store& store, const std::string& arn) {
    auto record = store.load_execution(arn);
    return record ? record->owner : "";
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  RandomIdSource ids_;
  TokenSink sink_;
  std::vector<Node> nodes_;
};

TEST_F(ClusterTest, ACallbackSentToAnotherNodeReachesTheOwner) {
  nodes_.reserve(2);
  Node& a = open_node("a");
  Node& b = open_node("b");
  const auto arn = start(a, "x1");
  const auto token = sink_.token(1);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(succeed(b, token), TokenStatus::Accepted);  // b forwards to a's inbox
  EXPECT_EQ(wait_status(*b.store, arn, "SUCCEEDED"), "SUCCEEDED");
  EXPECT_EQ(owner(*b.store, arn), "a");  // a ran it to the end
  auto types = history(*a.store, arn);
  EXPECT_EQ(types.front(), "ExecutionStarted");
  EXPECT_EQ(types.back(), "ExecutionSucceeded");
  EXPECT_EQ(std::count(types.begin(), types.end(), "TaskSucceeded"), 1);
}

TEST_F(ClusterTest, AnotherNodeTakesOverTheExecutionsOfANodeThatLeft) {
  nodes_.reserve(2);
  Node& a = open_node("a");
  Node& b = open_node("b");
  const auto arn = start(a, "x2");
  ASSERT_FALSE(sink_.token(1).empty());
  a.runtime->shutdown();  // leaves the cluster: b claims the execution on its next tick
  // b resumes it and dispatches the callback task again (at least once, as after a crash).
  const auto token = sink_.token(2);
  EXPECT_EQ(owner(*b.store, arn), "b");
  EXPECT_EQ(succeed(b, token), TokenStatus::Accepted);
  EXPECT_EQ(wait_status(*b.store, arn, "SUCCEEDED"), "SUCCEEDED");
  auto types = history(*b.store, arn);
  EXPECT_EQ(types.back(), "ExecutionSucceeded");
  EXPECT_EQ(std::count(types.begin(), types.end(), "TaskSucceeded"), 1);
}

TEST_F(ClusterTest, ANodeWhoseLeaseLapsedCannotCommit) {
  nodes_.reserve(2);
  // a renews its lease only every 10 s: it lapses after 0.6 s and b takes the execution.
  Node& a = open_node("a", 10s);
  const auto arn = start(a, "x3");
  const auto token = sink_.token(1);
  Node& b = open_node("b");
  for (int i = 0; i < 2000 && owner(*b.store, arn) != "b"; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(owner(*b.store, arn), "b");
  const auto resumed_token = sink_.token(2);  // b dispatched the task again
  // a still holds the execution in memory: its step is refused by the store and dropped.
  EXPECT_EQ(succeed(a, token), TokenStatus::TaskTimedOut);
  auto before = history(*b.store, arn);
  EXPECT_EQ(std::count(before.begin(), before.end(), "TaskSucceeded"), 0);
  EXPECT_EQ(succeed(b, resumed_token), TokenStatus::Accepted);
  EXPECT_EQ(wait_status(*b.store, arn, "SUCCEEDED"), "SUCCEEDED");
  auto types = history(*b.store, arn);
  EXPECT_EQ(std::count(types.begin(), types.end(), "TaskSucceeded"), 1);
  EXPECT_EQ(types.back(), "ExecutionSucceeded");
}

}  // namespace
}  // namespace stepline::runtime
