#include "store/postgres/pg_schema.hpp"

namespace stepline::store::postgres {

namespace {
// Serializes migrations of every Stepline node on one database (any constant of ours).
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7305391042)";
}  // namespace

const std::vector<std::string>& store_migrations() {
  // Append only. JSON documents are TEXT so key order and number spelling survive; times are
  // epoch milliseconds.
  static const std::vector<std::string> kMigrations = {
      R"sql(
CREATE TABLE resources (
  seq BIGSERIAL PRIMARY KEY,
  kind INTEGER NOT NULL,
  arn TEXT NOT NULL,
  parent_arn TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  tags TEXT NOT NULL,
  version BIGINT NOT NULL,
  UNIQUE (kind, arn)
);
CREATE INDEX resources_by_parent ON resources (kind, parent_arn, seq);

CREATE TABLE executions (
  seq BIGSERIAL PRIMARY KEY,
  arn TEXT NOT NULL UNIQUE,
  state_machine_arn TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  start_ms BIGINT NOT NULL,
  stop_ms BIGINT,
  attributes TEXT NOT NULL,
  input TEXT NOT NULL,
  owner TEXT NOT NULL,
  frame TEXT NOT NULL,
  version BIGINT NOT NULL,
  history_length BIGINT NOT NULL
);
CREATE INDEX executions_by_machine ON executions (state_machine_arn, seq);
CREATE INDEX executions_by_status ON executions (status, seq);

CREATE TABLE history (
  execution_seq BIGINT NOT NULL,
  event_id BIGINT NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (execution_seq, event_id)
);

CREATE TABLE timers (
  execution_seq BIGINT NOT NULL,
  id BIGINT NOT NULL,
  due_ms BIGINT NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (execution_seq, id)
);
CREATE INDEX timers_by_due ON timers (due_ms);

CREATE TABLE tasks (
  seq BIGSERIAL PRIMARY KEY,
  token TEXT NOT NULL UNIQUE,
  execution_seq BIGINT NOT NULL,
  id BIGINT NOT NULL,
  activity_arn TEXT NOT NULL,
  claimed_by TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX tasks_by_queue ON tasks (activity_arn, claimed_by, seq);
CREATE INDEX tasks_by_execution ON tasks (execution_seq);
)sql",
  };
  return kMigrations;
}

void migrate(Connection& db, const std::string& schema, const std::string& component,
             const std::vector<std::string>& migrations) {
  for (char c : schema) {
    const bool plain =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!plain) throw StoreError("postgres: schema name '" + schema + "' is not a plain name");
  }
  db.exec("BEGIN");
  try {
    db.exec(kMigrationLock);
    if (!schema.empty()) db.exec("CREATE SCHEMA IF NOT EXISTS " + schema);
    db.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY, "
        "version INTEGER NOT NULL)");
    const auto found = db.query("SELECT version FROM schema_version WHERE component = $1",
                                Params().add(component));
    const long long current = found.empty() ? 0 : found.integer(0, 0);
    if (current > static_cast<long long>(migrations.size())) {
      throw StoreError("the database has " + component + " schema version " +
                       std::to_string(current) + "; this build knows up to " +
                       std::to_string(migrations.size()));
    }
    for (auto v = static_cast<std::size_t>(current); v < migrations.size(); ++v) {
      db.exec(migrations[v]);
    }
    if (current < static_cast<long long>(migrations.size())) {
      db.query(
          "INSERT INTO schema_version (component, version) VALUES ($1, $2) "
          "ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version",
          Params().add(component).add(static_cast<long long>(migrations.size())));
    }
    db.exec("COMMIT");
  } catch (...) {
    try {
      db.exec("ROLLBACK");
    } catch (...) {  // the connection is gone; the server rolled back
    }
    throw;
  }
}

}  // namespace stepline::store::postgres
