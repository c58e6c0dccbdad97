#include "store/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <charconv>

namespace stepline::store::postgres {

namespace {

// Beyond this many distinct statements a connection stops preparing new ones (statements whose
// text varies with a row count would otherwise pile up on the server).
constexpr std::size_t kMaxPrepared = 512;

std::vector<const char*> raw_values(const Params& params) {
  std::vector<const char*> raw;
  raw.reserve(params.size());
  for (const auto& v : params.values()) raw.push_back(v ? v->c_str() : nullptr);
  return raw;
}

bool succeeded(const pg_result* result) {
  const auto status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

void append_quoted(std::string& out, std::string_view value) {
  out.push_back('"');
  // Runs without a quote or backslash are copied whole (JSON documents are mostly such runs).
  for (;;) {
    const auto special = value.find_first_of("\"\\");
    out.append(value.substr(0, special));
    if (special == std::string_view::npos) break;
    out.push_back('\\');
    out.push_back(value[special]);
    value.remove_prefix(special + 1);
  }
  out.push_back('"');
}

}  // namespace

std::string text_array(const std::vector<std::string>& values) {
  std::size_t size = 2;
  for (const auto& v : values) size += v.size() + 3;
  std::string out;
  out.reserve(size + size / 8);  // room for some escapes
  out.push_back('{');
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_quoted(out, values[i]);
  }
  out.push_back('}');
  return out;
}

std::string integer_array(const std::vector<long long>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += std::to_string(values[i]);
  }
  out.push_back('}');
  return out;
}

std::string nullable_text_array(const std::vector<std::optional<std::string>>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    if (values[i]) {
      append_quoted(out, *values[i]);
    } else {
      out += "NULL";
    }
  }
  out.push_back('}');
  return out;
}

std::string nullable_integer_array(const std::vector<std::optional<long long>>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(',');
    if (values[i]) {
      out += std::to_string(*values[i]);
    } else {
      out.append("NULL");
    }
  }
  out.push_back('}');
  return out;
}

Result::~Result() {
  if (result_ != nullptr) PQclear(result_);
}

int Result::rows() const {
  return PQntuples(result_);
}

std::string Result::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

long long Result::integer(int row, int column) const {
  const char* value = PQgetvalue(result_, row, column);
  const auto length = static_cast<std::size_t>(PQgetlength(result_, row, column));
  long long out = 0;
  auto [end, ec] = std::from_chars(value, value + length, out);
  if (ec != std::errc() || end != value + length) {
    throw StoreError("postgres: column " + std::to_string(column) + " is not an integer: '" +
                     std::string(value, length) + "'");
  }
  return out;
}

bool Result::is_null(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

long long Result::affected() const {
  const char* count = PQcmdTuples(result_);
  return count == nullptr || *count == '\0' ? 0 : std::stoll(count);
}

Connection::Connection(const std::string& url, const std::string& schema) {
  const std::string options = schema.empty() ? "" : "-c search_path=" + schema;
  const char* keys[] = {"dbname", "options", "application_name", nullptr};
  const char* values[] = {url.c_str(), options.c_str(), "stepline", nullptr};
  conn_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn_ == nullptr) throw PgError("postgres: out of memory", "");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw PgError("postgres: cannot connect: " + message, "");
  }
}

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

PgError Connection::error(std::string_view what, pg_result* result) const {
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn_);
  if (message.empty()) message = PQerrorMessage(conn_);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  return PgError("postgres: " + std::string(what.substr(0, 120)) + ": " + message,
                 state ? state : "");
}

const std::string& Connection::prepared_name(const std::string& sql, const Params& params) {
  static const std::string kUnprepared;
  // Statements without parameters (BEGIN, SAVEPOINT, ROLLBACK TO ...) gain nothing from a
  // prepared plan, and they may follow a failed statement: in an aborted transaction the server
  // refuses to prepare anything but a transaction exit.
  if (params.size() == 0) return kUnprepared;
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  if (prepared_.size() >= kMaxPrepared) return kUnprepared;
  std::string name = std::to_string(prepared_.size());
  name.insert(name.begin(), 's');
  pg_result* prepared =
      PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(params.size()), nullptr);
  if (!succeeded(prepared)) {
    // E.g. queued behind a ROLLBACK TO SAVEPOINT while the transaction is still aborted: sent
    // unprepared this time (a statement that is wrong fails when it runs, with its own error).
    PQclear(prepared);
    if (PQstatus(conn_) != CONNECTION_OK) throw error(sql, nullptr);
    return kUnprepared;
  }
  PQclear(prepared);
  return prepared_.emplace(sql, std::move(name)).first->second;
}

