// A path, intrinsic call or template that cannot be compiled: a definition error, found once
// when the definition is built, never while an execution runs.
#pragma once

#include <stdexcept>
#include <string>

namespace stepline::query {

class SyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace stepline::query
