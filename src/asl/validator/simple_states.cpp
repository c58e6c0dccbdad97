// Checks of the Task, Pass, Wait and Fail states (Succeed only has the common I/O fields).
#include "asl/validator/state_checks.hpp"
#include "asl/validator/timestamp_syntax.hpp"
#include "asl/validator/value_checks.hpp"
#include "common/arns.hpp"

#include <vector>

namespace stepline::asl::validation {
namespace {

constexpr std::int64_t kMaxSeconds = 99999999;

// An integer field that JSONata states may also compute with an expression.
void check_integer_or_expression(const StateSite& site, const json::Value& value,
                                 const std::string& location, std::int64_t min, std::int64_t max) {
  if (site.language == Language::JSONata && is_expression_string(value)) {
    check_jsonata_strings(site.run.sink, value, location);
    return;
  }
  expect_integer(site.run.sink, value, location, min, max);
}

void check_express_resource(const StateSite& site, std::string_view resource,
                            const std::string& location) {
  if (site.run.options.type != MachineType::Express) return;
  Sink& sink = site.run.sink;
  const auto parsed = arns::parse(resource);
  if (parsed && parsed->service == "states" && parsed->resource.starts_with("activity:")) {
    sink.schema("Express state machine does not support Activity ARN", location);
  } else if (resource.ends_with(".sync") || resource.find(".sync:") != std::string_view::npos) {
    sink.schema("Express state machine does not support '.sync' service integration", location);
  } else if (resource.ends_with(".waitForTaskToken")) {
    // AWS's message really ends with a space.
    sink.schema("Express state machine does not support '.waitForTaskToken' service integration ",
                location);
  }
}

void check_credentials(const StateSite& site, const json::Value& value) {
  Sink& sink = site.run.sink;
  const std::string location = child(site.pointer, "Credentials");
  if (!expect_object(sink, value, location)) return;
  const auto& credentials = value.get_object();
  const bool dynamic = site.language == Language::JSONPath && credentials.contains("RoleArn.$");
  if (!credentials.contains("RoleArn") && !dynamic) {
    sink.schema("The field 'RoleArn' is required but was missing", location);
    return;
  }
  if (site.language == Language::JSONPath) {
    check_payload_template(sink, value, location);
  } else {
    check_jsonata_strings(sink, value, location);
  }
}

// Pass Result is a literal: a "key.$" inside it is never evaluated, which is usually a mistake.
void warn_static_result(const StateSite& site, const json::Value& result) {
  std::vector<const json::Value*> pending{&result};
  while (!pending.empty()) {
    const json::Value* node = pending.back();
    pending.pop_back();
    if (node->is_array()) {
      for (const auto& item : node->get_array()) pending.push_back(&item);
    } else if (node->is_object()) {
      for (const auto& [key, member] : node->get_object()) {
        if (key.ends_with(".$")) {
          site.run.sink.warning("PASS_RESULT_IS_STATIC",
                                "The Result field of a Pass state is static: the field '" +
                                    std::string(key) + "' will not be evaluated as a path",
                                child(site.pointer, "Result"));
          return;
        }
        pending.push_back(&member);
      }
    }
  }
}

}  // namespace

void check_task_state(const StateSite& site, const json::Object& state) {
  Sink& sink = site.run.sink;
  if (!state.contains("Resource"))
    sink.schema("These fields are required: [Resource]", site.pointer);
  check_exclusive(site, state, site.pointer, {"TimeoutSeconds", "TimeoutSecondsPath"});
  check_exclusive(site, state, site.pointer, {"HeartbeatSeconds", "HeartbeatSecondsPath"});

  if (const auto* resource = state.if_contains("Resource")) {
    const std::string location = child(site.pointer, "Resource");
    if (expect_string(sink, *resource, location)) {
      const std::string_view text = resource->get_string();
      if (!text.starts_with("arn:")) {
        sink.error("INVALID_RESOURCE",
                   "The resource provided " + std::string(text) +
                       " is not recognized. The value is not a valid resource ARN, or the "
                       "resource is not available in this region.",
                   location);
      } else {
        check_express_resource(site, text, location);
      }
    }
  }
  std::int64_t timeout = 0, heartbeat = 0;
  bool literal_timeout = false, literal_heartbeat = false;
  if (const auto* value = state.if_contains("TimeoutSeconds")) {
    check_integer_or_expression(site, *value, child(site.pointer, "TimeoutSeconds"), 1,
                                kMaxSeconds);
    literal_timeout = integral_value(*value, timeout);
  }
  if (const auto* value = state.if_contains("HeartbeatSeconds")) {
    check_integer_or_expression(site, *value, child(site.pointer, "HeartbeatSeconds"), 1,
                                kMaxSeconds);
    literal_heartbeat = integral_value(*value, heartbeat);
  }
  if (literal_timeout && literal_heartbeat && heartbeat >= timeout)
    sink.schema("HeartbeatSeconds must be smaller than TimeoutSeconds",
                child(site.pointer, "HeartbeatSeconds"));
  for (std::string_view field : {"TimeoutSecondsPath", "HeartbeatSecondsPath"})
    if (const auto* value = jsonpath_field(site, state, field))
      check_reference_path_field(sink, *value, child(site.pointer, field), {});

  if (const auto* credentials = state.if_contains("Credentials"))
    check_credentials(site, *credentials);
  for (std::string_view field : {"Parameters", "ResultSelector"})
    if (const auto* value = jsonpath_field(site, state, field)) {
      const std::string location = child(site.pointer, field);
      if (field == "ResultSelector" && !expect_object(sink, *value, location)) continue;
      check_payload_template(sink, *value, location);
    }
  if (const auto* arguments = jsonata_field(site, state, "Arguments"))
    check_jsonata_strings(sink, *arguments, child(site.pointer, "Arguments"));
  check_io_fields(site, state);
  if (const auto* retry = state.if_contains("Retry")) check_retry(site, *retry);
  if (const auto* catchers = state.if_contains("Catch")) check_catch(site, *catchers);
}

void check_pass_state(const StateSite& site, const json::Object& state) {
  if (const auto* parameters = jsonpath_field(site, state, "Parameters"))
    check_payload_template(site.run.sink, *parameters, child(site.pointer, "Parameters"));
  if (const auto* result = jsonpath_field(site, state, "Result")) warn_static_result(site, *result);
  check_io_fields(site, state);
}

void check_wait_state(const StateSite& site, const json::Object& state) {
  Sink& sink = site.run.sink;
  std::vector<std::string_view> present;
  for (std::string_view field : {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"})
    if (state.contains(field)) present.push_back(field);
  if (present.empty()) {
    sink.schema(
        "Exactly one of these fields must be set: [Seconds, Timestamp, SecondsPath, "
        "TimestampPath]",
        site.pointer);
  } else if (present.size() > 1) {
    std::string list;
    for (auto field : present) list += (list.empty() ? "" : ", ") + std::string(field);
    sink.schema("There should only be one of the following fields: [" + list + "]", site.pointer);
  }
  if (const auto* seconds = state.if_contains("Seconds"))
    check_integer_or_expression(site, *seconds, child(site.pointer, "Seconds"), 0, kMaxSeconds);
  if (const auto* timestamp = state.if_contains("Timestamp")) {
    const std::string location = child(site.pointer, "Timestamp");
    if (site.language == Language::JSONata && is_expression_string(*timestamp)) {
      check_jsonata_strings(sink, *timestamp, location);
    } else if (expect_string(sink, *timestamp, location) &&
               !is_rfc3339_timestamp(timestamp->get_string())) {
      sink.schema("String does not match RFC3339 timestamp", location);
    }
  }
  for (std::string_view field : {"SecondsPath", "TimestampPath"})
    if (const auto* value = jsonpath_field(site, state, field))
      check_reference_path_field(sink, *value, child(site.pointer, field), {});
  check_io_fields(site, state);
}

void check_fail_state(const StateSite& site, const json::Object& state) {
  Sink& sink = site.run.sink;
  check_exclusive(site, state, site.pointer, {"Error", "ErrorPath"});
  check_exclusive(site, state, site.pointer, {"Cause", "CausePath"});
  for (std::string_view field : {"Error", "Cause"}) {
    const auto* value = state.if_contains(field);
    if (!value) continue;
    const std::string location = child(site.pointer, field);
    if (expect_string(sink, *value, location) && site.language == Language::JSONata)
      check_jsonata_strings(sink, *value, location);
  }
  for (std::string_view field : {"ErrorPath", "CausePath"})
    if (const auto* value = jsonpath_field(site, state, field))
      check_reference_path_field(sink, *value, child(site.pointer, field),
                                 {.allow_intrinsic = true});
}

}  // namespace stepline::asl::validation
