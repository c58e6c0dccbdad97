// The readable account `stepline run` prints without --json: each state entered and left, task
// attempts and retries, waits, Map/Parallel progress, then the final status and output or error.
#pragma once

#include "engine/run.hpp"

#include <ostream>

namespace stepline::cli {

void print_run_report(std::ostream& out, const engine::RunResult& result);

// {"status","output","error","cause","history"}: absent parts are null.
json::Value run_result_json(const engine::RunResult& result);

}  // namespace stepline::cli
