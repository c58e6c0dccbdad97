// A thin RAII layer over one sqlite3 connection: prepared statements cached by SQL text, typed
// binds and column reads, errors turned into StoreError.
#pragma once

#include "store/records.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace stepline::store::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  // Resets the statement: a statement left mid-way would keep its read snapshot open.
  ~Statement();
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
    other.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  Statement& bind(int index, long long value);
  Statement& bind(int index, std::string_view text);
  // Binds without copying: `text` must outlive the statement's next step (the big documents a
  // step writes, rendered beforehand and kept until the write is done).
  Statement& bind_view(int index, std::string_view text);
  Statement& bind_null(int index);
  // One step: true while a row is available.
  bool step();
  // Steps to the end (statements that return no rows).
  void run();
  long long integer(int column) const;
  std::string text(int column) const;
  bool is_null(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  explicit Connection(const std::string& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The cached statement for `sql`, reset and with its bindings cleared.
  Statement prepare(const std::string& sql);
  // The same for a string literal, cached by its address: the hot paths (a few inserts per
  // history event) skip building and comparing the SQL text.
  Statement prepare_static(const char* sql);
  // Runs one or more statements without results (DDL, PRAGMA, BEGIN ...).
  void exec(const std::string& sql);
  long long changes() const;
  long long last_insert_rowid() const;
  // Calls `hook` after each commit with the number of pages in the write-ahead log, instead of
  // SQLite's own automatic checkpoint; when it returns true, this connection checkpoints at
  // once (PASSIVE), as the automatic checkpoint would. An empty hook restores nothing: no
  // automatic checkpoint at all.
  void on_wal_commit(std::function<bool(int pages)> hook);
  // A PASSIVE checkpoint: copies what it can of the log into the database without blocking
  // the writer or readers.
  // SQLITE_BUSY (another connection is checkpointing: the writer's own past its limit) is not
  // an error: the log is copied by that one, or by the next try.
  void checkpoint_passive();

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*, std::less<>> statements_;
  std::unordered_map<const char*, sqlite3_stmt*> static_statements_;
  std::function<bool(int)> wal_hook_;
};

// Throws StoreError with sqlite's message when `rc` is not OK/ROW/DONE.
void check(sqlite3* db, int rc, std::string_view what);

}  // namespace stepline::store::sqlite
