// Runs one case in a child process so that a crash or a hang in the engine costs that case, not
// the whole conformance run. The child sends back the run's result as JSON.
#pragma once

#include "common/json.hpp"
#include "engine/run.hpp"

#include <functional>
#include <string>
#include <variant>

namespace stepline::harness {

struct RunFailure {
  std::string reason;  // "crashed (signal 11)", "threw: ...", "timed out after 30 s", ...
};

// {"status","output","error","cause","history"} or, for an invalid definition,
// {"definition_error": [diagnostics...]}.
json::Value result_to_json(const engine::RunResult& result);
json::Value diagnostics_to_json(const std::vector<asl::Diagnostic>& diagnostics);

// Calls `run` in a forked child (or in-process when `isolate` is false) and returns its JSON.
std::variant<json::Value, RunFailure> run_isolated(const std::function<json::Value()>& run,
                                                   bool isolate, unsigned timeout_seconds = 30);

}  // namespace stepline::harness
