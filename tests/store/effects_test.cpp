// Timers, task tokens and activity queues, recorded and cleared by commits.
#include "store_fixture.hpp"

namespace stepline::store::testing {
namespace {

class EffectStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    ASSERT_EQ(store->create_execution(new_execution(machine("m").arn, "a")).status,
              CreateStatus::Created);
    ASSERT_EQ(store->create_execution(new_execution(machine("m").arn, "b")).status,
              CreateStatus::Created);
  }
  static TimePoint at(long long ms) { return TimePoint(Millis(ms)); }
  static TaskRecord task(const std::string& token, const std::string& activity, long long id) {
    TaskRecord t;
    t.token = token;
    t.id = id;
    t.activity_arn = activity;
    t.payload = json::Object{{"input", "{}"}, {"thread", 0}};
    return t;
  }

  const std::string a = new_execution(machine("m").arn, "a").summary.arn;
  const std::string b = new_execution(machine("m").arn, "b").summary.arn;
  const std::string activity = "arn:aws:states:us-east-1:123456789012:activity:work";
};
STEPLINE_STORE_BACKENDS(EffectStoreTest);

TEST_P(EffectStoreTest, ArmsClearsAndReportsDueTimers) {
  auto sa = step(a, 1, 2);
  sa.arm_timers = {{"", 5, at(3000), json::Object{{"thread", 0}}}, {"", 6, at(1000), {}}};
  auto sb = step(b, 1, 2);
  sb.arm_timers = {{"", 1, at(2000), json::Object{{"purpose", "Wait"}}}};
  ASSERT_EQ(store->commit({"", {sa, sb}}).status, CommitStatus::Committed);

  EXPECT_TRUE(store->due_timers(at(999), 10).empty());
  auto due = store->due_timers(at(2000), 10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].execution_arn, a);
  EXPECT_EQ(due[0].id, 6);
  EXPECT_EQ(due[1].execution_arn, b);
  EXPECT_EQ(json::dump(due[1].payload), R"({"purpose":"Wait"})");
  EXPECT_EQ(store->due_timers(at(5000), 1).size(), 1u);

  auto fired = step(a, 2, 3);
  fired.clear_timers = {6};
  ASSERT_EQ(store->commit({"", {fired}}).status, CommitStatus::Committed);
  due = store->due_timers(at(5000), 10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].execution_arn, b);
  EXPECT_EQ(due[1].id, 5);
  EXPECT_EQ(due[1].due, at(3000));

  auto end = step(a, 3, 4);
  end.status = "SUCCEEDED";
  ASSERT_EQ(store->commit({"", {end}}).status, CommitStatus::Committed);
  due = store->due_timers(at(5000), 10);
  ASSERT_EQ(due.size(), 1u) << "a closed execution's timers are gone";
  EXPECT_EQ(due[0].execution_arn, b);
}

TEST_P(EffectStoreTest, RecordsFindsAndFinishesTaskTokens) {
  auto s = step(a, 1, 2);
  s.add_tasks = {task("tok-1", "", 3)};
  ASSERT_EQ(store->commit({"", {s}}).status, CommitStatus::Committed);
  auto found = store->find_task("tok-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->execution_arn, a);
  EXPECT_EQ(found->id, 3);
  EXPECT_EQ(json::dump(found->payload), R"({"input":"{}","thread":0})");
  EXPECT_FALSE(store->find_task("tok-2"));

  auto done = step(a, 2, 3);
  done.finish_tasks = {"tok-1"};
  ASSERT_EQ(store->commit({"", {done}}).status, CommitStatus::Committed);
  EXPECT_FALSE(store->find_task("tok-1"));

  // A stale commit records nothing.
  auto stale = step(a, 1, 4);
  stale.add_tasks = {task("tok-3", "", 4)};
  EXPECT_EQ(store->commit({"", {stale}}).status, CommitStatus::VersionConflict);
  EXPECT_FALSE(store->find_task("tok-3"));
}

TEST_P(EffectStoreTest, QueuesActivityTasksForPollersOldestFirst) {
  auto s = step(a, 1, 2);
  s.add_tasks = {task("t1", activity, 2), task("t2", activity, 3), task("x", activity + "2", 4)};
  ASSERT_EQ(store->commit({"", {s}}).status, CommitStatus::Committed);
  auto sb = step(b, 1, 2);
  sb.add_tasks = {task("t3", activity, 2)};
  ASSERT_EQ(store->commit({"", {sb}}).status, CommitStatus::Committed);

  auto first = store->claim_activity_task(activity, "worker-1");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->token, "t1");
  EXPECT_EQ(first->claimed_by, "worker-1");
  EXPECT_EQ(store->find_task("t1")->claimed_by, "worker-1");
  EXPECT_EQ(store->claim_activity_task(activity, "worker-2")->token, "t2");

  // Completing t1 (SendTaskSuccess) and closing b (which drops t3) empties the queue.
  auto complete = step(a, 2, 3);
  complete.finish_tasks = {"t1"};
  auto abort = step(b, 2, 3);
  abort.status = "ABORTED";
  ASSERT_EQ(store->commit({"", {complete, abort}}).status, CommitStatus::Committed);
  EXPECT_FALSE(store->find_task("t1"));
  EXPECT_FALSE(store->find_task("t3"));
  EXPECT_FALSE(store->claim_activity_task(activity, "worker-3"));
  EXPECT_EQ(store->claim_activity_task(activity + "2", "w")->token, "x");
  EXPECT_FALSE(store->claim_activity_task("arn:none", "w"));
}

}  // namespace
}  // namespace stepline::store::testing
