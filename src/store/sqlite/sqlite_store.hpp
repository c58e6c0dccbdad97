// The SQLite Store: one write connection owned by the group-commit writer, one read connection
// (WAL lets it read while the writer writes). Internal to src/store/sqlite.
#pragma once

#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/group_writer.hpp"
#include "store/store.hpp"

#include <memory>
#include <mutex>

namespace stepline::store::sqlite {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const SqliteOptions& options);

  // sqlite_writes.cpp
  WriteResult write_resources(const std::vector<ResourceWrite>& writes) override;
  CreateResult create_execution(const NewExecution& execution) override;
  CommitResult commit(const Commit& commit) override;
  BatchResult write_batch(const WriteBatch& batch) override;
  void prepare(ExecutionStep& step) override;
  std::optional<TaskRecord> claim_activity_task(const std::string& activity_arn,
                                                const std::string& worker) override;

  // sqlite_reads.cpp
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

 private:
  std::unique_ptr<Connection> write_db_;
  std::unique_ptr<Connection> read_db_;
  std::mutex read_mutex_;
  std::unique_ptr<Checkpointer> checkpointer_;  // after the connections: closes before them
  std::unique_ptr<GroupWriter> writer_;         // last: stops before the connections close
};

// Row readers shared by reads and writes. Column order: see the SELECT lists in rows.cpp.
extern const char* const kResourceColumns;
Resource resource_from_row(const Statement& row);
extern const char* const kExecutionColumns;
ExecutionRecord execution_from_row(const Statement& row);
extern const char* const kTaskColumns;  // needs "tasks t JOIN executions e"
TaskRecord task_from_row(const Statement& row);

}  // namespace stepline::store::sqlite
