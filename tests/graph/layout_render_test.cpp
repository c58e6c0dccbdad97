#include "common/json.hpp"
#include "graph/graph_model.hpp"
#include "graph/layout.hpp"
#include "graph/render.hpp"

#include <gtest/gtest.h>

namespace stepline::graph {
namespace {

const char* const kLoopingMachine = R"({
  "StartAt": "Poll",
  "States": {
    "Poll": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done?",
             "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops <&>"}]},
    "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": true,
                                              "Next": "Fan out"}], "Default": "Sleep"},
    "Sleep": {"Type": "Wait", "Seconds": 3, "Next": "Poll"},
    "Fan out": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Succeed"}}},
      {"StartAt": "Items", "States": {"Items": {"Type": "Map", "End": true, "ItemProcessor": {
        "StartAt": "One", "States": {"One": {"Type": "Pass", "End": true}}}}}}]},
    "Oops <&>": {"Type": "Fail", "Error": "Failed \"badly\""}
  }})";

const NodeLayout* find(const ScopeLayout& scope, std::string_view name) {
  for (const auto& node : scope.nodes)
    if (node.node->name == name) return &node;
  return nullptr;
}

bool overlap(const NodeLayout& a, const NodeLayout& b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

void expect_sound(const ScopeLayout& scope) {
  for (std::size_t i = 0; i < scope.nodes.size(); ++i) {
    const NodeLayout& a = scope.nodes[i];
    EXPECT_GE(a.x, 0);
    EXPECT_GE(a.y, 0);
    EXPECT_LE(a.x + a.width, scope.width);
    EXPECT_LE(a.y + a.height, scope.height);
    for (std::size_t j = i + 1; j < scope.nodes.size(); ++j)
      EXPECT_FALSE(overlap(a, scope.nodes[j]))
          << a.node->name << " / " << scope.nodes[j].node->name;
    for (const auto& child : a.children) {
      // Branches sit inside their Parallel/Map box, below its title.
      EXPECT_GT(child.y, 0);
      EXPECT_LE(child.x + child.width, a.width);
      EXPECT_LE(child.y + child.height, a.height);
      expect_sound(child);
    }
  }
  for (const auto& edge : scope.edges) EXPECT_GE(edge.points.size(), 2u);
}

TEST(Layout, RanksFollowTransitionsAndLoopsGoBackUp) {
  const Graph graph = build_graph(json::parse(kLoopingMachine));
  const ScopeLayout layout = layout_graph(graph);
  expect_sound(layout);
  EXPECT_LT(find(layout, "Start")->y, find(layout, "Poll")->y);
  EXPECT_LT(find(layout, "Poll")->y, find(layout, "Done?")->y);
  EXPECT_LT(find(layout, "Done?")->y, find(layout, "Sleep")->y);
  EXPECT_LT(find(layout, "Fan out")->y, find(layout, "End")->y);
  EXPECT_LT(find(layout, "Oops <&>")->y, find(layout, "End")->y);
  int loops = 0;
  for (const auto& edge : layout.edges) {
    if (!edge.loops_back) continue;
    ++loops;
    EXPECT_EQ(edge.edge->from, "/Sleep");
    EXPECT_EQ(edge.edge->to, "/Poll");
    // The vertical run is right of every node of the scope.
    for (const auto& node : layout.nodes) EXPECT_GT(edge.points[2].x, node.x + node.width);
    EXPECT_EQ(edge.points.back().y, find(layout, "Poll")->y);
  }
  EXPECT_EQ(loops, 1);
  const NodeLayout* parallel = find(layout, "Fan out");
  ASSERT_EQ(parallel->children.size(), 2u);
  EXPECT_LE(parallel->children[0].x + parallel->children[0].width, parallel->children[1].x);
  EXPECT_EQ(find(parallel->children[1], "Items")->children.size(), 1u);
}

TEST(Layout, ShortenKeepsWholeCharacters) {
  EXPECT_EQ(shorten("abc", 3), "abc");
  EXPECT_EQ(shorten("abcdef", 4), "abc\u2026");
  EXPECT_EQ(shorten("\u00e9\u00e9\u00e9\u00e9\u00e9", 3), "\u00e9\u00e9\u2026");
}

TEST(Render, SvgHasEveryStateEscapedAndNested) {
  const std::string svg = render_svg(build_graph(json::parse(kLoopingMachine)));
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  for (const char* name : {"Poll", "Done?", "Sleep", "Fan out", "A", "B", "Items", "One"})
    EXPECT_NE(svg.find(std::string("data-state=\"") + name + "\""), std::string::npos) << name;
  EXPECT_NE(svg.find("data-state=\"Oops &lt;&amp;&gt;\""), std::string::npos);
  EXPECT_EQ(svg.find("Oops <&>"), std::string::npos);
  EXPECT_NE(svg.find(">Branch 2<"), std::string::npos);
  EXPECT_NE(svg.find(">Item processor<"), std::string::npos);
  EXPECT_NE(svg.find("class=\"edge catch\""), std::string::npos);
  EXPECT_NE(svg.find(">$.done == true<"), std::string::npos);
}

TEST(Render, DotHasClustersAndQuotedLabels) {
  const std::string dot = render_dot(build_graph(json::parse(kLoopingMachine)));
  EXPECT_EQ(dot.rfind("digraph stateMachine {", 0), 0u);
  EXPECT_NE(dot.find("subgraph cluster_"), std::string::npos);
  EXPECT_NE(dot.find(R"(label="Oops <&>\nFail: Failed \"badly\"")"), std::string::npos);
  EXPECT_NE(dot.find("style=dashed, color=\"#c0392b\""), std::string::npos);
  EXPECT_NE(dot.find("label=\"Default\""), std::string::npos);
  EXPECT_EQ(dot.back(), '\n');
}

TEST(Render, MermaidHasSubgraphsAndEscapedQuotes) {
  const std::string mermaid = render_mermaid(build_graph(json::parse(kLoopingMachine)));
  EXPECT_EQ(mermaid.rfind("flowchart TD\n", 0), 0u);
  EXPECT_NE(mermaid.find("subgraph"), std::string::npos);
  EXPECT_NE(mermaid.find("Fan out · Branch 1"), std::string::npos);
  EXPECT_NE(mermaid.find("Failed #quot;badly#quot;"), std::string::npos);
  EXPECT_NE(mermaid.find("-.->|\"States.ALL\"|"), std::string::npos);
  EXPECT_NE(mermaid.find("classDef Task"), std::string::npos);
  // Every subgraph is closed.
  std::size_t opened = 0, closed = 0;
  for (std::size_t at = 0; (at = mermaid.find("subgraph ", at)) != std::string::npos; ++at)
    ++opened;
  for (std::size_t at = 0; (at = mermaid.find("\n    end\n", at)) != std::string::npos; ++at)
    ++closed;
  for (std::size_t at = 0; (at = mermaid.find("\n  end\n", at)) != std::string::npos; ++at)
    ++closed;
  for (std::size_t at = 0; (at = mermaid.find("\n      end\n", at)) != std::string::npos; ++at)
    ++closed;
  EXPECT_EQ(opened, 3u);
  EXPECT_EQ(closed, 3u);
}

}  // namespace
}  // namespace stepline::graph
