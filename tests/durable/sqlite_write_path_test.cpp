// The SQLite write path: a file written with schema 1 (one history row per event) still reads
// the same after the migrations; a step prepared on the caller's thread (Store::prepare) is
// written exactly as an unprepared one; executions closed by their first step stay out of the
// running-executions index while running ones are listed by it.
#include "store/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace stepline::store {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "durable-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const char* name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

const std::string kMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:m";

std::string arn_of(const std::string& name) {
  return "arn:aws:states:us-east-1:123456789012:execution:m:" + name;
}

json::Value event(long long id) {
  return json::Object{{"id", id}, {"type", "PassStateEntered"}};
}

NewExecution execution(const std::string& name, const std::string& status, int events) {
  NewExecution e;
  e.summary.arn = arn_of(name);
  e.summary.state_machine_arn = kMachine;
  e.summary.name = name;
  e.summary.status = "RUNNING";
  e.input = "{}";
  e.first_step.execution_arn = e.summary.arn;
  e.first_step.frame = json::Object{{"state", "A"}};
  for (int i = 1; i <= events; ++i) e.first_step.events.push_back(event(i));
  if (status != "RUNNING") {
    e.first_step.status = status;
    e.first_step.stop_date = TimePoint(Millis(1000));
    e.first_step.attributes = json::Object{{"output", "{}"}};
  }
  return e;
}

std::vector<long long> ids(const std::vector<json::Value>& events) {
  std::vector<long long> out;
  for (const auto& e : events) out.push_back(e.as_object().at("id").as_int64());
  return out;
}

void run_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

TEST(SqliteWritePath, AFileOfSchemaOneReadsTheSameAfterTheMigrations) {
  TempDir dir;
  const auto path = dir.file("old.db");
  // Schema 1 as Stepline wrote it (its history: one row per event).
  run_sql(path, R"sql(
CREATE TABLE resources (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind INTEGER NOT NULL,
  arn TEXT NOT NULL, parent_arn TEXT NOT NULL, name TEXT NOT NULL, document TEXT NOT NULL,
  tags TEXT NOT NULL, version INTEGER NOT NULL, UNIQUE (kind, arn));
CREATE INDEX resources_by_parent ON resources (kind, parent_arn, seq);
CREATE TABLE executions (seq INTEGER PRIMARY KEY AUTOINCREMENT, arn TEXT NOT NULL UNIQUE,
  state_machine_arn TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
  start_ms INTEGER NOT NULL, stop_ms INTEGER, attributes TEXT NOT NULL, input TEXT NOT NULL,
  owner TEXT NOT NULL, frame TEXT NOT NULL, version INTEGER NOT NULL,
  history_length INTEGER NOT NULL);
CREATE INDEX executions_by_machine ON executions (state_machine_arn, seq);
CREATE INDEX executions_by_status ON executions (status, seq);
CREATE TABLE history (execution_seq INTEGER NOT NULL, event_id INTEGER NOT NULL,
  event TEXT NOT NULL, PRIMARY KEY (execution_seq, event_id)) WITHOUT ROWID;
CREATE TABLE timers (execution_seq INTEGER NOT NULL, id INTEGER NOT NULL,
  due_ms INTEGER NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (execution_seq, id));
CREATE INDEX timers_by_due ON timers (due_ms);
CREATE TABLE tasks (seq INTEGER PRIMARY KEY AUTOINCREMENT, token TEXT NOT NULL UNIQUE,
  execution_seq INTEGER NOT NULL, id INTEGER NOT NULL, activity_arn TEXT NOT NULL,
  claimed_by TEXT NOT NULL, payload TEXT NOT NULL);
CREATE INDEX tasks_by_queue ON tasks (activity_arn, claimed_by, seq);
CREATE INDEX tasks_by_execution ON tasks (execution_seq);
INSERT INTO executions VALUES (1, 'arn:aws:states:us-east-1:123456789012:execution:m:old',
  'arn:aws:states:us-east-1:123456789012:stateMachine:m', 'old', 'RUNNING', 0, NULL, '{}', '{}',
  '', '{"state":"B"}', 2, 3);
INSERT INTO history VALUES (1, 1, '{"id":1,"type":"ExecutionStarted"}'),
  (1, 2, '{"id":2,"type":"PassStateEntered"}'), (1, 3, '{"id":3,"type":"PassStateExited"}');
PRAGMA user_version = 1;
)sql");

  auto store = open_sqlite_store({path});
  const auto arn = arn_of("old");
  EXPECT_EQ(ids(store->read_history(arn, {}).items), (std::vector<long long>{1, 2, 3}));
  EXPECT_EQ(json::dump(store->read_history(arn, {1, "", true}).items.at(0)),
            R"({"id":3,"type":"PassStateExited"})");
  // The migrated execution steps on: its next events land after the old ones.
  ExecutionStep next;
  next.execution_arn = arn;
  next.expected_version = 2;
  next.frame = json::Object{{"state", "C"}};
  next.events = {event(4), event(5)};
  ASSERT_EQ(store->commit({"", {next}}).status, CommitStatus::Committed);
  PageRequest page{2, "", false};
  std::vector<long long> all;
  for (;;) {
    auto p = store->read_history(arn, page);
    for (auto id : ids(p.items)) all.push_back(id);
    if (p.next_token.empty()) break;
    page.token = p.next_token;
  }
  EXPECT_EQ(all, (std::vector<long long>{1, 2, 3, 4, 5}));
  auto running = store->list_executions({"", "RUNNING"}, {});
  ASSERT_EQ(running.items.size(), 1u);
  EXPECT_EQ(running.items[0].arn, arn);
}

