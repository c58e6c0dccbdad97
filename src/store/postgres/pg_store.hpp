// The PostgreSQL Store: reads on a connection pool, every change through the group-commit
// writer's own connection. Exposed (not only internal) so that code extending the store for a
// cluster (pg_lease*.cpp) can reach its pool and run its own migrations.
#pragma once

#include "store/postgres/pg_group_writer.hpp"
#include "store/postgres/pg_pool.hpp"
#include "store/postgres/postgres_store.hpp"

#include <memory>

namespace stepline::store::postgres {

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(const PostgresOptions& options);

  // pg_writes.cpp
  WriteResult write_resources(const std::vector<ResourceWrite>& writes) override;
  CreateResult create_execution(const NewExecution& execution) override;
  CommitResult commit(const Commit& commit) override;
  BatchResult write_batch(const WriteBatch& batch) override;
  std::optional<TaskRecord> claim_activity_task(const std::string& activity_arn,
                                                const std::string& worker) override;

  // pg_reads.cpp
  std::optional<Resource> get_resource(ResourceKind kind, const std::string& arn) override;
  Page<Resource> list_resources(ResourceKind kind, const std::string& parent_arn,
                                const PageRequest& page) override;
  std::optional<ExecutionRecord> load_execution(const std::string& arn) override;
  Page<ExecutionSummary> list_executions(const ExecutionFilter& filter,
                                         const PageRequest& page) override;
  Page<json::Value> read_history(const std::string& execution_arn,
                                 const PageRequest& page) override;
  std::vector<TimerRecord> due_timers(TimePoint now, std::size_t limit) override;
  std::optional<TaskRecord> find_task(const std::string& token) override;
  std::vector<TimerRecord> execution_timers(const std::string& execution_arn) override;
  std::vector<TaskRecord> open_tasks(const std::string& execution_arn) override;
  Counts counts() override;

  ConnectionPool& pool() { return pool_; }
  // Runs `write` in the next group-commit transaction (see GroupWriter::run).
  void write(const GroupWriter::Write& write) { writer_->run(write); }

 private:
  ConnectionPool pool_;
  std::unique_ptr<GroupWriter> writer_;
};

// Row readers shared by reads and writes. Column order: see the SELECT lists in pg_rows.cpp.
extern const char* const kResourceColumns;
Resource resource_from_row(const Result& rows, int row);
extern const char* const kExecutionColumns;
ExecutionRecord execution_from_row(const Result& rows, int row);
extern const char* const kTaskColumns;  // needs "tasks t JOIN executions e"
TaskRecord task_from_row(const Result& rows, int row);
TimerRecord timer_from_row(const Result& rows, int row);  // e.arn, t.id, t.due_ms, t.payload

}  // namespace stepline::store::postgres
