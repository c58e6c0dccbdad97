// A layered (Sugiyama-style) layout of a Graph, top to bottom, computed per Scope: ranks by
// longest path with back edges reversed, crossings reduced by barycentre sweeps, long edges
// routed through placeholder points, loops drawn up the right-hand side. Parallel and Map nodes
// are boxes sized to hold their laid-out branches side by side.
#pragma once

#include "graph/graph_model.hpp"

#include <vector>

namespace stepline::graph {

struct Point {
  double x = 0;
  double y = 0;
};

struct ScopeLayout;

struct NodeLayout {
  const Node* node = nullptr;
  double x = 0, y = 0, width = 0, height = 0;  // relative to the scope's origin
  std::vector<ScopeLayout> children;           // Parallel branches / Map processor
};

struct EdgeLayout {
  const Edge* edge = nullptr;
  std::vector<Point> points;  // relative to the scope's origin, source first
  Point label_at;             // where the label's left end sits
  bool loops_back = false;
};

struct ScopeLayout {
  const Scope* scope = nullptr;
  double x = 0, y = 0;  // relative to the containing node's origin (0, 0 for the top level)
  double width = 0, height = 0;
  std::vector<NodeLayout> nodes;
  std::vector<EdgeLayout> edges;
};

// Text metrics the layout assumes (the SVG renderer draws with the same sizes).
inline constexpr double kNameFontSize = 13;
inline constexpr double kDetailFontSize = 11;
inline constexpr double kLabelFontSize = 11;
inline constexpr std::size_t kMaxLabelChars = 48;  // longer texts are cut with an ellipsis

// Width in pixels of `text` at `font_size` (an estimate: the average glyph of a sans font).
double text_width(std::string_view text, double font_size);
// `text` cut to `max_chars` code points with a trailing ellipsis when longer.
std::string shorten(std::string_view text, std::size_t max_chars);

// The layout keeps pointers into `graph`, which must outlive it.
ScopeLayout layout_graph(const Graph& graph);

}  // namespace stepline::graph
