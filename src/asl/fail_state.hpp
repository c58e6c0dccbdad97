// Fail: ends the execution (or the enclosing branch/iteration) with an error (ASL §5 Fail).
#pragma once

#include "query/template/expression.hpp"

#include <optional>
#include <string>

namespace stepline::asl {

struct FailState {
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<query::Expression> error_path;
  std::optional<query::Expression> cause_path;
};

struct SucceedState {};

}  // namespace stepline::asl
