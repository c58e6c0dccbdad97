#include "store/sqlite/schema.hpp"

#include <string>
#include <vector>

namespace stepline::store::sqlite {

namespace {

// Append only: migration N takes the schema from version N to N + 1. JSON documents are TEXT so
// key order and number spelling survive; times are epoch milliseconds.
const std::vector<std::string>& migrations() {
  static const std::vector<std::string> kMigrations = {
      R"sql(
CREATE TABLE resources (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind INTEGER NOT NULL,
  arn TEXT NOT NULL,
  parent_arn TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  tags TEXT NOT NULL,
  version INTEGER NOT NULL,
  UNIQUE (kind, arn)
);
CREATE INDEX resources_by_parent ON resources (kind, parent_arn, seq);

CREATE TABLE executions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  arn TEXT NOT NULL UNIQUE,
  state_machine_arn TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  stop_ms INTEGER,
  attributes TEXT NOT NULL,
  input TEXT NOT NULL,
  owner TEXT NOT NULL,
  frame TEXT NOT NULL,
  version INTEGER NOT NULL,
  history_length INTEGER NOT NULL
);
CREATE INDEX executions_by_machine ON executions (state_machine_arn, seq);
CREATE INDEX executions_by_status ON executions (status, seq);

CREATE TABLE history (
  execution_seq INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (execution_seq, event_id)
) WITHOUT ROWID;

CREATE TABLE timers (
  execution_seq INTEGER NOT NULL,
  id INTEGER NOT NULL,
  due_ms INTEGER NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (execution_seq, id)
);
CREATE INDEX timers_by_due ON timers (due_ms);

CREATE TABLE tasks (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  token TEXT NOT NULL UNIQUE,
  execution_seq INTEGER NOT NULL,
  id INTEGER NOT NULL,
  activity_arn TEXT NOT NULL,
  claimed_by TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX tasks_by_queue ON tasks (activity_arn, claimed_by, seq);
CREATE INDEX tasks_by_execution ON tasks (execution_seq);
)sql",
      // History in chunks: one row per committed step holding that step's events as one JSON
      // array (ids first_event_id..last_event_id), instead of one row per event. A rowid table:
      // chunks are kilobytes, too big for the cells of a WITHOUT ROWID b-tree.
      R"sql(
CREATE TABLE history_chunks (
  execution_seq INTEGER NOT NULL,
  first_event_id INTEGER NOT NULL,
  last_event_id INTEGER NOT NULL,
  events TEXT NOT NULL,
  UNIQUE (execution_seq, first_event_id)
);
INSERT INTO history_chunks (execution_seq, first_event_id, last_event_id, events)
  SELECT execution_seq, event_id, event_id, '[' || event || ']' FROM history
  ORDER BY execution_seq, event_id;
DROP TABLE history;
)sql",
      // Only running executions are ever looked up by status (recovery, cluster takeover): a
      // partial index holds just those, so an execution that closes in its first step never
      // enters it and one that closes later leaves it.
      R"sql(
DROP INDEX executions_by_status;
CREATE INDEX executions_running ON executions (seq) WHERE status = 'RUNNING';
)sql",
  };
  return kMigrations;
}

}  // namespace

void migrate(Connection& db) {
  db.exec("BEGIN IMMEDIATE");
  try {
    const long long current = [&] {
      auto query = db.prepare("PRAGMA user_version");
      query.step();
      return query.integer(0);
    }();
    const auto& steps = migrations();
    if (current > static_cast<long long>(steps.size())) {
      throw StoreError("the database has schema version " + std::to_string(current) +
                       "; this build knows up to " + std::to_string(steps.size()));
    }
    for (auto v = static_cast<std::size_t>(current); v < steps.size(); ++v) {
      db.exec(steps[v]);
      db.exec("PRAGMA user_version = " + std::to_string(v + 1));
    }
    db.exec("COMMIT");
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
}

}  // namespace stepline::store::sqlite
