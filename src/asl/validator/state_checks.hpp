// Schema checks (SCHEMA_VALIDATION_FAILED and friends) of a States scope and of each state in it:
// fields allowed per type and query language, required fields, value types and ranges.
#pragma once

#include "asl/validator/context.hpp"
#include "asl/validator/field_rules.hpp"
#include "common/json.hpp"

#include <set>
#include <string>

namespace stepline::asl::validation {

enum class ScopeKind { TopLevel, Branch, ItemProcessor, Iterator };

// A `{StartAt, States, ...}` object at `pointer` ("" for the document root), `depth` levels of
// Parallel/Map below the top. `outer_names` are the variables enclosing scopes assign.
void check_scope(Run& run, const json::Object& scope, const std::string& pointer, ScopeKind kind,
                 int depth, const std::set<std::string>& outer_names);

// One state. Dispatches to the type-specific checks below.
void check_state(const StateSite& site, const json::Object& state);

void check_task_state(const StateSite& site, const json::Object& state);
void check_pass_state(const StateSite& site, const json::Object& state);
void check_wait_state(const StateSite& site, const json::Object& state);
void check_fail_state(const StateSite& site, const json::Object& state);
void check_choice_state(const StateSite& site, const json::Object& state);
void check_parallel_state(const StateSite& site, const json::Object& state);
void check_map_state(const StateSite& site, const json::Object& state);

// Retry and Catch arrays of Task, Parallel and Map.
void check_retry(const StateSite& site, const json::Value& retry);
void check_catch(const StateSite& site, const json::Value& catchers);

// "There should only be one of the following fields: [A, B]" when more than one is present.
bool check_exclusive(const StateSite& site, const json::Object& object, const std::string& location,
                     std::initializer_list<std::string_view> fields);

// A field that only exists in one query language, or nullptr when absent or when the state uses
// the other language (that misuse is already reported by the field matrix).
const json::Value* jsonpath_field(const StateSite& site, const json::Object& object,
                                  std::string_view field);
const json::Value* jsonata_field(const StateSite& site, const json::Object& object,
                                 std::string_view field);

// The common JSONPath I/O fields (InputPath, OutputPath, ResultPath) and JSONata Output.
void check_io_fields(const StateSite& site, const json::Object& state);

}  // namespace stepline::asl::validation
