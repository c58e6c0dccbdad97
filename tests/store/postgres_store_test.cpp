// PostgreSQL only: reopening finds what was committed, a newer schema is refused, two stores on
// one database (two nodes) see each other's commits and are fenced by the execution's owner.
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store_fixture.hpp"

namespace stepline::store::testing {
namespace {

class PostgresStoreTest : public StoreTest {};
INSTANTIATE_TEST_SUITE_P(Postgres, PostgresStoreTest, ::testing::Values(Backend::Postgres),
                         backend_name);

TEST_P(PostgresStoreTest, ReopeningFindsEverythingCommitted) {
  auto m = machine("orders");
  m.tags = json::Object{{"k", "v"}};
  ASSERT_TRUE(store->write_resources({{m, 0, false}}).ok);
  const auto e = new_execution(m.arn, "e1", R"({"x":1})");
  ASSERT_EQ(store->create_execution(e).status, CreateStatus::Created);
  auto s = step(e.summary.arn, 1, 2, 2);
  s.arm_timers = {{"", 7, TimePoint(Millis(500)), json::Object{{"thread", 1}}}};
  TaskRecord t;
  t.token = R"(tok "quoted" \ {braces},)";
  t.activity_arn = "arn:activity";
  t.id = 8;
  t.payload = json::Object{{"input", R"({"a":"\"x\""})"}};
  s.add_tasks = {t};
  ASSERT_EQ(store->commit({"", {s}}).status, CommitStatus::Committed);

  store.reset();
  store = open();
  EXPECT_EQ(json::dump(store->get_resource(ResourceKind::StateMachine, m.arn)->tags),
            R"({"k":"v"})");
  auto r = store->load_execution(e.summary.arn);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(json::dump(r->frame), R"({"version":2})");
  EXPECT_EQ(event_ids(store->read_history(e.summary.arn, {}).items),
            (std::vector<long long>{1, 2, 3}));
  ASSERT_EQ(store->due_timers(TimePoint(Millis(500)), 10).size(), 1u);
  auto claimed = store->claim_activity_task("arn:activity", "w");
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->token, t.token);
  EXPECT_EQ(json::dump(claimed->payload), json::dump(t.payload));
  EXPECT_EQ(store->create_execution(e).status, CreateStatus::AlreadyRunning);
}

TEST_P(PostgresStoreTest, RefusesADatabaseFromANewerSchema) {
  store.reset();
  postgres::Connection db(postgres_test_url(), pg_schema);
  db.exec("UPDATE schema_version SET version = 999 WHERE component = 'store'");
  EXPECT_THROW(open(), StoreError);
}

TEST_P(PostgresStoreTest, RefusesAServerItCannotReach) {
  PostgresOptions options;
  options.url = "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2";
  EXPECT_THROW(open_postgres_store(options), StoreError);
  options.url = postgres_test_url();
  options.schema = "bad-name; DROP";
  EXPECT_THROW(open_postgres_store(options), StoreError);
}

TEST_P(PostgresStoreTest, TwoNodesShareExecutionsAndAreFencedByTheOwner) {
  auto other = open();  // a second node on the same database
  auto e = new_execution(machine("m").arn, "owned");
  e.owner = "node-a";
  ASSERT_EQ(store->create_execution(e).status, CreateStatus::Created);
  EXPECT_EQ(other->create_execution(e).status, CreateStatus::AlreadyRunning);
  EXPECT_EQ(other->commit({"node-b", {step(e.summary.arn, 1, 2)}}).status, CommitStatus::LeaseLost);
  ASSERT_EQ(store->commit({"node-a", {step(e.summary.arn, 1, 2)}}).status, CommitStatus::Committed);
  EXPECT_EQ(other->load_execution(e.summary.arn)->version, 2);
  EXPECT_EQ(other->commit({"node-a", {step(e.summary.arn, 1, 3)}}).status,
            CommitStatus::VersionConflict);
}

}  // namespace
}  // namespace stepline::store::testing
