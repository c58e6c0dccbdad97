// Creates and commits of executions inside the group writer's transaction, two ways:
// - set-wise (the normal path): every such call of a group commit together, in a constant number
//   of round trips and statements whatever the batch size. The rows are read and locked once,
//   each create/commit is decided in memory in order (exactly as if run one after the other),
//   and what the accepted ones change goes out as one multi-row statement per table;
// - one by one in savepoints (the fallback): when a set-wise statement fails (a duplicate event
//   id, a create racing another node), the group is rolled back and run again this way so the
//   failure lands on the one call that caused it.
#pragma once

#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"

#include <exception>
#include <vector>

namespace stepline::store::postgres {

// One caller's creates and commits (Store::create_execution, commit or write_batch): they
// succeed or fail one by one (results in `result`); an exception (a malformed event) fails the
// whole call, undoing all of it, and lands in `error`.
struct ExecutionWrites {
  std::vector<const NewExecution*> creates;
  std::vector<const Commit*> commits;
  BatchResult result;
  std::exception_ptr error;
};

// Set-wise: queues the statements that apply the accepted writes on `db` (sent with the next
// query or exec, i.e. the COMMIT) after one round trip that reads and locks the rows. Throws
// PgError when a statement of that round trip fails; failures of the queued ones surface at
// COMMIT. Either way the transaction must be rolled back (and the fallback used).
void write_set_wise(Connection& db, const std::vector<ExecutionWrites*>& writes);

// One by one: each create and commit in a savepoint of its own; returns normally with the
// results, or throws (the caller's savepoint undoes the whole call).
void write_one_by_one(Connection& db, ExecutionWrites& writes);

}  // namespace stepline::store::postgres
