// Compares an execution history with a recorded one: event types in order, then each event's
// fields (ids, previous ids, details) with loose_diff's placeholder rules.
#pragma once

#include "common/json.hpp"

#include <optional>
#include <string>

namespace stepline::harness {

// `expected_types`: array of type names. nullopt when the sequences match.
std::optional<std::string> compare_event_types(const json::Array& expected_types,
                                               const json::Array& actual_events);

// `expected_events`: full recorded events. With `order_normalised`, the events the recorder
// sorted (their `id` is not a number, e.g. `[0]`, as inside Parallel branches) are compared as
// multisets with ours numbered between their numbered neighbours; numbered events align by id.
std::optional<std::string> compare_events(const json::Array& expected_events,
                                          const json::Array& actual_events, bool order_normalised);

}  // namespace stepline::harness
