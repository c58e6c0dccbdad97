// The PostgreSQL backend of store::Store: several `stepline serve` nodes can share one database.
// Same guarantees as SQLite (tests/store runs the one suite on both): JSON kept as TEXT, group
// commit (write_batch and concurrent commits share one transaction), fencing by Commit::lease.
#pragma once

#include "store/store.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace stepline::store {

struct PostgresOptions {
  std::string url;            // postgresql://user@host:port/db or a libpq conninfo string
  std::string schema;         // tables live in this schema (created when absent); empty: "public".
                              // Letters, digits and '_' only.
  std::size_t pool_size = 4;  // connections for reads (the writer has its own)
  std::size_t group_max_commits = 256;  // the group commit window: at most this many commits
  int group_window_micros = 2000;       // and at most this long after the first one
};

// Connects, creates or migrates the schema (refusing a newer one with StoreError) and returns
// the store. Throws StoreError when the server cannot be reached.
std::unique_ptr<Store> open_postgres_store(const PostgresOptions& options);

}  // namespace stepline::store
