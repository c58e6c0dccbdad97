// The SQLite schema and its migrations, applied in order on open (PRAGMA user_version).
#pragma once

#include "store/sqlite/connection.hpp"

namespace stepline::store::sqlite {

// Brings the database to the newest schema; throws StoreError when the file was written by a
// newer Stepline (a schema version this build does not know).
void migrate(Connection& db);

}  // namespace stepline::store::sqlite
