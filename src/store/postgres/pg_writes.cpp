// Every change goes through the group-commit writer and returns once the transaction holding it
// is committed. Creates and commits of executions are written set-wise with the others of their
// batch (pg_execution_writes.hpp); resource writes run each in a savepoint of its own.
#include "store/postgres/pg_execution_writes.hpp"
#include "store/postgres/pg_schema.hpp"
#include "store/postgres/pg_store.hpp"

#include <string>

namespace stepline::store::postgres {

PostgresStore::PostgresStore(const PostgresOptions& options)
    : pool_(options.url, options.schema, options.pool_size) {
  {
    auto db = pool_.acquire();
    migrate(*db, options.schema, "store", store_migrations());
  }
  writer_ = std::make_unique<GroupWriter>([this] { return pool_.open_dedicated(); },
                                          options.group_max_commits, options.group_window_micros);
}

WriteResult PostgresStore::write_resources(const std::vector<ResourceWrite>& writes) {
  WriteResult result;
  writer_->run([&](Connection& db) {
    result = {};
    for (std::size_t i = 0; i < writes.size(); ++i) {
      const auto& w = writes[i];
      const auto kind = static_cast<long long>(w.resource.kind);
      const auto current =
          db.query("SELECT version FROM resources WHERE kind = $1 AND arn = $2 FOR UPDATE",
                   Params().add(kind).add(w.resource.arn));
      if ((current.empty() ? 0 : current.integer(0, 0)) != w.expected_version) {
        result = {false, i, std::nullopt};
        return false;
      }
      if (w.erase) {
        db.query("DELETE FROM resources WHERE kind = $1 AND arn = $2",
                 Params().add(kind).add(w.resource.arn));
        continue;
      }
      Params values;
      values.add(kind)
          .add(w.resource.arn)
          .add(w.resource.parent_arn)
          .add(w.resource.name)
          .add(json::dump(w.resource.document))
          .add(json::dump(w.resource.tags));
      if (current.empty()) {
        // Created meanwhile by another node: the same refusal as a version mismatch.
        const auto inserted = db.query(
            "INSERT INTO resources (kind, arn, parent_arn, name, document, tags, version) "
            "VALUES ($1, $2, $3, $4, $5, $6, 1) ON CONFLICT (kind, arn) DO NOTHING",
            values);
        if (inserted.affected() == 0) {
          result = {false, i, std::nullopt};
          return false;
        }
      } else {
        db.query(
            "UPDATE resources SET parent_arn = $3, name = $4, document = $5, tags = $6, "
            "version = version + 1 WHERE kind = $1 AND arn = $2",
            values);
      }
    }
    return true;
  });
  if (!result.ok) {
    // Report what a reader sees now that the refused batch is rolled back.
    const auto& w = writes[result.failed_index];
    result.current = get_resource(w.resource.kind, w.resource.arn);
  }
  return result;
}

CreateResult PostgresStore::create_execution(const NewExecution& execution) {
  ExecutionWrites writes;
  writes.creates = {&execution};
  writer_->run(writes);
  return std::move(writes.result.creates.front());
}

CommitResult PostgresStore::commit(const Commit& commit) {
  ExecutionWrites writes;
  writes.commits = {&commit};
  writer_->run(writes);
  return writes.result.commits.front();
}

BatchResult PostgresStore::write_batch(const WriteBatch& batch) {
  ExecutionWrites writes;
  writes.creates.reserve(batch.creates.size());
  for (const auto& create : batch.creates) writes.creates.push_back(&create);
  writes.commits.reserve(batch.commits.size());
  for (const auto& commit : batch.commits) writes.commits.push_back(&commit);
  writer_->run_now(writes);  // a batch already: no group window
  return std::move(writes.result);
}

std::optional<TaskRecord> PostgresStore::claim_activity_task(const std::string& activity_arn,
                                                             const std::string& worker) {
  // One statement, committed on its own; SKIP LOCKED lets pollers on other nodes take the next
  // task instead of waiting for this one.
  auto db = pool_.acquire();
  const auto rows = db->query(
      "WITH next AS (SELECT seq FROM tasks WHERE activity_arn = $1 AND claimed_by = '' "
      "ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED) "
      "UPDATE tasks t SET claimed_by = $2 FROM next, executions e "
      "WHERE t.seq = next.seq AND e.seq = t.execution_seq RETURNING " +
          std::string(kTaskColumns),
      Params().add(activity_arn).add(worker));
  if (rows.empty()) return std::nullopt;
  return task_from_row(rows, 0);
}

}  // namespace stepline::store::postgres

namespace stepline::store {

std::unique_ptr<Store> open_postgres_store(const PostgresOptions& options) {
  return std::make_unique<postgres::PostgresStore>(options);
}

}  // namespace stepline::store
