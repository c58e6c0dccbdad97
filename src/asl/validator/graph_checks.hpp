// The checks AWS runs once the definition's structure is sound: unique state names, transition
// targets inside the same States object, reachability, and a terminal state in every scope.
#pragma once

#include "asl/validator/context.hpp"
#include "common/json.hpp"

#include <string>
#include <vector>

namespace stepline::asl::validation {

// Names of the states `state` can move to (Next, Choice rules and Default, catchers), as written.
std::vector<std::string> transition_targets(const json::Object& state);

// `definition` has passed the schema checks (every scope has StartAt and a non-empty States).
void check_graph(Sink& sink, const json::Object& definition);

}  // namespace stepline::asl::validation
