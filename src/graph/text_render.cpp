// Graphviz dot and Mermaid: both name nodes by short generated ids (n0, n1...) since state names
// may hold any character; labels carry the names.
#include "graph/render.hpp"

#include <fmt/format.h>

#include <map>
#include <string_view>

namespace stepline::graph {

namespace {

constexpr std::string_view kStateTypes[] = {"Task",    "Choice", "Pass",     "Wait",
                                            "Succeed", "Fail",   "Parallel", "Map"};

bool is_state_type(std::string_view type) {
  for (const auto known : kStateTypes)
    if (type == known) return true;
  return false;
}

class Ids {
 public:
  const std::string& of(const std::string& node_id) {
    auto [it, added] = ids_.try_emplace(node_id, "");
    if (added) it->second = "n" + std::to_string(ids_.size() - 1);
    return it->second;
  }

 private:
  std::map<std::string, std::string> ids_;
};

std::string dot_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out + "\"";
}

// Mermaid labels are quoted strings in which `"` must be an entity.
std::string mermaid_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"')
      out += "#quot;";
    else if (c == '\n')
      out += "<br>";
    else
      out.push_back(c);
  }
  return out + "\"";
}

std::string node_text(const Node& node, const char* line_break) {
  std::string text = node.name;
  if (!node.is_marker() && node.type != "Unknown") {
    text += line_break + node.type;
    if (!node.detail.empty()) text += ": " + node.detail;
  }
  return text;
}

class DotWriter {
 public:
  std::string out;

  void scope(const Scope& scope, const std::string& indent) {
    for (const auto& node : scope.nodes) this->node(node, indent);
    for (const auto& edge : scope.edges) {
      std::string attributes;
      if (!edge.label.empty()) attributes += "label=" + dot_quote(edge.label);
      if (edge.kind == EdgeKind::Catch)
        attributes +=
            std::string(attributes.empty() ? "" : ", ") + "style=dashed, color=\"#c0392b\"";
      else if (edge.kind != EdgeKind::Next)
        attributes += std::string(attributes.empty() ? "" : ", ") + "color=\"#6c3483\"";
      out += fmt::format("{}{} -> {}{};\n", indent, ids_.of(edge.from), ids_.of(edge.to),
                         attributes.empty() ? "" : " [" + attributes + "]");
    }
  }

 private:
  void node(const Node& node, const std::string& indent) {
    const TypeColours colours = colours_of(node.type);
    const std::string shape = node.is_marker()        ? "ellipse"
                              : node.type == "Choice" ? "diamond"
                                                      : "box";
    out += fmt::format(
        "{}{} [label={}, shape={}, style=\"filled,rounded\", fillcolor=\"{}\", color=\"{}\"];\n",
        indent, ids_.of(node.id), dot_quote(node_text(node, "\n")), shape, colours.fill,
        colours.stroke);
    // A Parallel or Map is a cluster holding its branches, entered from its own box.
    int index = 0;
    for (const auto& child : node.children) {
      out += fmt::format(
          "{}subgraph cluster_{}_{} {{\n{}  label={}; style=dashed; color=\"#8a8a8a\";\n", indent,
          ids_.of(node.id), index++, indent, dot_quote(node.name + " · " + child.label));
      scope(child, indent + "  ");
      out += indent + "}\n";
      out += fmt::format("{}{} -> {} [style=dotted, arrowhead=none];\n", indent, ids_.of(node.id),
                         ids_.of(child.id + "/#start"));
    }
  }

  Ids ids_;
};

class MermaidWriter {
 public:
  std::string out;

  void scope(const Scope& scope, const std::string& indent) {
    for (const auto& node : scope.nodes) this->node(node, indent);
    for (const auto& edge : scope.edges) {
      const char* arrow = edge.kind == EdgeKind::Catch ? "-.->" : "-->";
      if (edge.label.empty())
        out += fmt::format("{}{} {} {}\n", indent, ids_.of(edge.from), arrow, ids_.of(edge.to));
      else
        out += fmt::format("{}{} {}|{}| {}\n", indent, ids_.of(edge.from), arrow,
                           mermaid_quote(edge.label), ids_.of(edge.to));
    }
  }

  void classes() {
    for (const std::string_view type : kStateTypes) {
      const TypeColours colours = colours_of(type);
      out += fmt::format("  classDef {} fill:{},stroke:{}\n", type, colours.fill, colours.stroke);
    }
  }

 private:
  void node(const Node& node, const std::string& indent) {
    const std::string& id = ids_.of(node.id);
    const std::string label = mermaid_quote(node_text(node, "<br>"));
    if (node.is_marker()) {
      out += fmt::format("{}{}([{}])\n", indent, id, label);
      return;
    }
    if (node.type == "Choice")
      out += fmt::format("{}{}{{{}}}\n", indent, id, label);
    else
      out += fmt::format("{}{}[{}]\n", indent, id, label);
    if (is_state_type(node.type)) out += fmt::format("{}class {} {}\n", indent, id, node.type);
    int index = 0;
    for (const auto& child : node.children) {
      const std::string group = id + "_g" + std::to_string(index++);
      out += fmt::format("{}subgraph {}[{}]\n{}  direction TB\n", indent, group,
                         mermaid_quote(node.name + " · " + child.label), indent);
      scope(child, indent + "  ");
      out += indent + "end\n";
      out += fmt::format("{}{} -.- {}\n", indent, id, group);
    }
  }

  Ids ids_;
};

}  // namespace

std::string render_dot(const Graph& graph) {
  DotWriter writer;
  writer.out =
      "digraph stateMachine {\n  compound=true;\n  rankdir=TB;\n"
      "  node [fontname=\"Helvetica\", fontsize=12];\n  edge [fontname=\"Helvetica\", "
      "fontsize=10];\n";
  writer.scope(graph.root, "  ");
  writer.out += "}\n";
  return writer.out;
}

std::string render_mermaid(const Graph& graph) {
  MermaidWriter writer;
  writer.out = "flowchart TD\n";
  writer.scope(graph.root, "  ");
  writer.classes();
  return writer.out;
}

}  // namespace stepline::graph