Result Connection::query(const std::string& sql, const Params& params) {
  if (!pipeline_.empty()) {
    // Deferred statements go first, in the same round trip.
    send(sql, params);
    auto results = finish();
    return std::move(results.back());
  }
  const std::string& name = prepared_name(sql, params);
  const auto raw = raw_values(params);
  const int count = static_cast<int>(params.size());
  pg_result* result =
      name.empty()
          ? PQexecParams(conn_, sql.c_str(), count, nullptr, raw.data(), nullptr, nullptr, 0)
          : PQexecPrepared(conn_, name.c_str(), count, raw.data(), nullptr, nullptr, 0);
  if (!succeeded(result)) {
    auto failure = error(sql, result);
    PQclear(result);
    throw failure;
  }
  return Result(result);
}

void Connection::exec(const std::string& sql) {
  if (!pipeline_.empty()) {
    send(sql);
    finish();
    return;
  }
  pg_result* result = PQexec(conn_, sql.c_str());
  if (!succeeded(result)) {
    auto failure = error(sql, result);
    PQclear(result);
    throw failure;
  }
  PQclear(result);
}

void Connection::send(const std::string& sql, const Params& params) {
  pipeline_.push_back({sql, params});
}

std::vector<Result> Connection::finish() {
  std::vector<Pending> queued;
  queued.swap(pipeline_);
  std::vector<Result> results;
  if (queued.empty()) return results;
  // Statements are prepared before the pipeline starts (PQprepare waits for its answer).
  std::vector<std::string> names;
  names.reserve(queued.size());
  for (const auto& p : queued) names.push_back(prepared_name(p.sql, p.params));

  if (PQenterPipelineMode(conn_) != 1) throw error("pipeline", nullptr);
  std::optional<PgError> failure;
  for (std::size_t i = 0; i < queued.size(); ++i) {
    const auto raw = raw_values(queued[i].params);
    const int count = static_cast<int>(queued[i].params.size());
    const int sent = names[i].empty() ? PQsendQueryParams(conn_, queued[i].sql.c_str(), count,
                                                          nullptr, raw.data(), nullptr, nullptr, 0)
                                      : PQsendQueryPrepared(conn_, names[i].c_str(), count,
                                                            raw.data(), nullptr, nullptr, 0);
    if (sent != 1) {
      failure = error(queued[i].sql, nullptr);
      break;
    }
  }
  if (PQpipelineSync(conn_) != 1 && !failure) failure = error("pipeline sync", nullptr);

  // Every statement answers with its result then a null; the sync closes the pipeline.
  std::size_t index = 0;
  for (;;) {
    pg_result* result = PQgetResult(conn_);
    if (result == nullptr) {
      if (PQstatus(conn_) != CONNECTION_OK) {
        if (!failure) failure = error("pipeline", nullptr);
        break;
      }
      continue;  // the end of one statement's results
    }
    const auto status = PQresultStatus(result);
    if (status == PGRES_PIPELINE_SYNC) {
      PQclear(result);
      break;
    }
    if (status == PGRES_PIPELINE_ABORTED) {
      PQclear(result);
    } else if (!succeeded(result)) {
      if (!failure) failure = error(index < queued.size() ? queued[index].sql : "pipeline", result);
      PQclear(result);
    } else {
      results.emplace_back(result);
    }
    ++index;
  }
  PQexitPipelineMode(conn_);
  if (failure) throw *failure;
  return results;
}

bool Connection::healthy() const {
  return PQstatus(conn_) == CONNECTION_OK;
}

void Connection::reset() {
  pipeline_.clear();
  prepared_.clear();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) throw error("reconnect", nullptr);
}

}  // namespace stepline::store::postgres
