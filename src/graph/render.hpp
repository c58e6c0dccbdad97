// The formats `stepline graph` writes: a standalone SVG drawn from our own layered layout,
// Graphviz dot and Mermaid flowchart text (their tools do the layout). Parallel branches and Map
// item processors are nested groups in all three.
#pragma once

#include "graph/graph_model.hpp"

#include <string>

namespace stepline::graph {

std::string render_svg(const Graph& graph);
std::string render_dot(const Graph& graph);
std::string render_mermaid(const Graph& graph);

// Fill and stroke colours of a state type, the same in every format and in the web console.
struct TypeColours {
  const char* fill;
  const char* stroke;
};
TypeColours colours_of(std::string_view type);

}  // namespace stepline::graph
