// write_batch decides its creates and commits in order, as if they ran one after the other:
// later items see what earlier ones did to the same executions, tasks and timers (the
// PostgreSQL store decides a whole group commit in memory and writes its net effect at once).
#include "store_fixture.hpp"

#include <algorithm>

namespace stepline::store::testing {
namespace {

class BatchOrderTest : public StoreTest {
 protected:
  static TaskRecord task(const std::string& token, const std::string& activity, long long id) {
    TaskRecord t;
    t.token = token;
    t.id = id;
    t.activity_arn = activity;
    t.payload = json::Object{{"id", id}};
    return t;
  }
  static TimePoint at(long long ms) { return TimePoint(Millis(ms)); }
  std::vector<long long> timer_ids(const std::string& arn) {
    std::vector<long long> ids;
    for (const auto& t : store->execution_timers(arn)) ids.push_back(t.id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  const std::string sm = machine("batch").arn;
  const std::string activity = "arn:aws:states:us-east-1:123456789012:activity:batch";
};
STEPLINE_STORE_BACKENDS(BatchOrderTest);

TEST_P(BatchOrderTest, CommitsSeeCreatesAndEarlierCommitsOfTheSameBatch) {
  const auto n = new_execution(sm, "n");
  WriteBatch batch;
  batch.creates = {n, n, new_execution(sm, "n", R"({"other":1})")};
  auto second = step(n.summary.arn, 2, 3);
  second.status = "SUCCEEDED";
  second.stop_date = at(1'700'000'000'500);
  second.attributes = json::Object{{"output", "{}"}};
  batch.commits = {{"", {step(n.summary.arn, 1, 2)}},
                   {"", {second}},
                   {"", {step(n.summary.arn, 2, 4)}},   // stale: the one before moved it to 3
                   {"", {step(n.summary.arn, 3, 4)}}};  // a step on the closed execution
  auto result = store->write_batch(batch);
  ASSERT_EQ(result.creates.size(), 3u);
  EXPECT_EQ(result.creates[0].status, CreateStatus::Created);
  EXPECT_EQ(result.creates[1].status, CreateStatus::AlreadyRunning);
  EXPECT_EQ(result.creates[2].status, CreateStatus::AlreadyExists);
  EXPECT_EQ(result.creates[2].execution.arn, n.summary.arn);
  ASSERT_EQ(result.commits.size(), 4u);
  EXPECT_EQ(result.commits[0].status, CommitStatus::Committed);
  EXPECT_EQ(result.commits[1].status, CommitStatus::Committed);
  EXPECT_EQ(result.commits[2].status, CommitStatus::VersionConflict);
  EXPECT_EQ(result.commits[3].status, CommitStatus::Committed);

  auto record = store->load_execution(n.summary.arn);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->version, 4);
  EXPECT_EQ(record->history_length, 4);
  EXPECT_EQ(record->summary.status, "SUCCEEDED");
  EXPECT_EQ(record->summary.stop_date, second.stop_date);
  EXPECT_EQ(json::dump(record->summary.attributes), R"({"output":"{}"})");
  EXPECT_EQ(json::dump(record->frame), R"({"version":4})");
  EXPECT_EQ(event_ids(store->read_history(n.summary.arn, {}).items),
            (std::vector<long long>{1, 2, 3, 4}));

  // The same name again: what a reader sees now (closed).
  auto again = store->write_batch({{n}, {}});
  ASSERT_EQ(again.creates.size(), 1u);
  EXPECT_EQ(again.creates[0].status, CreateStatus::AlreadyExists);
  EXPECT_EQ(again.creates[0].execution.status, "SUCCEEDED");
  EXPECT_EQ(again.creates[0].execution.stop_date, second.stop_date);
}

TEST_P(BatchOrderTest, ACreateClosedByItsFirstStepRefusesTheSameNameInTheBatch) {
  auto closed = new_execution(sm, "closed");
  closed.first_step.status = "SUCCEEDED";
  closed.first_step.stop_date = at(1'700'000'000'001);
  closed.first_step.arm_timers = {{"", 1, at(10), {}}};
  closed.first_step.add_tasks = {task("closed-task", activity, 2)};
  auto result = store->write_batch({{closed, closed}, {}});
  ASSERT_EQ(result.creates.size(), 2u);
  EXPECT_EQ(result.creates[0].status, CreateStatus::Created);
  EXPECT_EQ(result.creates[1].status, CreateStatus::AlreadyExists);
  EXPECT_EQ(result.creates[1].execution.status, "SUCCEEDED");
  EXPECT_EQ(result.creates[1].execution.stop_date, closed.first_step.stop_date);
  EXPECT_TRUE(store->execution_timers(closed.summary.arn).empty());
  EXPECT_FALSE(store->find_task("closed-task"));
}

TEST_P(BatchOrderTest, EffectsOfSeveralCommitsNetOutInOrder) {
  const auto a = new_execution(sm, "a");
  const auto b = new_execution(sm, "b");
  ASSERT_EQ(store->create_execution(b).status, CreateStatus::Created);
  auto b_old = step(b.summary.arn, 1, 2);
  b_old.add_tasks = {task("b-old", activity, 1)};
  b_old.arm_timers = {{"", 9, at(90), {}}};
  ASSERT_EQ(store->commit({"", {b_old}}).status, CommitStatus::Committed);

  auto a1 = step(a.summary.arn, 1, 2);
  a1.add_tasks = {task("t1", activity, 1), task("moving", activity, 2)};
  a1.arm_timers = {{"", 5, at(50), {}}, {"", 6, at(60), {}}};
  auto a2 = step(a.summary.arn, 2, 3);
  a2.finish_tasks = {"t1"};
  a2.add_tasks = {task("t2", activity, 3)};
  a2.clear_timers = {5};
  a2.arm_timers = {{"", 6, at(61), json::Object{{"re", true}}}, {"", 7, at(70), {}}};
  auto b1 = step(b.summary.arn, 2, 3);
  b1.add_tasks = {task("moving", activity, 4), task("b-new", activity, 5)};
  b1.arm_timers = {{"", 10, at(100), {}}};
  auto b2 = step(b.summary.arn, 3, 4);  // closes b: its tasks and timers go, old and new
  b2.status = "ABORTED";
  auto a3 = step(a.summary.arn, 3, 4);
  a3.add_tasks = {task("b-new", activity, 6)};  // the token lives on with a
  // A refused commit in between changes nothing.
  auto refused = step(a.summary.arn, 1, 9);
  refused.add_tasks = {task("never", activity, 9)};
  refused.clear_timers = {6, 7};

  WriteBatch batch;
  batch.creates = {a};
  batch.commits = {{"", {a1}}, {"", {a2}}, {"", {b1}}, {"", {refused}}, {"", {b2, a3}}};
  auto result = store->write_batch(batch);
  ASSERT_EQ(result.commits.size(), 5u);
  EXPECT_EQ(result.commits[3].status, CommitStatus::VersionConflict);
  for (std::size_t i : {0u, 1u, 2u, 4u}) {
    EXPECT_EQ(result.commits[i].status, CommitStatus::Committed) << i;
  }

  EXPECT_FALSE(store->find_task("t1"));
  EXPECT_FALSE(store->find_task("never"));
  EXPECT_FALSE(store->find_task("b-old"));
  EXPECT_FALSE(store->find_task("moving")) << "moved to b, dropped when b closed";
  ASSERT_TRUE(store->find_task("t2"));
  ASSERT_TRUE(store->find_task("b-new"));
  EXPECT_EQ(store->find_task("b-new")->execution_arn, a.summary.arn);
  EXPECT_EQ(store->find_task("b-new")->id, 6);
  EXPECT_EQ(timer_ids(a.summary.arn), (std::vector<long long>{6, 7}));
  for (const auto& t : store->execution_timers(a.summary.arn)) {
    if (t.id == 6) {
      EXPECT_EQ(json::dump(t.payload), R"({"re":true})");
    }
  }
  EXPECT_TRUE(store->execution_timers(b.summary.arn).empty());
  // The activity queue in the order the tasks were added.
  EXPECT_EQ(store->claim_activity_task(activity, "w")->token, "t2");
  EXPECT_EQ(store->claim_activity_task(activity, "w")->token, "b-new");
  EXPECT_FALSE(store->claim_activity_task(activity, "w"));
  EXPECT_EQ(store->load_execution(a.summary.arn)->version, 4);
  EXPECT_EQ(store->load_execution(b.summary.arn)->summary.status, "ABORTED");
}

TEST_P(BatchOrderTest, AFencedCommitLeavesTheOthersOfItsBatch) {
  auto owned = new_execution(sm, "owned");
  owned.owner = "node-1";
  const auto free = new_execution(sm, "free");
  WriteBatch batch;
  batch.creates = {owned, free};
  batch.commits = {{"node-2", {step(free.summary.arn, 1, 2), step(owned.summary.arn, 1, 2)}},
                   {"node-1", {step(owned.summary.arn, 1, 2)}},
                   {"node-2", {step(free.summary.arn, 1, 2)}}};
  auto result = store->write_batch(batch);
  ASSERT_EQ(result.commits.size(), 3u);
  EXPECT_EQ(result.commits[0].status, CommitStatus::LeaseLost);
  EXPECT_EQ(result.commits[0].failed_step, 1u);
  EXPECT_EQ(result.commits[1].status, CommitStatus::Committed);
  EXPECT_EQ(result.commits[2].status, CommitStatus::Committed)
      << "the refused commit's first step was undone: version 1 again";
  EXPECT_EQ(store->load_execution(free.summary.arn)->version, 2);
  EXPECT_EQ(store->load_execution(owned.summary.arn)->version, 2);
  EXPECT_EQ(store->load_execution(owned.summary.arn)->owner, "node-1");
}

}  // namespace
}  // namespace stepline::store::testing
