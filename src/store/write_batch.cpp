// The portable WriteBatch: each create and commit on its own. Backends with a transaction to
// share (SQLite) override it.
#include "store/store.hpp"

namespace stepline::store {

BatchResult Store::write_batch(const WriteBatch& batch) {
  BatchResult result;
  result.creates.reserve(batch.creates.size());
  result.commits.reserve(batch.commits.size());
  for (const auto& create : batch.creates) result.creates.push_back(create_execution(create));
  for (const auto& commit : batch.commits) result.commits.push_back(this->commit(commit));
  return result;
}

void Store::prepare(ExecutionStep&) {}

}  // namespace stepline::store
