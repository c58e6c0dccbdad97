// store::Cluster on PostgreSQL. Every statement that moves ownership is one UPDATE whose row
// locks serialize it against the store's commits (which read the owner FOR UPDATE), so a commit
// sees either the old owner (and lands before the claim) or the new one (and is refused).
#include "store/postgres/pg_lease.hpp"

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_schema.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <mutex>

namespace stepline::store {

namespace {

using postgres::Connection;
using postgres::Params;

long long millis(TimePoint t) {
  return t.time_since_epoch().count();
}

const std::vector<std::string>& cluster_migrations() {
  static const std::vector<std::string> kMigrations = {R"sql(
CREATE TABLE cluster_nodes (
  node_id TEXT PRIMARY KEY,
  expires_ms BIGINT NOT NULL
);
CREATE TABLE cluster_inbox (
  seq BIGSERIAL PRIMARY KEY,
  execution_arn TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX cluster_inbox_by_execution ON cluster_inbox (execution_arn);
)sql"};
  return kMigrations;
}

// The one channel every node listens on; the payload names the node to wake.
constexpr const char* kChannel = "stepline_cluster";

// Owners outside this set (expired, left, never registered, empty) are dead. $2: now.
constexpr const char* kDeadOwner =
    "owner NOT IN (SELECT node_id FROM cluster_nodes WHERE expires_ms > $2)";

class PgCluster final : public Cluster {
 public:
  explicit PgCluster(const PostgresOptions& options)
      : db_(options.url, options.schema), listener_(options.url, options.schema) {
    postgres::migrate(db_, options.schema, "cluster", cluster_migrations());
    listener_.exec(std::string("LISTEN ") + kChannel);
    if (pipe(interrupt_pipe_) != 0) throw StoreError("cluster: cannot create a pipe");
  }
  ~PgCluster() override {
    close(interrupt_pipe_[0]);
    close(interrupt_pipe_[1]);
  }

  bool heartbeat(const std::string& node, TimePoint now, TimePoint expires) override {
    std::lock_guard lock(mutex_);
    // One statement: the old expiry (NULL for a new node) and the renewal together.
    auto result = db_.query(
        "WITH old AS (SELECT expires_ms FROM cluster_nodes WHERE node_id = $1 FOR UPDATE), "
        "up AS (INSERT INTO cluster_nodes (node_id, expires_ms) VALUES ($1, $2) "
        "ON CONFLICT (node_id) DO UPDATE SET expires_ms = EXCLUDED.expires_ms) "
        "SELECT expires_ms FROM old",
        Params().add(node).add(millis(expires)));
    return result.empty() || result.integer(0, 0) > millis(now);
  }

  void leave(const std::string& node) override {
    std::lock_guard lock(mutex_);
    db_.query("DELETE FROM cluster_nodes WHERE node_id = $1", Params().add(node));
  }

  std::optional<Owner> owner(const std::string& execution_arn, TimePoint now) override {
    std::lock_guard lock(mutex_);
    auto result = db_.query(
        "SELECT e.owner, n.expires_ms FROM executions e "
        "LEFT JOIN cluster_nodes n ON n.node_id = e.owner "
        "WHERE e.arn = $1 AND e.status = 'RUNNING'",
        Params().add(execution_arn));
    if (result.empty()) return std::nullopt;
    Owner owner;
    owner.node = result.text(0, 0);
    owner.alive =
        !owner.node.empty() && !result.is_null(0, 1) && result.integer(0, 1) > millis(now);
    return owner;
  }

  std::vector<std::string> claim_orphans(const std::string& node, TimePoint now,
                                         std::size_t limit) override {
    std::lock_guard lock(mutex_);
    // SKIP LOCKED: nodes claiming at once take disjoint sets; the outer conditions are checked
    // again on the locked row version.
    auto result = db_.query(
        std::string("UPDATE executions SET owner = $1 WHERE seq IN ("
                    "SELECT seq FROM executions WHERE status = 'RUNNING' AND owner <> $1 AND ") +
            kDeadOwner + " ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED) " +
            "AND status = 'RUNNING' AND " + kDeadOwner + " RETURNING arn",
        Params().add(node).add(millis(now)).add(static_cast<long long>(limit)));
    std::vector<std::string> arns;
    for (int row = 0; row < result.rows(); ++row) arns.push_back(result.text(row, 0));
    return arns;
  }

  bool claim_execution(const std::string& execution_arn, const std::string& node,
                       TimePoint now) override {
    std::lock_guard lock(mutex_);
    auto mine = db_.query("SELECT owner FROM executions WHERE arn = $1 AND status = 'RUNNING'",
                          Params().add(execution_arn));
    if (mine.empty()) return false;
    if (mine.text(0, 0) == node) return true;
    auto claimed = db_.query(
        std::string("UPDATE executions SET owner = $1 WHERE arn = $3 AND status = 'RUNNING' AND ") +
            kDeadOwner,
        Params().add(node).add(millis(now)).add(execution_arn));
    return claimed.affected() > 0;
  }

  long long forward(const InboxEntry& entry, const std::string& owner_node) override {
    std::lock_guard lock(mutex_);
    // One statement, one transaction: the NOTIFY goes out when the entry is durable.
    auto result = db_.query(
        "WITH added AS (INSERT INTO cluster_inbox (execution_arn, kind, payload) "
        "VALUES ($1, $2, $3) RETURNING seq) "
        "SELECT seq, pg_notify($4, $5) FROM added",
        Params()
            .add(entry.execution_arn)
            .add(entry.kind)
            .add(json::dump(entry.payload))
            .add(kChannel)
            .add(owner_node));
    return result.integer(0, 0);
  }

  bool in_inbox(long long seq) override {
    std::lock_guard lock(mutex_);
    return !db_.query("SELECT 1 FROM cluster_inbox WHERE seq = $1", Params().add(seq)).empty();
  }

  std::vector<InboxEntry> inbox(const std::string& node, std::size_t limit) override {
    std::lock_guard lock(mutex_);
    auto result = db_.query(
        "SELECT i.seq, i.execution_arn, i.kind, i.payload FROM cluster_inbox i "
        "JOIN executions e ON e.arn = i.execution_arn WHERE e.owner = $1 "
        "ORDER BY i.seq LIMIT $2",
        Params().add(node).add(static_cast<long long>(limit)));
    std::vector<InboxEntry> entries;
    for (int row = 0; row < result.rows(); ++row) {
      InboxEntry entry;
      entry.seq = result.integer(row, 0);
      entry.execution_arn = result.text(row, 1);
      entry.kind = result.text(row, 2);
      entry.payload = json::parse(result.text(row, 3));
      entries.push_back(std::move(entry));
    }
    return entries;
  }

  void remove_entry(long long seq) override {
    std::lock_guard lock(mutex_);
    db_.query("DELETE FROM cluster_inbox WHERE seq = $1", Params().add(seq));
  }

  void wait_wake(const std::string& node, std::chrono::milliseconds timeout) override {
    std::lock_guard lock(listen_mutex_);
    PGconn* conn = listener_.native();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (interrupted_) return;
      if (PQconsumeInput(conn) == 0) {
        listener_.reset();  // the server went away: listen again on a new connection
        listener_.exec(std::string("LISTEN ") + kChannel);
        conn = listener_.native();
      }
      bool woken = false;
      while (PGnotify* n = PQnotifies(conn)) {
        if (node == n->extra) woken = true;
        PQfreemem(n);
      }
      if (woken) return;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return;
      pollfd fds[2] = {{PQsocket(conn), POLLIN, 0}, {interrupt_pipe_[0], POLLIN, 0}};
      ::poll(fds, 2, static_cast<int>(left.count()));
    }
  }

  void interrupt() override {
    interrupted_ = true;
    const char byte = 1;
    [[maybe_unused]] auto written = write(interrupt_pipe_[1], &byte, 1);
  }

 private:
  std::mutex mutex_;  // db_: one statement at a time
  Connection db_;
  std::mutex listen_mutex_;
  Connection listener_;
  int interrupt_pipe_[2] = {-1, -1};
  std::atomic<bool> interrupted_{false};
};

}  // namespace

std::unique_ptr<Cluster> open_postgres_cluster(const PostgresOptions& options) {
  return std::make_unique<PgCluster>(options);
}

}  // namespace stepline::store