TEST(SqliteWritePath, APreparedStepIsWrittenAsAnUnpreparedOne) {
  TempDir dir;
  auto store = open_sqlite_store({dir.file("s.db")});
  auto plain = execution("plain", "RUNNING", 3);
  auto prepared = execution("prepared", "RUNNING", 3);
  store->prepare(prepared.first_step);
  ASSERT_TRUE(prepared.first_step.prepared);
  EXPECT_TRUE(prepared.first_step.events.empty());  // released on the caller's thread
  WriteBatch batch;
  batch.creates = {plain, prepared};
  auto result = store->write_batch(batch);
  ASSERT_EQ(result.creates.size(), 2u);
  EXPECT_EQ(result.creates[1].status, CreateStatus::Created);

  ExecutionStep next;
  next.execution_arn = arn_of("prepared");
  next.expected_version = 1;
  next.frame = json::Object{{"state", "Z"}};
  next.events = {event(4)};
  next.status = "SUCCEEDED";
  next.stop_date = TimePoint(Millis(2000));
  next.attributes = json::Object{{"output", "1"}};
  store->prepare(next);
  WriteBatch second;
  second.commits = {{"", {next}}};
  ASSERT_EQ(store->write_batch(second).commits.at(0).status, CommitStatus::Committed);

  const auto a = store->load_execution(arn_of("plain"));
  const auto b = store->load_execution(arn_of("prepared"));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(json::dump(a->frame), R"({"state":"A"})");
  EXPECT_EQ(json::dump(b->frame), R"({"state":"Z"})");
  EXPECT_EQ(b->history_length, 4);
  EXPECT_EQ(b->version, 2);
  EXPECT_EQ(b->summary.status, "SUCCEEDED");
  EXPECT_EQ(json::dump(b->summary.attributes), R"({"output":"1"})");
  EXPECT_EQ(ids(store->read_history(arn_of("prepared"), {}).items),
            (std::vector<long long>{1, 2, 3, 4}));
  EXPECT_EQ(ids(store->read_history(arn_of("plain"), {}).items), (std::vector<long long>{1, 2, 3}));
}

TEST(SqliteWritePath, OnlyRunningExecutionsAreListedAsRunning) {
  TempDir dir;
  const auto path = dir.file("r.db");
  {
    auto store = open_sqlite_store({path});
    WriteBatch batch;
    batch.creates = {execution("done", "SUCCEEDED", 2), execution("open", "RUNNING", 1),
                     execution("failed", "FAILED", 2)};
    auto result = store->write_batch(batch);
    for (const auto& c : result.creates) EXPECT_EQ(c.status, CreateStatus::Created);
    // The same name again: refused as AWS refuses a closed execution's name.
    EXPECT_EQ(store->create_execution(execution("done", "SUCCEEDED", 2)).status,
              CreateStatus::AlreadyExists);
    EXPECT_EQ(store->create_execution(execution("open", "RUNNING", 1)).status,
              CreateStatus::AlreadyRunning);
  }
  auto store = open_sqlite_store({path});  // as after a restart
  auto running = store->list_executions({"", "RUNNING"}, {});
  ASSERT_EQ(running.items.size(), 1u);
  EXPECT_EQ(running.items[0].name, "open");
  EXPECT_EQ(store->list_executions({"", "SUCCEEDED"}, {}).items.size(), 1u);
  auto by_machine = store->list_executions({kMachine, ""}, {2, "", false});
  ASSERT_EQ(by_machine.items.size(), 2u);
  EXPECT_EQ(by_machine.items[0].name, "failed");  // newest first
  auto rest = store->list_executions({kMachine, ""}, {2, by_machine.next_token, false});
  ASSERT_EQ(rest.items.size(), 1u);
  EXPECT_EQ(rest.items[0].name, "done");
  EXPECT_EQ(store->counts().open_executions, 1);
}

}  // namespace
}  // namespace stepline::store
