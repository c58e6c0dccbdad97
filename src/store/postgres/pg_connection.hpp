// A thin RAII layer over libpq: one connection with statements prepared once by SQL text, text
// parameters, results read by row and column, failures turned into PgError (a StoreError that
// keeps the SQLSTATE). Shared by the PostgreSQL store and the cluster code built on it.
#pragma once

#include "store/records.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace stepline::store::postgres {

// A failed statement or connection. `sqlstate` is the server's error code ("40P01" deadlock,
// "23505" unique violation ...), empty when the connection itself failed.
class PgError : public StoreError {
 public:
  PgError(const std::string& message, std::string sqlstate)
      : StoreError(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  // Deadlock or serialization failure: running the transaction again may succeed.
  bool retryable() const { return sqlstate_ == "40P01" || sqlstate_ == "40001"; }

 private:
  std::string sqlstate_;
};

// Parameters in text format ($1, $2 ... in order of add).
class Params {
 public:
  Params& add(std::string_view text) {
    values_.emplace_back(text);
    return *this;
  }
  Params& add(long long value) {
    values_.emplace_back(std::to_string(value));
    return *this;
  }
  Params& add(const std::optional<long long>& value) {
    if (value) return add(*value);
    return add_null();
  }
  Params& add_null() {
    values_.emplace_back(std::nullopt);
    return *this;
  }
  std::size_t size() const { return values_.size(); }
  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

// A PostgreSQL array literal of text or integers ('{"a","b"}'), to bind as one parameter with a
// ::text[] / ::bigint[] cast.
std::string text_array(const std::vector<std::string>& values);
std::string integer_array(const std::vector<long long>& values);
// The same with NULL elements.
std::string nullable_text_array(const std::vector<std::optional<std::string>>& values);
std::string nullable_integer_array(const std::vector<std::optional<long long>>& values);

class Result {
 public:
  explicit Result(pg_result* result) : result_(result) {}
  ~Result();
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&&) = delete;

  int rows() const;
  bool empty() const { return rows() == 0; }
  std::string text(int row, int column) const;
  long long integer(int row, int column) const;
  bool is_null(int row, int column) const;
  // Rows changed by INSERT/UPDATE/DELETE.
  long long affected() const;

 private:
  pg_result* result_;
};

class Connection {
 public:
  // `url`: a postgresql:// URL or a libpq conninfo string. `schema`, when not empty, becomes the
  // search_path of the session. Throws PgError when the server cannot be reached.
  Connection(const std::string& url, const std::string& schema);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with parameters (prepared on first use on this connection), after the
  // statements queued by `send`, in the same round trip.
  Result query(const std::string& sql, const Params& params = {});
  // Runs statements without parameters (DDL, BEGIN, SAVEPOINT ...); with statements queued,
  // only one statement.
  void exec(const std::string& sql);

  // Pipelined statements: queued by `send` (e.g. a SAVEPOINT that rides along with the next
  // query), sent together, their results read in order by `finish` (one round trip) or by the
  // next query/exec. The first failure aborts the rest and is thrown.
  void send(const std::string& sql, const Params& params = {});
  std::vector<Result> finish();
  // Drops the queued statements unsent.
  void discard() { pipeline_.clear(); }

  // False once the server is gone; ConnectionPool reconnects such connections.
  bool healthy() const;
  // Reconnects after a failure (prepared statements are forgotten).
  void reset();
  pg_conn* native() const { return conn_; }

 private:
  struct Pending {
    std::string sql;
    Params params;
  };
  const std::string& prepared_name(const std::string& sql, const Params& params);
  PgError error(std::string_view what, pg_result* result) const;

  pg_conn* conn_ = nullptr;
  std::map<std::string, std::string, std::less<>> prepared_;
  std::vector<Pending> pipeline_;
};

}  // namespace stepline::store::postgres
