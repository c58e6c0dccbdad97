// The 25,000-event history quota of a Standard execution. AWS fails an execution that reaches
// it; here the step that would pass the limit keeps its events up to one below the limit and
// ends with ExecutionFailed (States.Runtime) as the last allowed event.
#pragma once

#include "engine/interpreter.hpp"

#include <cstddef>

namespace stepline::runtime {

// True when `step` was cut to the quota (its frame is then FAILED and its effects are gone).
bool enforce_history_quota(engine::Step& step, std::size_t max_events, TimePoint now);

// Ends the execution of `step` with ExecutionFailed {error, cause} after its last event: used
// when the interpreter itself failed on a step (a bug, reported rather than crashing).
void fail_execution(engine::Step& step, const StatesError& error, TimePoint now);

}  // namespace stepline::runtime
