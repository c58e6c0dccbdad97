// Pass: copies its input (or a literal Result) to its output (ASL §5 Pass).
#pragma once

#include "common/json.hpp"

#include <optional>

namespace stepline::asl {

struct PassState {
  std::optional<json::Value> result;  // literal, never template-processed
};

}  // namespace stepline::asl
