// Turns a (validated) definition into an immutable StateMachine, compiling every path, template,
// intrinsic call and Choice rule once.
#pragma once

#include "asl/state_machine.hpp"
#include "common/json.hpp"

#include <memory>
#include <stdexcept>

namespace stepline::asl {

// The definition cannot be compiled (the validator should have refused it first).
class BuildError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::shared_ptr<const StateMachine> build(const json::Value& definition);

}  // namespace stepline::asl
