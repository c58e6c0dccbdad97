#include "asl/validator/state_checks.hpp"

#include "asl/validator/graph_checks.hpp"
#include "asl/validator/value_checks.hpp"

#include <algorithm>
#include <map>
#include <vector>

namespace stepline::asl::validation {
namespace {

bool scope_field_allowed(ScopeKind kind, std::string_view field) {
  if (field == "StartAt" || field == "States" || field == "Comment") return true;
  switch (kind) {
    case ScopeKind::TopLevel:
      return field == "Version" || field == "TimeoutSeconds" || field == "QueryLanguage";
    case ScopeKind::ItemProcessor:
    case ScopeKind::Iterator:
      return field == "ProcessorConfig";
    case ScopeKind::Branch:
      return false;
  }
  return false;
}

// Variables one state writes: its Assign, its Choice rules' and its catchers' Assign.
void collect_state_names(const json::Object& state, std::set<std::string>& out) {
  if (const auto* assign = state.if_contains("Assign")) collect_assigned_names(*assign, out);
  for (std::string_view list : {"Choices", "Catch"}) {
    const auto* items = state.if_contains(list);
    if (!items || !items->is_array()) continue;
    for (const auto& item : items->get_array()) {
      if (!item.is_object()) continue;
      if (const auto* assign = item.get_object().if_contains("Assign"))
        collect_assigned_names(*assign, out);
    }
  }
}

std::string join(const std::vector<std::string_view>& names) {
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    out += names[i];
  }
  return out + "]";
}

}  // namespace

void check_scope(Run& run, const json::Object& scope, const std::string& pointer, ScopeKind kind,
                 int depth, const std::set<std::string>& outer_names) {
  Sink& sink = run.sink;
  const std::string here = pointer.empty() ? "/" : pointer;
  for (const auto& [key, value] : scope) {
    (void)value;
    if (!scope_field_allowed(kind, key))
      sink.schema("Field '" + std::string(key) + "' is not supported", here);
  }
  std::vector<std::string_view> missing;
  if (!scope.contains("States")) missing.push_back("States");
  if (!scope.contains("StartAt")) missing.push_back("StartAt");
  if (!missing.empty()) sink.schema("These fields are required: " + join(missing), here);

  if (const auto* comment = scope.if_contains("Comment"))
    expect_string(sink, *comment, child(pointer, "Comment"));
  if (const auto* start = scope.if_contains("StartAt"))
    expect_string(sink, *start, child(pointer, "StartAt"));
  if (kind == ScopeKind::TopLevel) {
    if (const auto* version = scope.if_contains("Version"))
      expect_string(sink, *version, child(pointer, "Version"));
    if (const auto* timeout = scope.if_contains("TimeoutSeconds"))
      expect_integer(sink, *timeout, child(pointer, "TimeoutSeconds"), 1, 99999999);
  }

  const auto* states_value = scope.if_contains("States");
  if (!states_value) return;
  const std::string states_pointer = child(pointer, "States");
  if (!expect_object(sink, *states_value, states_pointer)) return;
  const auto& states = states_value->get_object();
  if (states.empty()) {
    sink.schema("Value cannot be empty", states_pointer);
    return;
  }

  // A nested scope may not assign what its enclosing scopes may already hold when it starts:
  // the variables assigned by the states that can run before its Parallel/Map state.
  std::map<std::string, std::vector<std::string>> predecessors;
  for (const auto& [name, state] : states)
    if (state.is_object())
      for (auto& target : transition_targets(state.get_object()))
        predecessors[std::move(target)].emplace_back(name);
  auto names_before = [&](std::string_view name) {
    std::set<std::string> out = outer_names;
    std::set<std::string> seen;
    std::vector<std::string> pending{std::string(name)};
    while (!pending.empty()) {
      const std::string current = std::move(pending.back());
      pending.pop_back();
      for (const auto& before : predecessors[current]) {
        if (!seen.insert(before).second) continue;
        if (const auto* state = states.if_contains(before); state && state->is_object())
          collect_state_names(state->get_object(), out);
        pending.push_back(before);
      }
    }
    return out;
  };

  for (const auto& [name, state] : states) {
    const std::string state_pointer = child(states_pointer, name);
    if (name.empty() || name.size() > 80)
      sink.error("INVALID_STATE_NAME", "State name must be between 1 and 80 characters",
                 state_pointer);
    if (!expect_object(sink, state, state_pointer)) continue;
    const auto& object = state.get_object();
    Language language = run.machine_language;
    if (const auto* ql = object.if_contains("QueryLanguage")) {
      if (ql->is_string() && ql->get_string() == "JSONata") language = Language::JSONata;
      if (ql->is_string() && ql->get_string() == "JSONPath") language = Language::JSONPath;
    }
    const auto* type = object.if_contains("Type");
    const bool nests = type && type->is_string() &&
                       (type->get_string() == "Parallel" || type->get_string() == "Map");
    const std::set<std::string> visible = nests ? names_before(name) : std::set<std::string>{};
    const bool produces_result =
        nests || (type && type->is_string() && type->get_string() == "Task");
    const StateSite site{
        run,           std::string(name),
        state_pointer, language,
        depth,         &outer_names,
        &visible,      produces_result ? StatesAccess::Result : StatesAccess::Input};
    check_state(site, object);
  }
}

