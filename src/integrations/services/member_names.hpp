// The member names of `aws-sdk:*` Tasks: Step Functions takes every parameter in PascalCase and
// hands the SDK its own member names, and returns the SDK's response with PascalCase keys.
// For most JSON services the two agree; the Step Functions API itself (sfn) names its members in
// camelCase (`taskToken`, `output`), so its requests are lower-cased and its answers upper-cased.
#pragma once

#include "common/json.hpp"

#include <set>
#include <string>
#include <string_view>

namespace stepline::integrations::services {

struct MemberNaming {
  bool camel_case = false;  // the service's API members start with a lower-case letter
  // Response members whose values are maps keyed by user data (kept as they are).
  std::set<std::string> user_keyed_maps;
};

// `name` with its first letter upper-cased (an action or member as Step Functions writes it).
std::string pascal_case(std::string_view name);

// The parameters as the service's API names them (recursively).
json::Value to_api_members(const json::Value& parameters, const MemberNaming& naming);
// The API's response with the PascalCase keys Step Functions gives it (recursively).
json::Value to_pascal_members(const json::Value& response, const MemberNaming& naming);

}  // namespace stepline::integrations::services
