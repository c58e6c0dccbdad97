// Executions: idempotent creation, versioned atomic commits, fencing, listing and history.
#include "store_fixture.hpp"

#include "engine/frame.hpp"
#include "engine/frame_codec.hpp"

namespace stepline::store::testing {
namespace {

class ExecutionStoreTest : public StoreTest {
 protected:
  const std::string machine_arn = machine("orders").arn;
};
STEPLINE_STORE_BACKENDS(ExecutionStoreTest);

TEST_P(ExecutionStoreTest, CreateIsIdempotentByNameAndInput) {
  auto e = new_execution(machine_arn, "run-1", R"({"order":1})");
  e.summary.attributes = json::Object{{"redriveCount", 0}};
  auto created = store->create_execution(e);
  EXPECT_EQ(created.status, CreateStatus::Created);

  auto retry = store->create_execution(e);
  EXPECT_EQ(retry.status, CreateStatus::AlreadyRunning);
  EXPECT_EQ(retry.execution.arn, e.summary.arn);

  auto other_input = e;
  other_input.input = R"({"order":2})";
  EXPECT_EQ(store->create_execution(other_input).status, CreateStatus::AlreadyExists);

  auto record = store->load_execution(e.summary.arn);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->version, 1);
  EXPECT_EQ(record->input, R"({"order":1})");
  EXPECT_EQ(record->history_length, 1);
  EXPECT_EQ(json::dump(record->frame), R"({"z":1,"a":2})");
  EXPECT_EQ(json::dump(record->summary.attributes), R"({"redriveCount":0})");
  EXPECT_EQ(record->summary.start_date, e.summary.start_date);
  EXPECT_FALSE(record->summary.stop_date);

