// Choice: picks the next state from the first matching rule (ASL §5 Choice).
#pragma once

#include "asl/choice/choice_rule.hpp"
#include "asl/jsonata_value.hpp"
#include "query/template/payload_template.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stepline::asl {

struct ChoiceBranch {
  std::shared_ptr<const choice::Rule> rule;
  std::string next;
  std::optional<query::PayloadTemplate> assign;  // replaces the state's Assign when chosen
  // JSONata rules: Condition, and Output/Assign replacing the state's when chosen.
  std::optional<JsonataValue> condition;
  std::optional<JsonataValue> output;
  std::optional<JsonataValue> jsonata_assign;
};

struct ChoiceState {
  std::vector<ChoiceBranch> choices;
  std::optional<std::string> default_next;
};

}  // namespace stepline::asl
