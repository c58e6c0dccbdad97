// Reads take a pooled connection each and see what was committed (READ COMMITTED).
#include "store/page_token.hpp"
#include "store/postgres/pg_store.hpp"

#include <limits>
#include <string>

namespace stepline::store::postgres {

namespace {

constexpr long long kEnd = std::numeric_limits<long long>::max();

long long page_start(const PageRequest& page, bool descending) {
  if (!page.token.empty()) return decode_page_token(page.token);
  return descending ? kEnd : 0;
}

// Rows of a query that asked for limit + 1 rows ordered by column `position_column`; the extra
// row, if any, becomes the next token.
template <typename T, typename Read>
Page<T> collect(const Result& rows, std::size_t limit, int position_column, Read read) {
  Page<T> out;
  for (int row = 0; row < rows.rows(); ++row) {
    if (out.items.size() == limit) {
      out.next_token = encode_page_token(rows.integer(row, position_column));
      break;
    }
    out.items.push_back(read(rows, row));
  }
  return out;
}

}  // namespace

std::optional<Resource> PostgresStore::get_resource(ResourceKind kind, const std::string& arn) {
  auto db = pool_.acquire();
  const auto rows = db->query(
      std::string("SELECT ") + kResourceColumns + " FROM resources WHERE kind = $1 AND arn = $2",
      Params().add(static_cast<long long>(kind)).add(arn));
  if (rows.empty()) return std::nullopt;
  return resource_from_row(rows, 0);
}

Page<Resource> PostgresStore::list_resources(ResourceKind kind, const std::string& parent_arn,
                                             const PageRequest& page) {
  const long long start = page_start(page, page.reverse);
  const std::size_t limit = page_limit(page);
  auto db = pool_.acquire();
  const auto rows =
      db->query(std::string("SELECT ") + kResourceColumns +
                    ", seq FROM resources WHERE kind = $1 AND ($2 = '' OR parent_arn = $2) AND " +
                    (page.reverse ? "seq <= $3 ORDER BY seq DESC" : "seq >= $3 ORDER BY seq ASC") +
                    " LIMIT $4",
                Params()
                    .add(static_cast<long long>(kind))
                    .add(parent_arn)
                    .add(start)
                    .add(static_cast<long long>(limit + 1)));
  return collect<Resource>(rows, limit, 7, resource_from_row);
}

std::optional<ExecutionRecord> PostgresStore::load_execution(const std::string& arn) {
  auto db = pool_.acquire();
  const auto rows =
      db->query(std::string("SELECT ") + kExecutionColumns + " FROM executions WHERE arn = $1",
                Params().add(arn));
  if (rows.empty()) return std::nullopt;
  return execution_from_row(rows, 0);
}

Page<ExecutionSummary> PostgresStore::list_executions(const ExecutionFilter& filter,
                                                      const PageRequest& page) {
  const bool descending = !page.reverse;  // newest first unless reversed
  const long long start = page_start(page, descending);
  const std::size_t limit = page_limit(page);
  auto db = pool_.acquire();
  const auto rows = db->query(
      std::string("SELECT ") + kExecutionColumns +
          ", seq FROM executions WHERE ($1 = '' OR state_machine_arn = $1) AND "
          "($2 = '' OR status = $2) AND " +
          (descending ? "seq <= $3 ORDER BY seq DESC" : "seq >= $3 ORDER BY seq ASC") + " LIMIT $4",
      Params()
          .add(filter.state_machine_arn)
          .add(filter.status)
          .add(start)
          .add(static_cast<long long>(limit + 1)));
  return collect<ExecutionSummary>(
      rows, limit, 12, [](const Result& r, int row) { return execution_from_row(r, row).summary; });
}

Page<json::Value> PostgresStore::read_history(const std::string& execution_arn,
                                              const PageRequest& page) {
  const long long start = page_start(page, page.reverse);
  const std::size_t limit = page_limit(page);
  auto db = pool_.acquire();
  const auto rows =
      db->query(std::string("SELECT event, event_id FROM history WHERE execution_seq = "
                            "(SELECT seq FROM executions WHERE arn = $1) AND ") +
                    (page.reverse ? "event_id <= $2 ORDER BY event_id DESC"
                                  : "event_id >= $2 ORDER BY event_id ASC") +
                    " LIMIT $3",
                Params().add(execution_arn).add(start).add(static_cast<long long>(limit + 1)));
  return collect<json::Value>(rows, limit, 1,
                              [](const Result& r, int row) { return json::parse(r.text(row, 0)); });
}

std::vector<TimerRecord> PostgresStore::due_timers(TimePoint now, std::size_t limit) {
  auto db = pool_.acquire();
  const auto rows = db->query(
      "SELECT e.arn, t.id, t.due_ms, t.payload FROM timers t JOIN executions e "
      "ON e.seq = t.execution_seq WHERE t.due_ms <= $1 ORDER BY t.due_ms, e.arn, t.id LIMIT $2",
      Params().add(now.time_since_epoch().count()).add(static_cast<long long>(limit)));
  std::vector<TimerRecord> out;
  for (int row = 0; row < rows.rows(); ++row) out.push_back(timer_from_row(rows, row));
  return out;
}

std::optional<TaskRecord> PostgresStore::find_task(const std::string& token) {
  auto db = pool_.acquire();
  const auto rows = db->query(std::string("SELECT ") + kTaskColumns +
                                  " FROM tasks t JOIN executions e ON e.seq = t.execution_seq "
                                  "WHERE t.token = $1",
                              Params().add(token));
  if (rows.empty()) return std::nullopt;
  return task_from_row(rows, 0);
}

std::vector<TimerRecord> PostgresStore::execution_timers(const std::string& execution_arn) {
  auto db = pool_.acquire();
  const auto rows = db->query(
      "SELECT e.arn, t.id, t.due_ms, t.payload FROM timers t JOIN executions e "
      "ON e.seq = t.execution_seq WHERE e.arn = $1 ORDER BY t.id",
      Params().add(execution_arn));
  std::vector<TimerRecord> out;
  for (int row = 0; row < rows.rows(); ++row) out.push_back(timer_from_row(rows, row));
  return out;
}

std::vector<TaskRecord> PostgresStore::open_tasks(const std::string& execution_arn) {
  auto db = pool_.acquire();
  const auto rows = db->query(std::string("SELECT ") + kTaskColumns +
                                  " FROM tasks t JOIN executions e ON e.seq = t.execution_seq "
                                  "WHERE e.arn = $1 ORDER BY t.seq",
                              Params().add(execution_arn));
  std::vector<TaskRecord> out;
  for (int row = 0; row < rows.rows(); ++row) out.push_back(task_from_row(rows, row));
  return out;
}

Counts PostgresStore::counts() {
  auto db = pool_.acquire();
  const auto rows = db->query(
      "SELECT (SELECT COUNT(*) FROM resources WHERE kind = $1), "
      "(SELECT COUNT(*) FROM resources WHERE kind = $2), "
      "(SELECT COUNT(*) FROM executions WHERE status = 'RUNNING')",
      Params()
          .add(static_cast<long long>(ResourceKind::StateMachine))
          .add(static_cast<long long>(ResourceKind::Activity)));
  return {rows.integer(0, 0), rows.integer(0, 1), rows.integer(0, 2)};
}

}  // namespace stepline::store::postgres
