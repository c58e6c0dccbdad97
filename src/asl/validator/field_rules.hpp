// The allowed-field matrix of ASL.md §2: which fields each state type accepts, and in which
// query language.
#pragma once

#include "asl/validator/context.hpp"

#include <optional>
#include <string_view>

namespace stepline::asl::validation {

enum class StateType { Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map };

// nullopt for anything but the eight type names.
std::optional<StateType> parse_state_type(std::string_view name);

enum class FieldUse {
  Allowed,        // accepted in this state's language
  OtherLanguage,  // only accepted in the other query language
  Unsupported,    // never accepted on this state type
};

FieldUse field_use(StateType type, std::string_view field, Language language);

// Whether the state type transitions with Next/End (Choice, Succeed and Fail do not).
bool has_next_or_end(StateType type);

}  // namespace stepline::asl::validation
