// The fixture every Store test runs on: one fresh store per test, for each backend. A test file
// declares `class XStoreTest : public StoreTest {};` and `STEPLINE_STORE_BACKENDS(XStoreTest)`.
#pragma once

#include "store/store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

namespace stepline::store::testing {

// Postgres runs when STEPLINE_TEST_PG_URL names a database (each test in a schema of its own);
// without it the Postgres cases are skipped with a message.
enum class Backend { Memory, Sqlite, Postgres };

// A directory removed when the test ends.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  // Subclasses that extend SetUp return when IsSkipped() after calling it.
  void SetUp() override;
  void TearDown() override;
  // Opens the backend's store (for SQLite: the same data file each time, for PostgreSQL the
  // same schema, as after a restart).
  std::unique_ptr<Store> open();

  TempDir dir;
  std::string pg_schema;  // Postgres: this test's schema, dropped at the end
  std::unique_ptr<Store> store;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info);
// STEPLINE_TEST_PG_URL, or empty.
std::string postgres_test_url();

// ---- builders for the records the tests write ----

Resource machine(const std::string& name);
NewExecution new_execution(const std::string& machine_arn, const std::string& name,
                           const std::string& input = "{}");
// A history event {"id": id, "type": type}.
json::Value event(long long id, const std::string& type = "PassStateEntered");
// A step at `version` appending events first_id .. first_id + count - 1.
ExecutionStep step(const std::string& arn, Version version, long long first_id, int count = 1);
std::vector<long long> event_ids(const std::vector<json::Value>& events);

}  // namespace stepline::store::testing

#define STEPLINE_STORE_BACKENDS(Fixture)                                                     \
  INSTANTIATE_TEST_SUITE_P(Backends, Fixture,                                                \
                           ::testing::Values(::stepline::store::testing::Backend::Memory,    \
                                             ::stepline::store::testing::Backend::Sqlite,    \
                                             ::stepline::store::testing::Backend::Postgres), \
                           ::stepline::store::testing::backend_name)
