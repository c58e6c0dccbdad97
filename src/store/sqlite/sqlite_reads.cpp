// Reads go to their own connection: in WAL mode they see the last durable commit and never wait
// for the writer.
#include "store/page_token.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/step_rules.hpp"

#include <limits>
#include <string>

namespace stepline::store::sqlite {

namespace {

constexpr long long kEnd = std::numeric_limits<long long>::max();

// Where a page starts: the token's position, or the first position in the walking direction.
long long page_start(const PageRequest& page, bool descending) {
  if (!page.token.empty()) return decode_page_token(page.token);
  return descending ? kEnd : 0;
}

// Runs a query that returns up to limit + 1 rows whose column `position_column` orders them;
// the extra row, if any, becomes the next token.
template <typename T, typename Read>
Page<T> collect(Statement& q, std::size_t limit, int position_column, Read read) {
  Page<T> out;
  while (q.step()) {
    if (out.items.size() == limit) {
      out.next_token = encode_page_token(q.integer(position_column));
      break;
    }
    out.items.push_back(read(q));
  }
  return out;
}

}  // namespace

std::optional<Resource> SqliteStore::get_resource(ResourceKind kind, const std::string& arn) {
  std::lock_guard lock(read_mutex_);
  auto q = read_db_->prepare(std::string("SELECT ") + kResourceColumns +
                             " FROM resources WHERE kind = ?1 AND arn = ?2");
  q.bind(1, static_cast<long long>(kind)).bind(2, arn);
  if (!q.step()) return std::nullopt;
  return resource_from_row(q);
}

Page<Resource> SqliteStore::list_resources(ResourceKind kind, const std::string& parent_arn,
                                           const PageRequest& page) {
  const long long start = page_start(page, page.reverse);
  const std::size_t limit = page_limit(page);
  std::lock_guard lock(read_mutex_);
  auto q = read_db_->prepare(
      std::string("SELECT ") + kResourceColumns +
      ", seq FROM resources WHERE kind = ?1 AND (?2 = '' OR parent_arn = ?2) AND " +
      (page.reverse ? "seq <= ?3 ORDER BY seq DESC" : "seq >= ?3 ORDER BY seq ASC") + " LIMIT ?4");
  q.bind(1, static_cast<long long>(kind)).bind(2, parent_arn).bind(3, start);
  q.bind(4, static_cast<long long>(limit + 1));
  return collect<Resource>(q, limit, 7, resource_from_row);
}

std::optional<ExecutionRecord> SqliteStore::load_execution(const std::string& arn) {
  std::lock_guard lock(read_mutex_);
  auto q = read_db_->prepare(std::string("SELECT ") + kExecutionColumns +
                             " FROM executions WHERE arn = ?1");
  q.bind(1, arn);
  if (!q.step()) return std::nullopt;
  return execution_from_row(q);
}

Page<ExecutionSummary> SqliteStore::list_executions(const ExecutionFilter& filter,
                                                    const PageRequest& page) {
  // Newest first unless reversed.
  const bool descending = !page.reverse;
  const long long start = page_start(page, descending);
  const std::size_t limit = page_limit(page);
  // Spelled so that an index serves each filter: the machine's (state_machine_arn, seq), the
  // partial index of running executions, else the table itself in seq order.
  const char* where = !filter.state_machine_arn.empty()
                          ? "state_machine_arn = ?1 AND (?2 = '' OR status = ?2)"
                      : filter.status == "RUNNING" ? "?1 = '' AND status = 'RUNNING' AND ?2 = ?2"
                                                   : "?1 = '' AND (?2 = '' OR status = ?2)";
  std::lock_guard lock(read_mutex_);
  auto q = read_db_->prepare(
      std::string("SELECT ") + kExecutionColumns + ", seq FROM executions WHERE " + where +
      " AND " + (descending ? "seq <= ?3 ORDER BY seq DESC" : "seq >= ?3 ORDER BY seq ASC") +
      " LIMIT ?4");
  q.bind(1, filter.state_machine_arn).bind(2, filter.status).bind(3, start);
  q.bind(4, static_cast<long long>(limit + 1));
  return collect<ExecutionSummary>(
      q, limit, 12, [](const Statement& row) { return execution_from_row(row).summary; });
}

Page<json::Value> SqliteStore::read_history(const std::string& execution_arn,
                                            const PageRequest& page) {
  const long long start = page_start(page, page.reverse);
  const std::size_t limit = page_limit(page);
  std::lock_guard lock(read_mutex_);
  // Chunks (one per step, events in id order) from the one holding `start` on, in the walking
  // direction; the events before `start` in that first chunk are skipped.
  auto q = read_db_->prepare(
      page.reverse
          ? "SELECT events FROM history_chunks WHERE execution_seq = "
            "(SELECT seq FROM executions WHERE arn = ?1) AND first_event_id <= ?2 "
            "ORDER BY first_event_id DESC"
          : "WITH e AS (SELECT seq FROM executions WHERE arn = ?1) "
            "SELECT events FROM history_chunks WHERE execution_seq = (SELECT seq FROM e) AND "
            "first_event_id >= (SELECT COALESCE(MAX(first_event_id), 0) FROM history_chunks "
            "WHERE execution_seq = (SELECT seq FROM e) AND first_event_id <= ?2) "
            "ORDER BY first_event_id ASC");
  q.bind(1, execution_arn).bind(2, start);
  Page<json::Value> out;
  auto take = [&](json::Value& event) {
    const long long id = event_id(event);
    if (page.reverse ? id > start : id < start) return true;
    if (out.items.size() == limit) {
      out.next_token = encode_page_token(id);
      return false;
    }
    out.items.push_back(std::move(event));
    return true;
  };
  while (q.step()) {
    json::Value chunk = json::parse(q.text(0));
    auto& events = chunk.as_array();
    bool more = true;
    if (page.reverse) {
      for (auto it = events.rbegin(); more && it != events.rend(); ++it) more = take(*it);
    } else {
      for (auto it = events.begin(); more && it != events.end(); ++it) more = take(*it);
    }
    if (!more) break;
  }
  return out;
}

std::vector<TimerRecord> SqliteStore::due_timers(TimePoint now, std::size_t limit) {
  std::lock_guard lock(read_mutex_);
  auto q = read_db_->prepare(
      "SELECT e.arn, t.id, t.due_ms, t.payload FROM timers t JOIN executions e "
      "ON e.seq = t.execution_seq WHERE t.due_ms <= ?1 ORDER BY t.due_ms, e.arn, t.id LIMIT ?2");
  q.bind(1, now.time_since_epoch().count()).bind(2, static_cast<long long>(limit));
  std::vector<TimerRecord> out;
  while (q.step()) {
    out.push_back(
        {q.text(0), q.integer(1), TimePoint(Millis(q.integer(2))), json::parse(q.text(3))});
  }
  return out;
}

std::optional<TaskRecord> SqliteStore::find_task(const std::string& token) {
  std::lock_guard lock(read_mutex_);
  auto q = read_db_->prepare(std::string("SELECT ") + kTaskColumns +
                             " FROM tasks t JOIN executions e ON e.seq = t.execution_seq "
                             "WHERE t.token = ?1");
  q.bind(1, token);
  if (!q.step()) return std::nullopt;
  return task_from_row(q);
}

std::vector<TimerRecord> SqliteStore::execution_timers(const std::string& execution_arn) {
  std::lock_guard lock(read_mutex_);
  auto q = read_db_->prepare(
      "SELECT e.arn, t.id, t.due_ms, t.payload FROM timers t JOIN executions e "
      "ON e.seq = t.execution_seq WHERE e.arn = ?1 ORDER BY t.id");
  q.bind(1, execution_arn);
  std::vector<TimerRecord> out;
  while (q.step()) {
    out.push_back(
        {q.text(0), q.integer(1), TimePoint(Millis(q.integer(2))), json::parse(q.text(3))});
  }
  return out;
}

std::vector<TaskRecord> SqliteStore::open_tasks(const std::string& execution_arn) {
  std::lock_guard lock(read_mutex_);
  auto q = read_db_->prepare(std::string("SELECT ") + kTaskColumns +
                             " FROM tasks t JOIN executions e ON e.seq = t.execution_seq "
                             "WHERE e.arn = ?1 ORDER BY t.seq");
  q.bind(1, execution_arn);
  std::vector<TaskRecord> out;
  while (q.step()) out.push_back(task_from_row(q));
  return out;
}

Counts SqliteStore::counts() {
  std::lock_guard lock(read_mutex_);
  auto count = [&](const std::string& sql) {
    auto q = read_db_->prepare(sql);
    q.step();
    return q.integer(0);
  };
  Counts c;
  c.state_machines = count("SELECT COUNT(*) FROM resources WHERE kind = " +
                           std::to_string(static_cast<int>(ResourceKind::StateMachine)));
  c.activities = count("SELECT COUNT(*) FROM resources WHERE kind = " +
                       std::to_string(static_cast<int>(ResourceKind::Activity)));
  c.open_executions = count("SELECT COUNT(*) FROM executions WHERE status = 'RUNNING'");
  return c;
}

}  // namespace stepline::store::sqlite
