// store::Cluster on a SQLite file shared by several processes of one machine: node leases and the
// inbox in two tables next to the store's, on a connection of their own. SQLite has no
// notification channel, so wait_wake only waits: nodes poll their inbox every tick.
#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

#include <condition_variable>
#include <mutex>

namespace stepline::store {

namespace {

long long millis(TimePoint t) {
  return t.time_since_epoch().count();
}

// The store's migrations own the schema version; these tables stand apart, created on demand.
constexpr const char* kClusterSchema = R"sql(
CREATE TABLE IF NOT EXISTS cluster_nodes (
  node_id TEXT PRIMARY KEY,
  expires_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cluster_inbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_arn TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cluster_inbox_by_execution ON cluster_inbox (execution_arn);
)sql";

// Live nodes at ?NOW; owners outside it (expired, left, never registered, empty) are dead.
constexpr const char* kLiveNodes = "SELECT node_id FROM cluster_nodes WHERE expires_ms > ";

class SqliteCluster final : public Cluster {
 public:
  explicit SqliteCluster(const std::string& path) : db_(path) {
    std::lock_guard lock(mutex_);
    db_.exec(kClusterSchema);
  }

  bool heartbeat(const std::string& node, TimePoint now, TimePoint expires) override {
    std::lock_guard lock(mutex_);
    db_.exec("BEGIN IMMEDIATE");
    try {
      bool live = true;
      auto read = db_.prepare("SELECT expires_ms FROM cluster_nodes WHERE node_id = ?1");
      read.bind(1, node);
      if (read.step()) live = read.integer(0) > millis(now);
      db_.prepare(
             "INSERT INTO cluster_nodes (node_id, expires_ms) VALUES (?1, ?2) "
             "ON CONFLICT (node_id) DO UPDATE SET expires_ms = excluded.expires_ms")
          .bind(1, node)
          .bind(2, millis(expires))
          .run();
      db_.exec("COMMIT");
      return live;
    } catch (...) {
      db_.exec("ROLLBACK");
      throw;
    }
  }

  void leave(const std::string& node) override {
    std::lock_guard lock(mutex_);
    db_.prepare("DELETE FROM cluster_nodes WHERE node_id = ?1").bind(1, node).run();
  }

  std::optional<Owner> owner(const std::string& execution_arn, TimePoint now) override {
    std::lock_guard lock(mutex_);
    auto query = db_.prepare(
        "SELECT e.owner, n.expires_ms FROM executions e "
        "LEFT JOIN cluster_nodes n ON n.node_id = e.owner "
        "WHERE e.arn = ?1 AND e.status = 'RUNNING'");
    query.bind(1, execution_arn);
    if (!query.step()) return std::nullopt;
    Owner owner;
    owner.node = query.text(0);
    owner.alive = !owner.node.empty() && !query.is_null(1) && query.integer(1) > millis(now);
    return owner;
  }

  std::vector<std::string> claim_orphans(const std::string& node, TimePoint now,
                                         std::size_t limit) override {
    std::lock_guard lock(mutex_);
    // One statement: SQLite's single writer makes it the only claim in flight.
    auto claim = db_.prepare(
        std::string("UPDATE executions SET owner = ?1 WHERE seq IN ("
                    "SELECT seq FROM executions WHERE status = 'RUNNING' AND owner <> ?1 "
                    "AND owner NOT IN (") +
        kLiveNodes + "?2) ORDER BY seq LIMIT ?3) RETURNING arn");
    claim.bind(1, node).bind(2, millis(now)).bind(3, static_cast<long long>(limit));
    std::vector<std::string> arns;
    while (claim.step()) arns.push_back(claim.text(0));
    return arns;
  }

  bool claim_execution(const std::string& execution_arn, const std::string& node,
                       TimePoint now) override {
    std::lock_guard lock(mutex_);
    {
      // Scoped: its read snapshot must end before the UPDATE asks for the write lock, or SQLite
      // refuses the upgrade at once (busy) instead of waiting.
      auto mine = db_.prepare("SELECT owner FROM executions WHERE arn = ?1 AND status = 'RUNNING'");
      mine.bind(1, execution_arn);
      if (!mine.step()) return false;
      if (mine.text(0) == node) return true;
    }
    auto claim = db_.prepare(
        std::string("UPDATE executions SET owner = ?2 WHERE arn = ?1 AND status = 'RUNNING' "
                    "AND owner NOT IN (") +
        kLiveNodes + "?3)");
    claim.bind(1, execution_arn).bind(2, node).bind(3, millis(now)).run();
    return db_.changes() > 0;
  }

  long long forward(const InboxEntry& entry, const std::string&) override {
    std::lock_guard lock(mutex_);
    db_.prepare("INSERT INTO cluster_inbox (execution_arn, kind, payload) VALUES (?1, ?2, ?3)")
        .bind(1, entry.execution_arn)
        .bind(2, entry.kind)
        .bind(3, json::dump(entry.payload))
        .run();
    return db_.last_insert_rowid();
  }

  bool in_inbox(long long seq) override {
    std::lock_guard lock(mutex_);
    auto query = db_.prepare("SELECT 1 FROM cluster_inbox WHERE seq = ?1");
    query.bind(1, seq);
    return query.step();
  }

  std::vector<InboxEntry> inbox(const std::string& node, std::size_t limit) override {
    std::lock_guard lock(mutex_);
    auto query = db_.prepare(
        "SELECT i.seq, i.execution_arn, i.kind, i.payload FROM cluster_inbox i "
        "JOIN executions e ON e.arn = i.execution_arn WHERE e.owner = ?1 ORDER BY i.seq LIMIT ?2");
    query.bind(1, node).bind(2, static_cast<long long>(limit));
    std::vector<InboxEntry> entries;
    while (query.step()) {
      InboxEntry entry;
      entry.seq = query.integer(0);
      entry.execution_arn = query.text(1);
      entry.kind = query.text(2);
      entry.payload = json::parse(query.text(3));
      entries.push_back(std::move(entry));
    }
    return entries;
  }

  void remove_entry(long long seq) override {
    std::lock_guard lock(mutex_);
    db_.prepare("DELETE FROM cluster_inbox WHERE seq = ?1").bind(1, seq).run();
  }

  void wait_wake(const std::string&, std::chrono::milliseconds timeout) override {
    std::unique_lock lock(wait_mutex_);
    wake_.wait_for(lock, timeout, [this] { return interrupted_; });
  }

  void interrupt() override {
    {
      std::lock_guard lock(wait_mutex_);
      interrupted_ = true;
    }
    wake_.notify_all();
  }

 private:
  std::mutex mutex_;  // the connection is used by one thread at a time
  sqlite::Connection db_;
  std::mutex wait_mutex_;
  std::condition_variable wake_;
  bool interrupted_ = false;
};

}  // namespace

std::unique_ptr<Cluster> open_sqlite_cluster(const std::string& path) {
  return std::make_unique<SqliteCluster>(path);
}

}  // namespace stepline::store
