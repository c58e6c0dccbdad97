#include "asl/validator/graph_checks.hpp"

#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace stepline::asl::validation {
namespace {

struct Scope {
  std::string pointer;  // "" for the top level, "/States/P/Branches/0" for a branch
  const json::Object* object;
};

struct Transition {
  std::string target;
  std::string location;
  std::string_view field;  // "Next" or "Default": how AWS names it in the message
};

// Every scope in document order: a scope, then the scopes nested in its states.
void collect_scopes(const json::Object& scope, const std::string& pointer,
                    std::vector<Scope>& out) {
  out.push_back({pointer, &scope});
  const auto& states = scope.at("States").get_object();
  for (const auto& [name, value] : states) {
    const auto& state = value.get_object();
    const std::string state_pointer = pointer + "/States/" + std::string(name);
    if (const auto* branches = state.if_contains("Branches")) {
      const auto& list = branches->get_array();
      for (std::size_t i = 0; i < list.size(); ++i)
        collect_scopes(list[i].get_object(), state_pointer + "/Branches/" + std::to_string(i), out);
    }
    for (std::string_view field : {"ItemProcessor", "Iterator"})
      if (const auto* processor = state.if_contains(field))
        collect_scopes(processor->get_object(), state_pointer + "/" + std::string(field), out);
  }
}

std::vector<Transition> transitions_of(const json::Object& state, const std::string& pointer) {
  std::vector<Transition> out;
  if (const auto* next = state.if_contains("Next"); next && next->is_string())
    out.push_back({std::string(next->get_string()), pointer + "/Next", "Next"});
  for (std::string_view list : {"Choices", "Catch"}) {
    const auto* items = state.if_contains(list);
    if (!items || !items->is_array()) continue;
    const auto& array = items->get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
      const auto* next = array[i].is_object() ? array[i].get_object().if_contains("Next") : nullptr;
      if (next && next->is_string())
        out.push_back({std::string(next->get_string()),
                       pointer + "/" + std::string(list) + "/" + std::to_string(i) + "/Next",
                       "Next"});
    }
  }
  if (const auto* def = state.if_contains("Default"); def && def->is_string())
    out.push_back({std::string(def->get_string()), pointer + "/Default", "Default"});
  return out;
}

bool is_terminal(const json::Object& state) {
  const auto& type = state.at("Type").get_string();
  if (type == "Succeed" || type == "Fail") return true;
  const auto* end = state.if_contains("End");
  return end && end->is_bool() && end->get_bool();
}

}  // namespace

std::vector<std::string> transition_targets(const json::Object& state) {
  std::vector<std::string> out;
  for (auto& t : transitions_of(state, "")) out.push_back(std::move(t.target));
  return out;
}

void check_graph(Sink& sink, const json::Object& definition) {
  std::vector<Scope> scopes;
  collect_scopes(definition, "", scopes);

  std::set<std::string_view> names;
  for (const auto& scope : scopes)
    for (const auto& [name, state] : scope.object->at("States").get_object()) {
      (void)state;
      if (!names.insert(name).second)
        sink.error("DUPLICATE_STATE_NAME", "Duplicate State name: " + std::string(name),
                   scope.pointer + "/States/" + std::string(name));
    }

  // Missing targets everywhere first, then unreachable states, then scopes with no end: the
  // order AWS reports them in.
  std::vector<bool> start_valid(scopes.size());
  for (std::size_t s = 0; s < scopes.size(); ++s) {
    const auto& states = scopes[s].object->at("States").get_object();
    const std::string start(scopes[s].object->at("StartAt").get_string());
    start_valid[s] = states.contains(start);
    if (!start_valid[s])
      sink.error(kMissingTarget, "Missing 'Next' target: " + start, scopes[s].pointer + "/StartAt");
    for (const auto& [name, state] : states) {
      const std::string pointer = scopes[s].pointer + "/States/" + std::string(name);
      for (const auto& t : transitions_of(state.get_object(), pointer))
        if (!states.contains(t.target))
          sink.error(kMissingTarget, "Missing '" + std::string(t.field) + "' target: " + t.target,
                     t.location);
    }
  }

  for (std::size_t s = 0; s < scopes.size(); ++s) {
    if (!start_valid[s]) continue;
    const auto& states = scopes[s].object->at("States").get_object();
    std::set<std::string> reached;
    std::deque<std::string> queue{std::string(scopes[s].object->at("StartAt").get_string())};
    while (!queue.empty()) {
      std::string name = std::move(queue.front());
      queue.pop_front();
      if (!reached.insert(name).second) continue;
      const std::string pointer = scopes[s].pointer + "/States/" + name;
      for (auto& t : transitions_of(states.at(name).get_object(), pointer))
        if (states.contains(t.target) && !reached.contains(t.target))
          queue.push_back(std::move(t.target));
    }
    for (const auto& [name, state] : states) {
      (void)state;
      if (!reached.contains(std::string(name)))
        sink.error(kMissingTarget, "State \"" + std::string(name) + "\" is not reachable.",
                   scopes[s].pointer + "/States/" + std::string(name));
    }
  }

  for (const auto& scope : scopes) {
    bool has_terminal = false;
    for (const auto& [name, state] : scope.object->at("States").get_object()) {
      (void)name;
      has_terminal = has_terminal || is_terminal(state.get_object());
    }
    if (!has_terminal)
      sink.error("MISSING_END_STATE", "Workflow has no terminal state", std::nullopt);
  }
}

}  // namespace stepline::asl::validation
