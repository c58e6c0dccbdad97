#include "graph/graph_model.hpp"

#include "graph/choice_condition.hpp"

#include <set>
#include <string_view>

namespace stepline::graph {

namespace {

constexpr int kMaxNesting = 64;  // deeper Parallel/Map nesting is refused rather than recursed

const json::Value* field(const json::Object& object, std::string_view key) {
  return object.if_contains(key);
}

std::string string_field(const json::Object& object, std::string_view key) {
  const auto* value = field(object, key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// A Task resource short enough for a box: service integrations lose their common prefix,
// Lambda and activity ARNs keep their kind and name.
std::string short_resource(std::string_view resource) {
  constexpr std::string_view kIntegrationPrefix = "arn:aws:states:::";
  if (resource.starts_with(kIntegrationPrefix))
    return std::string(resource.substr(kIntegrationPrefix.size()));
  for (const std::string_view kind : {":function:", ":activity:", ":stateMachine:"}) {
    const auto at = resource.find(kind);
    if (at != std::string_view::npos) return std::string(resource.substr(at + 1));
  }
  return std::string(resource);
}

std::string detail_of(const std::string& type, const json::Object& state) {
  std::string detail;
  if (type == "Task") {
    detail = short_resource(string_field(state, "Resource"));
  } else if (type == "Wait") {
    for (const std::string_view key : {"Seconds", "SecondsPath", "Timestamp", "TimestampPath"}) {
      if (const auto* value = field(state, key))
        detail = std::string(key) + " " +
                 (value->is_string() ? std::string(value->as_string()) : json::dump(*value));
    }
  } else if (type == "Fail") {
    detail = string_field(state, "Error");
  } else if (type == "Map") {
    if (const auto* limit = field(state, "MaxConcurrency"))
      detail = "max concurrency " + json::dump(*limit);
  }
  if (const auto* retry = field(state, "Retry");
      retry && retry->is_array() && !retry->as_array().empty())
    detail += detail.empty() ? "retries" : " · retries";
  return detail;
}

std::string join_errors(const json::Value* errors) {
  std::string out;
  if (!errors || !errors->is_array()) return out;
  for (const auto& error : errors->as_array()) {
    if (!error.is_string()) continue;
    if (!out.empty()) out += ", ";
    out += error.as_string();
  }
  return out;
}

class Builder {
 public:
  Scope build_scope(const json::Value& block, std::string id, std::string label, int depth) {
    if (depth > kMaxNesting) throw GraphError("states are nested too deeply to draw");
    if (!block.is_object()) throw GraphError("a States block is not a JSON object");
    const auto& object = block.as_object();
    const auto* states = field(object, "States");
    if (!states || !states->is_object()) throw GraphError("a block has no \"States\" object");

    Scope scope;
    scope.id = id;
    scope.label = std::move(label);
    const std::string start_id = id + "/#start";
    const std::string end_id = id + "/#end";
    scope.nodes.push_back(Node{start_id, "Start", "Start", {}, {}});

    std::set<std::string, std::less<>> names;
    for (const auto& [name, _] : states->as_object()) names.insert(std::string(name));
    auto node_id = [&](std::string_view name) { return id + "/" + std::string(name); };
    auto link = [&](std::string from, const json::Value* target, EdgeKind kind, std::string text) {
      if (!target || !target->is_string() || !names.contains(target->as_string())) return;
      scope.edges.push_back(
          Edge{std::move(from), node_id(target->as_string()), kind, std::move(text)});
    };

    link(start_id, field(object, "StartAt"), EdgeKind::Next, {});
    bool has_end = false;
    for (const auto& [key, value] : states->as_object()) {
      const std::string name(key);
      const std::string this_id = node_id(name);
      if (!value.is_object()) {
        scope.nodes.push_back(Node{this_id, name, "Unknown", {}, {}});
        continue;
      }
      const auto& state = value.as_object();
      Node node{this_id, name, string_field(state, "Type"), {}, {}};
      if (node.type.empty()) node.type = "Unknown";
      node.detail = detail_of(node.type, state);
      add_children(node, state, depth);
      scope.nodes.push_back(std::move(node));

      const std::string& type = scope.nodes.back().type;
      link(this_id, field(state, "Next"), EdgeKind::Next, {});
      const auto* end = field(state, "End");
      if ((end && end->is_bool() && end->as_bool()) || type == "Succeed" || type == "Fail") {
        scope.edges.push_back(Edge{this_id, end_id, EdgeKind::Next, {}});
        has_end = true;
      }
      if (const auto* choices = field(state, "Choices"); choices && choices->is_array()) {
        for (const auto& rule : choices->as_array())
          if (rule.is_object())
            link(this_id, field(rule.as_object(), "Next"), EdgeKind::Choice,
                 describe_choice_rule(rule));
      }
      link(this_id, field(state, "Default"), EdgeKind::Default, "Default");
      if (const auto* catchers = field(state, "Catch"); catchers && catchers->is_array()) {
        for (const auto& catcher : catchers->as_array())
          if (catcher.is_object())
            link(this_id, field(catcher.as_object(), "Next"), EdgeKind::Catch,
                 join_errors(field(catcher.as_object(), "ErrorEquals")));
      }
    }
    if (has_end) scope.nodes.push_back(Node{end_id, "End", "End", {}, {}});
    return scope;
  }

 private:
  void add_children(Node& node, const json::Object& state, int depth) {
    if (node.type == "Parallel") {
      const auto* branches = field(state, "Branches");
      if (!branches || !branches->is_array()) return;
      int index = 0;
      for (const auto& branch : branches->as_array()) {
        node.children.push_back(build_scope(branch, node.id + "#" + std::to_string(index),
                                            "Branch " + std::to_string(index + 1), depth + 1));
        ++index;
      }
    } else if (node.type == "Map") {
      const auto* processor = field(state, "ItemProcessor");
      if (!processor) processor = field(state, "Iterator");
      if (processor)
        node.children.push_back(
            build_scope(*processor, node.id + "#items", "Item processor", depth + 1));
    }
  }
};

}  // namespace

Graph build_graph(const json::Value& definition) {
  if (!definition.is_object()) throw GraphError("the definition is not a JSON object");
  if (!definition.as_object().contains("StartAt"))
    throw GraphError("the definition has no \"StartAt\"");
  Builder builder;
  return Graph{builder.build_scope(definition, "", "", 0)};
}

}  // namespace stepline::graph
