// Checks of Parallel and Map states: nested state machines (branches, ItemProcessor/Iterator),
// ProcessorConfig, concurrency and tolerance ranges, ItemReader, ItemBatcher, ResultWriter and
// Label (ASL.md §5 Parallel/Map).
#include "asl/validator/map_fields.hpp"
#include "asl/validator/state_checks.hpp"
#include "asl/validator/value_checks.hpp"

#include <algorithm>

namespace stepline::asl::validation {
namespace {

void check_nested_scope(const StateSite& site, const json::Value& value,
                        const std::string& location, ScopeKind kind) {
  Sink& sink = site.run.sink;
  if (!expect_object(sink, value, location)) return;
  if (site.depth + 1 > kMaxMachineDepth) {
    sink.error("TOO_DEEPLY_NESTED", "The state machine is nested too deeply", location);
    return;
  }
  check_scope(site.run, value.get_object(), location, kind, site.depth + 1, *site.visible_names);
}

// Fields shared by Parallel and Map: templates, Arguments, I/O, Retry, Catch.
void check_common_fields(const StateSite& site, const json::Object& state) {
  Sink& sink = site.run.sink;
  if (const auto* selector = jsonpath_field(site, state, "ResultSelector")) {
    const std::string location = child(site.pointer, "ResultSelector");
    if (expect_object(sink, *selector, location)) check_payload_template(sink, *selector, location);
  }
  if (const auto* parameters = jsonpath_field(site, state, "Parameters"))
    check_payload_template(sink, *parameters, child(site.pointer, "Parameters"));
  if (const auto* arguments = jsonata_field(site, state, "Arguments"))
    check_jsonata_strings(sink, *arguments, child(site.pointer, "Arguments"));
  check_io_fields(site, state);
  if (const auto* retry = state.if_contains("Retry")) check_retry(site, *retry);
  if (const auto* catchers = state.if_contains("Catch")) check_catch(site, *catchers);
}

void check_processor_config(const StateSite& site, const json::Value& value,
                            const std::string& location) {
  Sink& sink = site.run.sink;
  if (!expect_object(sink, value, location)) return;
  const auto& config = value.get_object();
  for (const auto& [key, member] : config) {
    (void)member;
    if (key != "Mode" && key != "ExecutionType")
      sink.schema("Field '" + std::string(key) + "' is not supported", location);
  }
  if (const auto* mode = config.if_contains("Mode"))
    check_enum(sink, *mode, child(location, "Mode"), "Mode", {"INLINE", "DISTRIBUTED"});
  if (const auto* type = config.if_contains("ExecutionType"))
    check_enum(sink, *type, child(location, "ExecutionType"), "ExecutionType",
               {"STANDARD", "EXPRESS"});
  const auto* mode = config.if_contains("Mode");
  if (mode && mode->is_string() && mode->get_string() == "DISTRIBUTED" &&
      !config.contains("ExecutionType"))
    sink.schema("The field 'ExecutionType' is required but was missing", location);
}

}  // namespace

void check_parallel_state(const StateSite& site, const json::Object& state) {
  Sink& sink = site.run.sink;
  check_common_fields(site, state);
  const auto* branches = state.if_contains("Branches");
  if (!branches) {
    sink.schema("These fields are required: [Branches]", site.pointer);
    return;
  }
  const std::string location = child(site.pointer, "Branches");
  if (!expect_array(sink, *branches, location)) return;
  const auto& list = branches->get_array();
  if (list.empty()) {
    sink.schema("Value cannot be empty", location);
    return;
  }
  for (std::size_t i = 0; i < list.size(); ++i)
    check_nested_scope(site, list[i], child(location, i), ScopeKind::Branch);
}

void check_map_state(const StateSite& site, const json::Object& state) {
  Sink& sink = site.run.sink;
  const bool has_processor = state.contains("ItemProcessor");
  const bool has_iterator = state.contains("Iterator");
  if (!has_processor && !has_iterator)
    sink.schema("These fields are required: [ItemProcessor]", site.pointer);
  check_exclusive(site, state, site.pointer, {"ItemProcessor", "Iterator"});
  check_exclusive(site, state, site.pointer, {"ItemSelector", "Parameters"});
  check_exclusive(site, state, site.pointer, {"MaxConcurrency", "MaxConcurrencyPath"});
  check_exclusive(site, state, site.pointer,
                  {"ToleratedFailureCount", "ToleratedFailureCountPath"});
  check_exclusive(site, state, site.pointer,
                  {"ToleratedFailurePercentage", "ToleratedFailurePercentagePath"});

  check_common_fields(site, state);
  if (const auto* items_path = jsonpath_field(site, state, "ItemsPath"))
    check_reference_path_field(sink, *items_path, child(site.pointer, "ItemsPath"), {});
  if (const auto* items = jsonata_field(site, state, "Items")) {
    const std::string location = child(site.pointer, "Items");
    if (is_expression_string(*items) || items->is_array()) {
      check_jsonata_strings(sink, *items, location);
    } else {
      sink.schema("Expected value of type: Array", location);
    }
  }
  if (const auto* selector = state.if_contains("ItemSelector")) {
    const std::string location = child(site.pointer, "ItemSelector");
    if (site.language == Language::JSONPath) {
      if (expect_object(sink, *selector, location))
        check_payload_template(sink, *selector, location);
    } else {
      check_jsonata_strings(sink, *selector, location);
    }
  }
  check_count_field(site, state, "MaxConcurrency", 0, INT32_MAX);
  check_count_field(site, state, "ToleratedFailureCount", 0, INT32_MAX);
  if (const auto* percentage = state.if_contains("ToleratedFailurePercentage")) {
    const std::string location = child(site.pointer, "ToleratedFailurePercentage");
    if (site.language == Language::JSONata && is_expression_string(*percentage)) {
      check_jsonata_strings(sink, *percentage, location);
    } else {
      expect_number(sink, *percentage, location, 0.0, 100.0);
    }
  }
  for (std::string_view field :
       {"MaxConcurrencyPath", "ToleratedFailureCountPath", "ToleratedFailurePercentagePath"})
    if (const auto* value = jsonpath_field(site, state, field))
      check_reference_path_field(sink, *value, child(site.pointer, field),
                                 {.allow_context = false});

  if (const auto* reader = state.if_contains("ItemReader")) check_item_reader(site, *reader);
  if (const auto* batcher = state.if_contains("ItemBatcher")) check_item_batcher(site, *batcher);
  if (const auto* writer = state.if_contains("ResultWriter")) check_result_writer(site, *writer);
  if (const auto* label = state.if_contains("Label")) check_label(site, *label);

  for (std::string_view field : {"ItemProcessor", "Iterator"}) {
    const auto* processor = state.if_contains(field);
    if (!processor) continue;
    const std::string location = child(site.pointer, field);
    check_nested_scope(site, *processor, location,
                       field == "Iterator" ? ScopeKind::Iterator : ScopeKind::ItemProcessor);
    if (!processor->is_object()) continue;
    if (const auto* config = processor->get_object().if_contains("ProcessorConfig"))
      check_processor_config(site, *config, child(location, "ProcessorConfig"));
  }
}

}  // namespace stepline::asl::validation
