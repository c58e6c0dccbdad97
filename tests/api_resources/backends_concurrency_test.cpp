// The resource operations over the SQLite store (documents survive a reopen, as after a restart)
// and under concurrent callers (optimistic writes retried, no lost updates, one creation).
#include "resources_fixture.hpp"

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include <unistd.h>

namespace stepline::api::testing {
namespace {

class SqliteResources : public ResourcesTest {
 protected:
  SqliteResources() {
    dir_ = std::filesystem::temp_directory_path() /
           ("stepline-resources-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    reopen();
  }
  ~SqliteResources() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void reopen() {
    store_.reset();
    store::SqliteOptions options;
    options.path = (dir_ / "store.db").string();
    store_ = store::open_sqlite_store(options);
    context_.store = store_.get();
    registry_ = OperationRegistry();
    register_state_machine_operations(registry_, context_);
    register_version_operations(registry_, context_);
    register_alias_operations(registry_, context_);
    register_tag_operations(registry_, context_);
    register_activity_operations(registry_, context_);
  }
  std::filesystem::path dir_;
};

TEST_F(SqliteResources, EverythingSurvivesAReopen) {
  json::Object body = create_body("machine", comment_definition("caf\xc3\xa9 1.0"));
  body["tags"] = json::parse(R"([{"key": "z", "value": "1"}, {"key": "a", "value": "2"}])");
  body["loggingConfiguration"] = json::parse(
      R"({"level": "ERROR", "includeExecutionData": true, "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": "arn:aws:logs:us-east-1:111111111111:log-group:g:*"}}]})");
  const std::string arn =
      std::string(ok("CreateStateMachine", body).at("stateMachineArn").as_string());
  const std::string v1 = publish(arn);
  update_definition(arn, comment_definition("R2"));
  json::Object alias;
  alias["name"] = "live";
  alias["routingConfiguration"] =
      json::parse(R"([{"stateMachineVersionArn": ")" + v1 + R"(", "weight": 100}])");
  ok("CreateStateMachineAlias", alias);
  ok("CreateActivity", R"({"name": "act"})");
  const json::Object machine_before = describe(arn);
  const json::Object version_before = describe(v1);
  const runtime::MachineRef ref_before =
      std::get<runtime::MachineRef>(resolve_machine(context_, v1));

  reopen();
  EXPECT_EQ(json::dump(describe(arn)), json::dump(machine_before));
  EXPECT_EQ(json::dump(describe(v1)), json::dump(version_before));
  EXPECT_EQ(json::dump(ok("ListTagsForResource", arn_body("resourceArn", arn))),
            R"({"tags":[{"key":"z","value":"1"},{"key":"a","value":"2"}]})");
  const runtime::MachineRef ref =
      std::get<runtime::MachineRef>(resolve_machine(context_, arn + ":live"));
  EXPECT_EQ(ref.revision_arn, ref_before.revision_arn);
  EXPECT_EQ(ref.definition, comment_definition("caf\xc3\xa9 1.0"));
  EXPECT_EQ(json::dump(ref.logging_configuration), json::dump(ref_before.logging_configuration));
  update_definition(arn, comment_definition("R3"));
  EXPECT_EQ(publish(arn), arn + ":2");  // the version counter survived too
  EXPECT_EQ(ok("ListActivities", R"({})").at("activities").as_array().size(), 1u);
}

using ConcurrentResources = ResourcesTest;

TEST_F(ConcurrentResources, ConcurrentCreatesMakeOneMachine) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      ApiOutcome outcome = call("CreateStateMachine", create_body("machine"));
      if (std::holds_alternative<ApiError>(outcome)) ++failures;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(ok("ListStateMachines", R"({})").at("stateMachines").as_array().size(), 1u);
  EXPECT_EQ(store_
                ->list_resources(store::ResourceKind::Revision,
                                 std::string(kMachinePrefix) + "machine", store::PageRequest{})
                .items.size(),
            1u);
}

TEST_F(ConcurrentResources, ConcurrentTaggingLosesNoTag) {
  const std::string arn = create_machine("machine");
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        json::Object body = arn_body("resourceArn", arn);
        body["tags"] =
            json::parse(R"([{"key": "k)" + std::to_string(t * 5 + i) + R"(", "value": "v"}])");
        call("TagResource", body);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok("ListTagsForResource", arn_body("resourceArn", arn)).at("tags").as_array().size(),
            40u);
}

TEST_F(ConcurrentResources, ConcurrentPublishesNumberDistinctly) {
  const std::string arn = create_machine("machine");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) {
        json::Object body = arn_body("stateMachineArn", arn);
        body["definition"] = comment_definition("t" + std::to_string(t) + "i" + std::to_string(i));
        body["publish"] = true;
        call("UpdateStateMachine", body);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  json::Object body = arn_body("stateMachineArn", arn);
  body["maxResults"] = 1000;
  const json::Object versions = ok("ListStateMachineVersions", body);
  std::set<std::string> arns;
  for (const json::Value& v : versions.at("stateMachineVersions").as_array())
    arns.insert(std::string(v.at("stateMachineVersionArn").as_string()));
  EXPECT_EQ(arns.size(), versions.at("stateMachineVersions").as_array().size());
  EXPECT_EQ(arns.size(), 12u);
  EXPECT_TRUE(arns.count(arn + ":12"));
}

}  // namespace
}  // namespace stepline::api::testing
