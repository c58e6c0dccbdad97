// The fixture's helpers (store_fixture.hpp). Named *_test.cpp so the test glob picks it up.
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store_fixture.hpp"

#include <unistd.h>
#include <atomic>
#include <cctype>
#include <cstdlib>

namespace stepline::store::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "stepline-store-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string postgres_test_url() {
  const char* url = std::getenv("STEPLINE_TEST_PG_URL");
  return url != nullptr ? url : "";
}

void StoreTest::SetUp() {
  if (GetParam() == Backend::Postgres) {
    if (postgres_test_url().empty()) {
      GTEST_SKIP() << "STEPLINE_TEST_PG_URL is not set (ctest store_tests_postgres starts a "
                      "throwaway cluster and sets it)";
    }
    // The temp dir's random suffix names a schema nobody else uses.
    pg_schema = "t_" + dir.path().filename().string().substr(std::string("stepline-store-").size());
    for (auto& c : pg_schema) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  store = open();
}

void StoreTest::TearDown() {
  store.reset();
  if (!pg_schema.empty()) {
    postgres::Connection db(postgres_test_url(), "");
    db.exec("DROP SCHEMA IF EXISTS " + pg_schema + " CASCADE");
  }
}

std::unique_ptr<Store> StoreTest::open() {
  if (GetParam() == Backend::Memory) return open_memory_store();
  if (GetParam() == Backend::Postgres) {
    PostgresOptions options;
    options.url = postgres_test_url();
    options.schema = pg_schema;
    return open_postgres_store(options);
  }
  SqliteOptions options;
  options.path = (dir.path() / "stepline.db").string();
  return open_sqlite_store(options);
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  switch (info.param) {
    case Backend::Memory:
      return "Memory";
    case Backend::Sqlite:
      return "Sqlite";
    case Backend::Postgres:
      return "Postgres";
  }
  return "Unknown";
}

Resource machine(const std::string& name) {
  Resource r;
  r.kind = ResourceKind::StateMachine;
  r.arn = "arn:aws:states:us-east-1:123456789012:stateMachine:" + name;
  r.name = name;
  // Keys deliberately out of alphabetical order: the store must keep them as written.
  r.document = json::parse(R"({"type":"STANDARD","definition":"{}","name":")" + name + R"("})");
  return r;
}

NewExecution new_execution(const std::string& machine_arn, const std::string& name,
                           const std::string& input) {
  NewExecution e;
  const auto machine_name = machine_arn.substr(machine_arn.rfind(':') + 1);
  e.summary.arn = "arn:aws:states:us-east-1:123456789012:execution:" + machine_name + ":" + name;
  e.summary.state_machine_arn = machine_arn;
  e.summary.name = name;
  e.summary.start_date = TimePoint(Millis(1'700'000'000'000));
  e.input = input;
  e.first_step.frame = json::parse(R"({"z":1,"a":2})");
  e.first_step.events.push_back(event(1, "ExecutionStarted"));
  return e;
}

json::Value event(long long id, const std::string& type) {
  return json::Object{{"id", id}, {"type", type}};
}

ExecutionStep step(const std::string& arn, Version version, long long first_id, int count) {
  ExecutionStep s;
  s.execution_arn = arn;
  s.expected_version = version;
  s.frame = json::Object{{"version", version + 1}};
  for (int i = 0; i < count; ++i) s.events.push_back(event(first_id + i));
  return s;
}

std::vector<long long> event_ids(const std::vector<json::Value>& events) {
  std::vector<long long> ids;
  for (const auto& e : events) ids.push_back(e.at("id").as_int64());
  return ids;
}

}  // namespace stepline::store::testing
