// State machines, versions, aliases and activities: versioned writes, atomic batches, paging.
#include "store_fixture.hpp"

namespace stepline::store::testing {
namespace {

class ResourceStoreTest : public StoreTest {};
STEPLINE_STORE_BACKENDS(ResourceStoreTest);

TEST_P(ResourceStoreTest, CreatesReadsUpdatesAndErases) {
  auto m = machine("orders");
  m.tags = json::Object{{"team", "core"}};
  ASSERT_TRUE(store->write_resources({{m, 0, false}}).ok);

  auto read = store->get_resource(ResourceKind::StateMachine, m.arn);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->version, 1);
  EXPECT_EQ(read->name, "orders");
  EXPECT_EQ(json::dump(read->document), json::dump(m.document));  // key order kept
  EXPECT_EQ(json::dump(read->tags), R"({"team":"core"})");
  EXPECT_FALSE(store->get_resource(ResourceKind::Activity, m.arn)) << "kinds are separate";

  m.document.as_object()["definition"] = "{\"StartAt\":\"A\"}";
  ASSERT_TRUE(store->write_resources({{m, 1, false}}).ok);
  EXPECT_EQ(store->get_resource(ResourceKind::StateMachine, m.arn)->version, 2);

  ASSERT_TRUE(store->write_resources({{m, 2, true}}).ok);
  EXPECT_FALSE(store->get_resource(ResourceKind::StateMachine, m.arn));
}

TEST_P(ResourceStoreTest, StaleOrDuplicateWriteFailsAndReportsTheCurrentResource) {
  auto m = machine("orders");
  ASSERT_TRUE(store->write_resources({{m, 0, false}}).ok);

  auto duplicate = store->write_resources({{m, 0, false}});
  EXPECT_FALSE(duplicate.ok);
  ASSERT_TRUE(duplicate.current);
  EXPECT_EQ(duplicate.current->version, 1);

  ASSERT_TRUE(store->write_resources({{m, 1, false}}).ok);
  auto stale = store->write_resources({{m, 1, false}});
  EXPECT_FALSE(stale.ok);
  EXPECT_EQ(stale.current->version, 2);

  auto missing = store->write_resources({{machine("ghost"), 3, false}});
  EXPECT_FALSE(missing.ok);
  EXPECT_FALSE(missing.current);
}

TEST_P(ResourceStoreTest, BatchIsAllOrNothing) {
  // Publishing a version: bump the machine and create machine:1 together.
  auto m = machine("orders");
  ASSERT_TRUE(store->write_resources({{m, 0, false}}).ok);
  Resource v1;
  v1.kind = ResourceKind::Version;
  v1.arn = m.arn + ":1";
  v1.parent_arn = m.arn;
  v1.name = "1";
  v1.document = json::Object{{"revisionId", "r1"}};
  auto failed = store->write_resources({{m, 1, false}, {v1, 0, false}, {m, 1, false}});
  EXPECT_FALSE(failed.ok);
  EXPECT_EQ(failed.failed_index, 2u) << "the third write sees the first one's version";
  EXPECT_EQ(store->get_resource(ResourceKind::StateMachine, m.arn)->version, 1);
  EXPECT_FALSE(store->get_resource(ResourceKind::Version, v1.arn));

  ASSERT_TRUE(store->write_resources({{m, 1, false}, {v1, 0, false}}).ok);
  EXPECT_EQ(store->get_resource(ResourceKind::StateMachine, m.arn)->version, 2);
  EXPECT_EQ(store->get_resource(ResourceKind::Version, v1.arn)->parent_arn, m.arn);
}

TEST_P(ResourceStoreTest, ListsByKindAndParentWithPaging) {
  std::vector<ResourceWrite> writes;
  for (int i = 0; i < 5; ++i) writes.push_back({machine("m" + std::to_string(i)), 0, false});
  const auto parent = machine("m0").arn;
  for (int i = 1; i <= 3; ++i) {
    Resource alias;
    alias.kind = ResourceKind::Alias;
    alias.arn = parent + ":alias" + std::to_string(i);
    alias.parent_arn = parent;
    alias.name = "alias" + std::to_string(i);
    alias.document = json::Object{};
    writes.push_back({alias, 0, false});
  }
  Resource other_alias = writes.back().resource;
  other_alias.arn = machine("m1").arn + ":x";
  other_alias.parent_arn = machine("m1").arn;
  writes.push_back({other_alias, 0, false});
  ASSERT_TRUE(store->write_resources(writes).ok);

  auto first = store->list_resources(ResourceKind::StateMachine, "", {2, "", false});
  ASSERT_EQ(first.items.size(), 2u);
  EXPECT_EQ(first.items[0].name, "m0");
  EXPECT_EQ(first.items[1].name, "m1");
  ASSERT_FALSE(first.next_token.empty());
  auto second = store->list_resources(ResourceKind::StateMachine, "", {2, first.next_token, false});
  ASSERT_EQ(second.items.size(), 2u);
  EXPECT_EQ(second.items[0].name, "m2");
  auto last = store->list_resources(ResourceKind::StateMachine, "", {2, second.next_token, false});
  ASSERT_EQ(last.items.size(), 1u);
  EXPECT_EQ(last.items[0].name, "m4");
  EXPECT_TRUE(last.next_token.empty());

  auto newest = store->list_resources(ResourceKind::StateMachine, "", {3, "", true});
  ASSERT_EQ(newest.items.size(), 3u);
  EXPECT_EQ(newest.items[0].name, "m4");
  auto older = store->list_resources(ResourceKind::StateMachine, "", {3, newest.next_token, true});
  ASSERT_EQ(older.items.size(), 2u);
  EXPECT_EQ(older.items[0].name, "m1");
  EXPECT_EQ(older.items[1].name, "m0");

  auto aliases = store->list_resources(ResourceKind::Alias, parent, {});
  ASSERT_EQ(aliases.items.size(), 3u);
  EXPECT_EQ(aliases.items[2].name, "alias3");
  EXPECT_EQ(store->list_resources(ResourceKind::Alias, "", {}).items.size(), 4u);
}

TEST_P(ResourceStoreTest, RejectsForeignPageTokens) {
  EXPECT_THROW(store->list_resources(ResourceKind::Activity, "", {10, "garbage", false}),
               InvalidPageToken);
  EXPECT_THROW(store->list_resources(ResourceKind::Activity, "", {10, "stp1.zz", false}),
               InvalidPageToken);
}

TEST_P(ResourceStoreTest, CountsMachinesActivitiesAndOpenExecutions) {
  Resource activity;
  activity.kind = ResourceKind::Activity;
  activity.arn = "arn:aws:states:us-east-1:123456789012:activity:work";
  activity.name = "work";
  activity.document = json::Object{};
  const auto m = machine("orders");
  ASSERT_TRUE(store->write_resources({{m, 0, false}, {activity, 0, false}}).ok);
  ASSERT_EQ(store->create_execution(new_execution(m.arn, "a")).status, CreateStatus::Created);
  ASSERT_EQ(store->create_execution(new_execution(m.arn, "b")).status, CreateStatus::Created);
  auto done = step(new_execution(m.arn, "b").summary.arn, 1, 2);
  done.status = "SUCCEEDED";
  ASSERT_EQ(store->commit({"", {done}}).status, CommitStatus::Committed);

  const auto c = store->counts();
  EXPECT_EQ(c.state_machines, 1);
  EXPECT_EQ(c.activities, 1);
  EXPECT_EQ(c.open_executions, 1);
}

}  // namespace
}  // namespace stepline::store::testing
