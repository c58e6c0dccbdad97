// store::Cluster on PostgreSQL: node leases and the execution inboxes in tables of their own
// (component "cluster" of the schema migrations), takeovers with FOR UPDATE SKIP LOCKED, and
// wakes by LISTEN/NOTIFY on a dedicated connection.
#pragma once

#include "store/postgres/postgres_store.hpp"
#include "store/store.hpp"

#include <memory>

namespace stepline::store {

// Uses options.url and options.schema (the store's: open the store first). Throws StoreError
// when the server cannot be reached.
std::unique_ptr<Cluster> open_postgres_cluster(const PostgresOptions& options);

}  // namespace stepline::store
