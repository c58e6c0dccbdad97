// The naming rules of API.md §3 / LOCAL.md §4 for state machines and activities, and the tag
// rules (charset, `aws:` prefix, 50 per resource) TagResource and the Create operations share.
#pragma once

#include "common/json.hpp"

#include <string_view>

namespace stepline::api::resources {

// 1-80 characters, none of: whitespace, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /, control
// characters (U+0000-U+001F, U+007F-U+009F), U+FFFE/U+FFFF, invalid UTF-8 (unpaired surrogates).
bool is_valid_resource_name(std::string_view name);

// Throws ApiFailure(InvalidName "Invalid Name: '<name>'") when the name breaks the rules.
void require_valid_name(std::string_view name);

inline constexpr std::size_t kMaxTags = 50;

// Checks a `tags` request member ([{key, value}], lengths already checked by the model):
// charset and the reserved `aws:` prefix (ValidationException). Returns them as {key: value}
// in request order (a repeated key keeps its last value).
json::Object tags_from_request(const json::Value* tags);

// Upserts `added` into `tags`; throws TooManyTags (resourceName `resource_arn`) past 50.
void merge_tags(json::Object& tags, const json::Object& added, std::string_view resource_arn);

// [{key, value}] in insertion order, as ListTagsForResource answers.
json::Array tags_to_list(const json::Object& tags);

}  // namespace stepline::api::resources
