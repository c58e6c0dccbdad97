// SQLite only: what was acknowledged survives a restart and a kill -9, and nothing
// half-committed is ever found. Nothing here is timed.
#include "store_fixture.hpp"

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <sqlite3.h>

namespace stepline::store::testing {
namespace {

class SqliteDurabilityTest : public StoreTest {};
INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteDurabilityTest, ::testing::Values(Backend::Sqlite),
                         backend_name);

TEST_P(SqliteDurabilityTest, ReopeningFindsEverythingCommitted) {
  auto m = machine("orders");
  m.tags = json::Object{{"k", "v"}};
  ASSERT_TRUE(store->write_resources({{m, 0, false}}).ok);
  const auto e = new_execution(m.arn, "e1", R"({"x":1})");
  ASSERT_EQ(store->create_execution(e).status, CreateStatus::Created);
  auto s = step(e.summary.arn, 1, 2, 2);
  s.arm_timers = {{"", 7, TimePoint(Millis(500)), json::Object{{"thread", 1}}}};
  TaskRecord t;
  t.token = "tok";
  t.activity_arn = "arn:activity";
  t.id = 8;
  t.payload = json::Object{{"input", "{}"}};
  s.add_tasks = {t};
  ASSERT_EQ(store->commit({"", {s}}).status, CommitStatus::Committed);

  store.reset();
  store = open();
  EXPECT_EQ(json::dump(store->get_resource(ResourceKind::StateMachine, m.arn)->tags),
            R"({"k":"v"})");
  auto r = store->load_execution(e.summary.arn);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(r->input, R"({"x":1})");
  EXPECT_EQ(event_ids(store->read_history(e.summary.arn, {}).items),
            (std::vector<long long>{1, 2, 3}));
  ASSERT_EQ(store->due_timers(TimePoint(Millis(500)), 10).size(), 1u);
  EXPECT_EQ(store->claim_activity_task("arn:activity", "w")->token, "tok");
  EXPECT_EQ(store->create_execution(e).status, CreateStatus::AlreadyRunning);

  // Executions created after the restart still list newest first.
  ASSERT_EQ(store->create_execution(new_execution(m.arn, "e2")).status, CreateStatus::Created);
  EXPECT_EQ(store->list_executions({}, {}).items.at(0).name, "e2");
}

TEST_P(SqliteDurabilityTest, RefusesADatabaseFromANewerSchema) {
  store.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "stepline.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_THROW(open(), StoreError);
}

TEST_P(SqliteDurabilityTest, RefusesAPathItCannotOpen) {
  SqliteOptions options;
  options.path = (dir.path() / "missing-dir" / "x.db").string();
  EXPECT_THROW(open_sqlite_store(options), StoreError);
}

// A child process commits steps of two executions together and reports each acknowledgement;
// it is killed with SIGKILL mid-stream. After reopening, every acknowledged commit is there and
// every commit is either whole or absent.
TEST_P(SqliteDurabilityTest, KillNineLosesNothingAcknowledgedAndHalfCommitsNothing) {
  store.reset();
  const auto m = machine("crash").arn;
  const auto a = new_execution(m, "a");
  const auto b = new_execution(m, "b");
  int acks[2];
  ASSERT_EQ(::pipe(acks), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(acks[0]);
    try {
      auto s = open();
      s->create_execution(a);
      s->create_execution(b);
      for (Version v = 1; v < 100000; ++v) {
        auto sa = step(a.summary.arn, v, 1 + 3 * (v - 1) + 1, 3);
        sa.arm_timers = {{"", v, TimePoint(Millis(v)), {}}};
        auto sb = step(b.summary.arn, v, 1 + 3 * (v - 1) + 1, 3);
        if (s->commit({"", {sa, sb}}).status != CommitStatus::Committed) ::_exit(2);
        const char ack = 'k';
        if (::write(acks[1], &ack, 1) != 1) ::_exit(3);
      }
    } catch (...) {
      ::_exit(4);
    }
    ::_exit(0);
  }
  ::close(acks[1]);
  int acknowledged = 0;
  char ack = 0;
  while (acknowledged < 40 && ::read(acks[0], &ack, 1) == 1) ++acknowledged;
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(acks[0]);
  ASSERT_EQ(acknowledged, 40) << "the child stopped early";
  ASSERT_TRUE(WIFSIGNALED(status));

  store = open();
  auto ra = store->load_execution(a.summary.arn);
  auto rb = store->load_execution(b.summary.arn);
  ASSERT_TRUE(ra && rb);
  EXPECT_GE(ra->version, 1 + acknowledged);
  EXPECT_EQ(ra->version, rb->version) << "both steps of a commit or neither";
  for (const auto& r : {*ra, *rb}) {
    EXPECT_EQ(r.history_length, 1 + 3 * (r.version - 1));
    auto history = store->read_history(r.summary.arn, {1000, "", false});
    ASSERT_EQ(static_cast<long long>(history.items.size()), r.history_length);
    EXPECT_EQ(json::dump(r.frame), json::dump(json::Object{{"version", r.version}}));
  }
  EXPECT_EQ(static_cast<long long>(store->due_timers(TimePoint(Millis(1'000'000)), 100000).size()),
            ra->version - 1);
}

}  // namespace
}  // namespace stepline::store::testing
