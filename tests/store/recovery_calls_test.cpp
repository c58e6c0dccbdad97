// What recovery and the runtime's group commit need from every backend: an execution's armed
// timers and open tasks, and write_batch (creates and commits that succeed or fail one by one).
#include "store_fixture.hpp"

namespace stepline::store::testing {
namespace {

class RecoveryCallsTest : public StoreTest {
 protected:
  static TimePoint at(long long ms) { return TimePoint(Millis(ms)); }
  static TaskRecord task(const std::string& token, const std::string& activity, long long id) {
    TaskRecord t;
    t.token = token;
    t.id = id;
    t.activity_arn = activity;
    t.payload = json::Object{{"kind", "callback"}, {"thread", 0}};
    return t;
  }
  const std::string sm = machine("m").arn;
};
STEPLINE_STORE_BACKENDS(RecoveryCallsTest);

TEST_P(RecoveryCallsTest, ListsOneExecutionsTimersAndOpenTasks) {
  ASSERT_EQ(store->create_execution(new_execution(sm, "a")).status, CreateStatus::Created);
  ASSERT_EQ(store->create_execution(new_execution(sm, "b")).status, CreateStatus::Created);
  const std::string a = new_execution(sm, "a").summary.arn;
  const std::string b = new_execution(sm, "b").summary.arn;
  auto sa = step(a, 1, 2);
  sa.arm_timers = {{"", 7, at(5000), json::Object{{"thread", 1}}}, {"", 0, at(9000), {}}};
  sa.add_tasks = {task("t1", "", 3), task("t2", "arn:act", 4)};
  auto sb = step(b, 1, 2);
  sb.arm_timers = {{"", 1, at(1000), {}}};
  sb.add_tasks = {task("t3", "", 1)};
  ASSERT_EQ(store->commit({"", {sa, sb}}).status, CommitStatus::Committed);

  auto timers = store->execution_timers(a);
  ASSERT_EQ(timers.size(), 2u);
  EXPECT_EQ(timers[0].id, 0);
  EXPECT_EQ(timers[0].due, at(9000));
  EXPECT_EQ(timers[1].id, 7);
  EXPECT_EQ(timers[1].execution_arn, a);
  EXPECT_EQ(json::dump(timers[1].payload), R"({"thread":1})");

  auto tasks = store->open_tasks(a);
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].token, "t1");
  EXPECT_EQ(tasks[1].token, "t2");
  EXPECT_EQ(tasks[1].activity_arn, "arn:act");
  ASSERT_TRUE(store->claim_activity_task("arn:act", "w"));
  EXPECT_EQ(store->open_tasks(a)[1].claimed_by, "w");

  auto done = step(a, 2, 3);
  done.finish_tasks = {"t1"};
  done.clear_timers = {7};
  ASSERT_EQ(store->commit({"", {done}}).status, CommitStatus::Committed);
  EXPECT_EQ(store->open_tasks(a).size(), 1u);
  EXPECT_EQ(store->execution_timers(a).size(), 1u);
  EXPECT_TRUE(store->open_tasks("arn:none").empty());
  EXPECT_TRUE(store->execution_timers("arn:none").empty());
  EXPECT_EQ(store->open_tasks(b).size(), 1u);
}

TEST_P(RecoveryCallsTest, WriteBatchAppliesEachItemOnItsOwn) {
  ASSERT_EQ(store->create_execution(new_execution(sm, "old")).status, CreateStatus::Created);
  const std::string old = new_execution(sm, "old").summary.arn;

  WriteBatch batch;
  batch.creates = {new_execution(sm, "n1"), new_execution(sm, "old"),
                   new_execution(sm, "old", "{\"other\":1}")};
  batch.commits = {{"", {step(old, 1, 2)}},  // good
                   {"", {step(old, 1, 3)}},  // stale: the previous one moved it to 2
                   {"", {step("arn:none", 1, 1)}}};
  auto result = store->write_batch(batch);
  ASSERT_EQ(result.creates.size(), 3u);
  EXPECT_EQ(result.creates[0].status, CreateStatus::Created);
  EXPECT_EQ(result.creates[1].status, CreateStatus::AlreadyRunning);
  EXPECT_EQ(result.creates[2].status, CreateStatus::AlreadyExists);
  ASSERT_EQ(result.commits.size(), 3u);
  EXPECT_EQ(result.commits[0].status, CommitStatus::Committed);
  EXPECT_EQ(result.commits[1].status, CommitStatus::VersionConflict);
  EXPECT_EQ(result.commits[2].status, CommitStatus::NotFound);

  EXPECT_TRUE(store->load_execution(new_execution(sm, "n1").summary.arn));
  auto record = store->load_execution(old);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->version, 2);
  EXPECT_EQ(event_ids(store->read_history(old, {}).items), (std::vector<long long>{1, 2}));
}

}  // namespace
}  // namespace stepline::store::testing