bool check_exclusive(const StateSite& site, const json::Object& object, const std::string& location,
                     std::initializer_list<std::string_view> fields) {
  int present = 0;
  for (auto field : fields) present += object.contains(field) ? 1 : 0;
  if (present <= 1) return true;
  site.run.sink.schema(
      "There should only be one of the following fields: " + join(std::vector(fields)), location);
  return false;
}

const json::Value* jsonpath_field(const StateSite& site, const json::Object& object,
                                  std::string_view field) {
  return site.language == Language::JSONPath ? object.if_contains(field) : nullptr;
}
const json::Value* jsonata_field(const StateSite& site, const json::Object& object,
                                 std::string_view field) {
  return site.language == Language::JSONata ? object.if_contains(field) : nullptr;
}

void check_io_fields(const StateSite& site, const json::Object& state) {
  Sink& sink = site.run.sink;
  for (std::string_view field : {"InputPath", "OutputPath"})
    if (const auto* value = jsonpath_field(site, state, field))
      check_path_field(sink, *value, child(site.pointer, field));
  if (const auto* value = jsonpath_field(site, state, "ResultPath"))
    check_reference_path_field(
        sink, *value, child(site.pointer, "ResultPath"),
        {.allow_null = true, .allow_context = false, .allow_variables = false});
  if (const auto* value = jsonata_field(site, state, "Output"))
    check_jsonata_strings(sink, *value, child(site.pointer, "Output"), site.result_access);
}

void check_state(const StateSite& site, const json::Object& state) {
  Sink& sink = site.run.sink;
  const auto* type_value = state.if_contains("Type");
  if (!type_value) {
    sink.schema("These fields are required: [Type]", site.pointer);
    return;
  }
  const std::optional<StateType> type =
      type_value->is_string() ? parse_state_type(type_value->get_string()) : std::nullopt;
  if (!type) {
    sink.schema(
        "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, "
        "Choice, Parallel, Map]",
        child(site.pointer, "Type"));
    return;
  }

  if (const auto* ql = state.if_contains("QueryLanguage")) {
    if (!ql->is_string() || (ql->get_string() != "JSONPath" && ql->get_string() != "JSONata")) {
      sink.schema("The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]",
                  child(site.pointer, "QueryLanguage"));
    } else if (ql->get_string() == "JSONPath" && site.run.machine_language == Language::JSONata) {
      sink.schema(
          "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
          site.pointer);
    }
  }
  if (const auto* comment = state.if_contains("Comment"))
    expect_string(sink, *comment, child(site.pointer, "Comment"));

  for (const auto& [key, value] : state) {
    (void)value;
    switch (field_use(*type, key, site.language)) {
      case FieldUse::Allowed:
        break;
      case FieldUse::Unsupported:
        sink.schema("Field '" + std::string(key) + "' is not supported", site.pointer);
        break;
      case FieldUse::OtherLanguage: {
        const Language other =
            site.language == Language::JSONPath ? Language::JSONata : Language::JSONPath;
        sink.schema("The QueryLanguage is set to '" + std::string(language_name(site.language)) +
                        "', but field '" + std::string(key) + "' is only supported for the '" +
                        std::string(language_name(other)) + "' QueryLanguage",
                    site.pointer);
        break;
      }
    }
  }

  if (has_next_or_end(*type)) {
    const auto* next = state.if_contains("Next");
    const auto* end = state.if_contains("End");
    if (end && !expect_bool(sink, *end, child(site.pointer, "End"))) end = nullptr;
    if (next) expect_string(sink, *next, child(site.pointer, "Next"));
    const bool ends = end && end->as_bool();
    if (next && ends) {
      sink.schema("There should only be one of the following fields: [Next, End]", site.pointer);
    } else if (!next && !ends) {
      sink.schema("Exactly one of these fields must be set: [Next, End]", site.pointer);
    }
  }
  if (const auto* assign = state.if_contains("Assign"))
    if (field_use(*type, "Assign", site.language) == FieldUse::Allowed)
      check_assign(site, *assign, child(site.pointer, "Assign"), site.result_access);

  switch (*type) {
    case StateType::Task:
      check_task_state(site, state);
      break;
    case StateType::Pass:
      check_pass_state(site, state);
      break;
    case StateType::Wait:
      check_wait_state(site, state);
      break;
    case StateType::Fail:
      check_fail_state(site, state);
      break;
    case StateType::Choice:
      check_choice_state(site, state);
      break;
    case StateType::Parallel:
      check_parallel_state(site, state);
      break;
    case StateType::Map:
      check_map_state(site, state);
      break;
    case StateType::Succeed:
      check_io_fields(site, state);
      break;
  }
}

}  // namespace stepline::asl::validation