  auto close = step(e.summary.arn, 1, 2);
  close.status = "SUCCEEDED";
  ASSERT_EQ(store->commit({"", {close}}).status, CommitStatus::Committed);
  EXPECT_EQ(store->create_execution(e).status, CreateStatus::AlreadyExists)
      << "a closed execution's name cannot be reused";
  EXPECT_FALSE(store->load_execution(e.summary.arn + "x"));
}

TEST_P(ExecutionStoreTest, CommitAdvancesTheVersionAndAppendsHistory) {
  const auto arn = new_execution(machine_arn, "e").summary.arn;
  ASSERT_EQ(store->create_execution(new_execution(machine_arn, "e")).status, CreateStatus::Created);
  auto s = step(arn, 1, 2, 3);
  s.status = "FAILED";
  s.stop_date = TimePoint(Millis(1'700'000'001'234));
  s.attributes = json::Object{{"error", "Boom"}, {"cause", "x"}};
  ASSERT_EQ(store->commit({"", {s}}).status, CommitStatus::Committed);

  auto record = store->load_execution(arn);
  EXPECT_EQ(record->version, 2);
  EXPECT_EQ(record->history_length, 4);
  EXPECT_EQ(json::dump(record->frame), R"({"version":2})");
  EXPECT_EQ(record->summary.status, "FAILED");
  EXPECT_EQ(record->summary.stop_date, s.stop_date);
  EXPECT_EQ(json::dump(record->summary.attributes), R"({"error":"Boom","cause":"x"})");
  EXPECT_EQ(event_ids(store->read_history(arn, {}).items), (std::vector<long long>{1, 2, 3, 4}));
}

TEST_P(ExecutionStoreTest, StaleVersionFailsAndChangesNothing) {
  const auto a = new_execution(machine_arn, "a").summary.arn;
  const auto b = new_execution(machine_arn, "b").summary.arn;
  store->create_execution(new_execution(machine_arn, "a"));
  store->create_execution(new_execution(machine_arn, "b"));
  ASSERT_EQ(store->commit({"", {step(a, 1, 2)}}).status, CommitStatus::Committed);

  auto stale = store->commit({"", {step(a, 1, 3)}});
  EXPECT_EQ(stale.status, CommitStatus::VersionConflict);

  // Many steps in one commit: the good first step is undone with the stale second one.
  auto mixed = store->commit({"", {step(b, 1, 2), step(a, 1, 3)}});
  EXPECT_EQ(mixed.status, CommitStatus::VersionConflict);
  EXPECT_EQ(mixed.failed_step, 1u);
  EXPECT_EQ(store->load_execution(b)->version, 1);
  EXPECT_EQ(store->read_history(b, {}).items.size(), 1u);
  EXPECT_EQ(store->load_execution(a)->history_length, 2);

  // Two steps of one execution chain their versions.
  ASSERT_EQ(store->commit({"", {step(a, 2, 3), step(a, 3, 4), step(b, 1, 2)}}).status,
            CommitStatus::Committed);
  EXPECT_EQ(store->load_execution(a)->version, 4);
  EXPECT_EQ(store->load_execution(b)->version, 2);

  EXPECT_EQ(store->commit({"", {step(a + "-missing", 1, 2)}}).status, CommitStatus::NotFound);
}

TEST_P(ExecutionStoreTest, CommitsOfAnOwnedExecutionNeedItsLease) {
  auto e = new_execution(machine_arn, "owned");
  e.owner = "node-1";
  store->create_execution(e);
  const auto& arn = e.summary.arn;
  EXPECT_EQ(store->commit({"node-2", {step(arn, 1, 2)}}).status, CommitStatus::LeaseLost);
  EXPECT_EQ(store->commit({"", {step(arn, 1, 2)}}).status, CommitStatus::LeaseLost);
  EXPECT_EQ(store->load_execution(arn)->version, 1);
  EXPECT_EQ(store->commit({"node-1", {step(arn, 1, 2)}}).status, CommitStatus::Committed);
  EXPECT_EQ(store->load_execution(arn)->owner, "node-1");
}

TEST_P(ExecutionStoreTest, ListsNewestFirstWithFiltersAndPaging) {
  const auto other_machine = machine("other").arn;
  for (int i = 0; i < 6; ++i) {
    store->create_execution(
        new_execution(i % 2 ? other_machine : machine_arn, "e" + std::to_string(i)));
  }
  auto close = step(new_execution(machine_arn, "e2").summary.arn, 1, 2);
  close.status = "ABORTED";
  store->commit({"", {close}});

  auto names = [](const Page<ExecutionSummary>& page) {
    std::vector<std::string> out;
    for (const auto& s : page.items) out.push_back(s.name);
    return out;
  };
  auto all = store->list_executions({}, {4, "", false});
  EXPECT_EQ(names(all), (std::vector<std::string>{"e5", "e4", "e3", "e2"}));
  auto rest = store->list_executions({}, {4, all.next_token, false});
  EXPECT_EQ(names(rest), (std::vector<std::string>{"e1", "e0"}));
  EXPECT_TRUE(rest.next_token.empty());

  auto mine = store->list_executions({machine_arn, ""}, {2, "", false});
  EXPECT_EQ(names(mine), (std::vector<std::string>{"e4", "e2"}));
  mine = store->list_executions({machine_arn, ""}, {2, mine.next_token, false});
  EXPECT_EQ(names(mine), (std::vector<std::string>{"e0"}));

  auto running = store->list_executions({"", "RUNNING"}, {});
  EXPECT_EQ(names(running), (std::vector<std::string>{"e5", "e4", "e3", "e1", "e0"}));
  auto aborted = store->list_executions({machine_arn, "ABORTED"}, {});
  EXPECT_EQ(names(aborted), (std::vector<std::string>{"e2"}));
  EXPECT_EQ(aborted.items[0].status, "ABORTED");

  auto oldest = store->list_executions({}, {2, "", true});
  EXPECT_EQ(names(oldest), (std::vector<std::string>{"e0", "e1"}));
  oldest = store->list_executions({}, {2, oldest.next_token, true});
  EXPECT_EQ(names(oldest), (std::vector<std::string>{"e2", "e3"}));

  EXPECT_THROW(store->list_executions({}, {2, "nope", false}), InvalidPageToken);
}

TEST_P(ExecutionStoreTest, ReadsHistoryInPagesForwardsAndBackwards) {
  const auto arn = new_execution(machine_arn, "h").summary.arn;
  store->create_execution(new_execution(machine_arn, "h"));
  ASSERT_EQ(store->commit({"", {step(arn, 1, 2, 9)}}).status, CommitStatus::Committed);

  std::vector<long long> forwards;
  PageRequest page{4, "", false};
  for (;;) {
    auto p = store->read_history(arn, page);
    EXPECT_LE(p.items.size(), 4u);
    for (auto id : event_ids(p.items)) forwards.push_back(id);
    if (p.next_token.empty()) break;
    page.token = p.next_token;
  }
  EXPECT_EQ(forwards, (std::vector<long long>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));

  auto back = store->read_history(arn, {3, "", true});
  EXPECT_EQ(event_ids(back.items), (std::vector<long long>{10, 9, 8}));
  back = store->read_history(arn, {3, back.next_token, true});
  EXPECT_EQ(event_ids(back.items), (std::vector<long long>{7, 6, 5}));
  EXPECT_EQ(json::dump(back.items[0]), R"({"id":7,"type":"PassStateEntered"})");
  EXPECT_TRUE(store->read_history(arn + "-none", {}).items.empty());
}

TEST_P(ExecutionStoreTest, KeepsAnEngineFrameExactly) {
  engine::Frame frame;
  engine::Thread top;
  top.state = "Wait";
  top.status = engine::ThreadStatus::AwaitingTimer;
  top.input = json::parse(R"({"b":1.0,"a":[1,2.5,"x"],"big":12345678901234567890})");
  top.variables = json::parse(R"({"zeta":true,"alpha":null})").as_object();
  frame.threads.emplace(0, top);
  frame.next_thread = 1;
  frame.execution_input = top.input;
  auto e = new_execution(machine_arn, "frame");
  e.first_step.frame = engine::frame_to_json(frame);
  store->create_execution(e);

  auto loaded = store->load_execution(e.summary.arn);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(json::dump(loaded->frame), json::dump(e.first_step.frame));
  auto back = engine::frame_from_json(loaded->frame);
  EXPECT_EQ(back.threads.at(0).state, "Wait");
  EXPECT_EQ(json::dump(back.threads.at(0).input), json::dump(top.input));
}

}  // namespace
}  // namespace stepline::store::testing
