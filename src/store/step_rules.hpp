// Rules every backend applies the same way when it commits an execution step.
#pragma once

#include "common/json.hpp"

#include <string_view>

namespace stepline::store {

// The "id" of a history event; throws std::invalid_argument when it has none (a caller bug,
// detected before anything is written).
long long event_id(const json::Value& event);

// A status after which an execution has no timers or tasks left.
bool is_closed_status(std::string_view status);

}  // namespace stepline::store
