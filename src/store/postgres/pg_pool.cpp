#include "store/postgres/pg_pool.hpp"

namespace stepline::store::postgres {

ConnectionPool::ConnectionPool(std::string url, std::string schema, std::size_t size)
    : url_(std::move(url)), schema_(std::move(schema)), size_(size == 0 ? 1 : size) {}

ConnectionPool::Borrowed ConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || opened_ < size_; });
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    lock.unlock();
    if (!connection->healthy()) {
      try {
        connection->reset();
      } catch (...) {
        give_back(std::move(connection));
        throw;
      }
    }
    return Borrowed(*this, std::move(connection));
  }
  ++opened_;
  lock.unlock();
  try {
    return Borrowed(*this, open_dedicated());
  } catch (...) {
    std::lock_guard relock(mutex_);
    --opened_;
    available_.notify_one();
    throw;
  }
}

std::unique_ptr<Connection> ConnectionPool::open_dedicated() const {
  return std::make_unique<Connection>(url_, schema_);
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

}  // namespace stepline::store::postgres
