// Versioned schema migrations on PostgreSQL, per component: the store's tables are component
// "store"; code built on the store (the cluster's node leases) keeps its own list under its own
// name in the same schema_version table. Safe when several nodes start at once.
#pragma once

#include "store/postgres/pg_connection.hpp"

#include <string>
#include <vector>

namespace stepline::store::postgres {

// Creates `schema` when not empty, then brings `component` to migrations.size(): migration N
// takes it from version N to N + 1, each applied once, in one transaction under an advisory
// lock. Throws StoreError when the database holds a newer version than `migrations` knows.
void migrate(Connection& db, const std::string& schema, const std::string& component,
             const std::vector<std::string>& migrations);

// The store's own tables.
const std::vector<std::string>& store_migrations();

}  // namespace stepline::store::postgres
