// DescribeStateMachine's `variableReferences`: for every state (nested ones included) the sorted
// names of the workflow variables it reads through JSONPath-mode fields (paths, payload
// templates, intrinsic arguments, Choice rules, Assign). JSONata states are not analysed yet.
#pragma once

#include "common/json.hpp"

#include <string_view>

namespace stepline::api::resources {

// {stateName: [variable, ...]} with states that read none left out; empty when the definition
// cannot be compiled.
json::Object variable_references(std::string_view definition);

}  // namespace stepline::api::resources
