// Builds a state's context object the first time an expression asks for it.
#include "engine/state_context.hpp"

#include "engine/step_run.hpp"

namespace stepline::engine {

const json::Value& StateContext::value(bool with_execution_input) const {
  if (ready_) return *ready_;
  if (full_) return *full_;
  if (!with_execution_input) {
    if (!partial_) partial_ = run_->context_object(*thread_, *state_, item_, index_, false);
    return *partial_;
  }
  full_ = run_->context_object(*thread_, *state_, item_, index_, true);
  return *full_;
}

}  // namespace stepline::engine
