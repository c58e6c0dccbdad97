// One line of text for a Choice rule, the label of its edge: the JSONata Condition without its
// {% %} delimiters, or a JSONPath rule (Variable, comparison, And/Or/Not) in a short notation.
#pragma once

#include "common/json.hpp"

#include <string>

namespace stepline::graph {

std::string describe_choice_rule(const json::Value& rule);

}  // namespace stepline::graph
