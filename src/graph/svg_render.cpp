#include "graph/layout.hpp"
#include "graph/render.hpp"

#include <fmt/format.h>

namespace stepline::graph {

namespace {

std::string escape_xml(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

const char* edge_colour(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::Catch:
      return "#c0392b";
    case EdgeKind::Choice:
      return "#6c3483";
    case EdgeKind::Default:
      return "#6c3483";
    case EdgeKind::Next:
      break;
  }
  return "#555555";
}

class SvgWriter {
 public:
  void scope(const ScopeLayout& layout, double ox, double oy) {
    for (const auto& edge : layout.edges) this->edge(edge, ox, oy);
    for (const auto& node : layout.nodes) this->node(node, ox + node.x, oy + node.y);
  }

  std::string out;

 private:
  void edge(const EdgeLayout& layout, double ox, double oy) {
    const Edge& edge = *layout.edge;
    std::string path;
    for (std::size_t k = 0; k < layout.points.size(); ++k)
      path += fmt::format("{}{:.1f},{:.1f}", k ? " L" : "M", ox + layout.points[k].x,
                          oy + layout.points[k].y);
    out += fmt::format(
        R"svg(<path class="edge {}" d="{}" fill="none" stroke="{}" stroke-width="1.4"{} marker-end="url(#arrow-{})"/>)svg"
        "\n",
        kind_name(edge.kind), path, edge_colour(edge.kind),
        edge.kind == EdgeKind::Catch ? R"( stroke-dasharray="5,3")" : "", kind_name(edge.kind));
    if (edge.label.empty()) return;
    out += fmt::format(
        R"(<text x="{:.1f}" y="{:.1f}" font-size="{}" fill="{}" class="edge-label">{}</text>)"
        "\n",
        ox + layout.label_at.x, oy + layout.label_at.y, kLabelFontSize, edge_colour(edge.kind),
        escape_xml(shorten(edge.label, kMaxLabelChars)));
  }

  void node(const NodeLayout& layout, double x, double y) {
    const Node& node = *layout.node;
    const TypeColours colours = colours_of(node.type);
    if (node.is_marker()) {
      out += fmt::format(
          R"(<rect class="marker" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" rx="14" fill="{}" stroke="{}"/>)"
          "\n"
          R"(<text x="{:.1f}" y="{:.1f}" font-size="12" text-anchor="middle" fill="#333">{}</text>)"
          "\n",
          x, y, layout.width, layout.height, colours.fill, colours.stroke, x + layout.width / 2,
          y + layout.height / 2 + 4, node.name);
      return;
    }
    out += fmt::format(R"(<g class="state" data-state="{}" data-type="{}">)"
                       "\n",
                       escape_xml(node.name), escape_xml(node.type));
    out += fmt::format(
        R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" rx="6" fill="{}" stroke="{}" stroke-width="1.5"/>)"
        "\n",
        x, y, layout.width, layout.height, colours.fill, colours.stroke);
    const double centre = x + layout.width / 2;
    const double name_y = layout.children.empty() && node.detail.empty() ? y + 21 : y + 19;
    out += fmt::format(
        R"(<text x="{:.1f}" y="{:.1f}" font-size="{}" font-weight="600" text-anchor="middle" fill="#1b1b1b">{}</text>)"
        "\n",
        centre, name_y, kNameFontSize, escape_xml(shorten(node.name, kMaxLabelChars)));
    const std::string second_line =
        layout.children.empty() ? node.detail
                                : node.type + (node.detail.empty() ? "" : " · " + node.detail);
    if (!second_line.empty())
      out += fmt::format(
          R"(<text x="{:.1f}" y="{:.1f}" font-size="{}" text-anchor="middle" fill="#555">{}</text>)"
          "\n",
          centre, y + 35, kDetailFontSize, escape_xml(shorten(second_line, kMaxLabelChars)));
    out += "</g>\n";
    for (const auto& child : layout.children) {
      const double cx = x + child.x;
      const double cy = y + child.y;
      out += fmt::format(
          R"(<rect class="group" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" rx="6" fill="#ffffff" fill-opacity="0.6" stroke="#8a8a8a" stroke-dasharray="4,3"/>)"
          "\n"
          R"(<text x="{:.1f}" y="{:.1f}" font-size="11" fill="#555">{}</text>)"
          "\n",
          cx, cy - 2, child.width, child.height + 2, cx + 6, cy - 6,
          escape_xml(child.scope->label));
      scope(child, cx, cy);
    }
  }

  static const char* kind_name(EdgeKind kind) {
    switch (kind) {
      case EdgeKind::Catch:
        return "catch";
      case EdgeKind::Choice:
        return "choice";
      case EdgeKind::Default:
        return "default";
      case EdgeKind::Next:
        break;
    }
    return "next";
  }
};

}  // namespace

std::string render_svg(const Graph& graph) {
  const ScopeLayout layout = layout_graph(graph);
  SvgWriter writer;
  writer.out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0:.0f}" height="{1:.0f}" viewBox="0 0 {0:.0f} {1:.0f}" font-family="Helvetica, Arial, sans-serif">)"
      "\n<defs>\n",
      layout.width, layout.height);
  for (const auto kind : {EdgeKind::Next, EdgeKind::Choice, EdgeKind::Default, EdgeKind::Catch}) {
    const char* name = kind == EdgeKind::Next      ? "next"
                       : kind == EdgeKind::Choice  ? "choice"
                       : kind == EdgeKind::Default ? "default"
                                                   : "catch";
    writer.out += fmt::format(
        R"(<marker id="arrow-{}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker>)"
        "\n",
        name, edge_colour(kind));
  }
  writer.out += "</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#fafafa\"/>\n";
  writer.scope(layout, 0, 0);
  writer.out += "</svg>\n";
  return writer.out;
}

TypeColours colours_of(std::string_view type) {
  if (type == "Task") return {"#dbe9f8", "#2e6da4"};
  if (type == "Choice") return {"#efe3f7", "#6c3483"};
  if (type == "Pass") return {"#eeeeee", "#777777"};
  if (type == "Wait") return {"#fdf2d0", "#b7950b"};
  if (type == "Succeed") return {"#dff3e4", "#1e8449"};
  if (type == "Fail") return {"#f9dedc", "#b03a2e"};
  if (type == "Parallel" || type == "Map") return {"#f4f7fb", "#34495e"};
  if (type == "Start" || type == "End") return {"#ffffff", "#999999"};
  return {"#ffffff", "#c0392b"};
}

}  // namespace stepline::graph
