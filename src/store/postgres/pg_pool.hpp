// A fixed set of connections shared by threads: `acquire` hands one out (waiting while all are
// busy) and the handle gives it back. Connections found broken are reconnected on the way out.
#pragma once

#include "store/postgres/pg_connection.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace stepline::store::postgres {

class ConnectionPool {
 public:
  class Borrowed {
   public:
    Borrowed(ConnectionPool& pool, std::unique_ptr<Connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    ~Borrowed() {
      if (connection_) pool_->give_back(std::move(connection_));
    }
    Borrowed(Borrowed&&) noexcept = default;
    Borrowed(const Borrowed&) = delete;
    Borrowed& operator=(const Borrowed&) = delete;
    Borrowed& operator=(Borrowed&&) = delete;
    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  // Connections are opened lazily, at most `size` (at least 1). Throws PgError from `acquire`
  // when the server cannot be reached.
  ConnectionPool(std::string url, std::string schema, std::size_t size);
  Borrowed acquire();
  // A connection of its own (the group writer, LISTEN), outside the pool's count.
  std::unique_ptr<Connection> open_dedicated() const;

  const std::string& url() const { return url_; }
  const std::string& schema() const { return schema_; }

 private:
  void give_back(std::unique_ptr<Connection> connection);

  const std::string url_;
  const std::string schema_;
  const std::size_t size_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t opened_ = 0;
};

}  // namespace stepline::store::postgres
