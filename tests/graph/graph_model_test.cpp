#include "graph/graph_model.hpp"
#include "common/json.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace stepline::graph {
namespace {

const Node* find_node(const Scope& scope, std::string_view name) {
  for (const auto& node : scope.nodes)
    if (node.name == name) return &node;
  return nullptr;
}

std::vector<const Edge*> edges_from(const Scope& scope, const std::string& id) {
  std::vector<const Edge*> out;
  for (const auto& edge : scope.edges)
    if (edge.from == id) out.push_back(&edge);
  return out;
}

TEST(GraphModel, EveryStateTypeWithStartAndEndMarkers) {
  const Graph graph = build_graph(json::parse(R"({
    "StartAt": "P",
    "States": {
      "P": {"Type": "Pass", "Next": "T"},
      "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "W"},
      "W": {"Type": "Wait", "Seconds": 5, "Next": "C"},
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "S"}],
            "Default": "F"},
      "S": {"Type": "Succeed"},
      "F": {"Type": "Fail", "Error": "Boom"}
    }})"));
  const Scope& root = graph.root;
  ASSERT_EQ(root.nodes.size(), 8u);
  EXPECT_EQ(root.nodes.front().type, "Start");
  EXPECT_EQ(root.nodes.back().type, "End");
  EXPECT_EQ(find_node(root, "T")->detail, "lambda:invoke");
  EXPECT_EQ(find_node(root, "W")->detail, "Seconds 5");
  EXPECT_EQ(find_node(root, "F")->detail, "Boom");
  // Start -> P, and both Succeed and Fail end the machine.
  ASSERT_EQ(edges_from(root, "/#start").size(), 1u);
  EXPECT_EQ(edges_from(root, "/#start")[0]->to, "/P");
  EXPECT_EQ(edges_from(root, "/S")[0]->to, "/#end");
  EXPECT_EQ(edges_from(root, "/F")[0]->to, "/#end");
  const auto choice = edges_from(root, "/C");
  ASSERT_EQ(choice.size(), 2u);
  EXPECT_EQ(choice[0]->kind, EdgeKind::Choice);
  EXPECT_EQ(choice[0]->label, "$.ok == true");
  EXPECT_EQ(choice[1]->kind, EdgeKind::Default);
  EXPECT_EQ(choice[1]->to, "/F");
}

TEST(GraphModel, ChoiceConditionsInBothQueryLanguages) {
  const Graph graph = build_graph(json::parse(R"({
    "StartAt": "C",
    "States": {
      "C": {"Type": "Choice", "Choices": [
        {"And": [{"Variable": "$.n", "NumericGreaterThanEquals": 10},
                 {"Not": {"Variable": "$.s", "StringMatches": "a*"}}], "Next": "A"},
        {"Or": [{"Variable": "$.x", "IsPresent": false},
                {"Variable": "$.t", "TimestampLessThanPath": "$.limit"}], "Next": "A"},
        {"Condition": "{% $states.input.n > 3 %}", "Next": "A"}]},
      "A": {"Type": "Succeed"}
    }})"));
  const auto edges = edges_from(graph.root, "/C");
  ASSERT_EQ(edges.size(), 3u);
  EXPECT_EQ(edges[0]->label, "$.n >= 10 and not ($.s matches \"a*\")");
  EXPECT_EQ(edges[1]->label, "$.x is not present or $.t < $.limit");
  EXPECT_EQ(edges[2]->label, "$states.input.n > 3");
}

TEST(GraphModel, CatchEdgesCarryTheErrorNames) {
  const Graph graph = build_graph(json::parse(R"({
    "StartAt": "T",
    "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
            "Retry": [{"ErrorEquals": ["States.Timeout"]}],
            "Catch": [{"ErrorEquals": ["Oops", "States.TaskFailed"], "Next": "Handle"}],
            "End": true},
      "Handle": {"Type": "Pass", "End": true}
    }})"));
  const auto edges = edges_from(graph.root, "/T");
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0]->to, "/#end");
  EXPECT_EQ(edges[1]->kind, EdgeKind::Catch);
  EXPECT_EQ(edges[1]->label, "Oops, States.TaskFailed");
  EXPECT_EQ(find_node(graph.root, "T")->detail, "function:work · retries");
}

TEST(GraphModel, ParallelBranchesAndMapProcessorsAreNestedScopes) {
  const Graph graph = build_graph(json::parse(R"({
    "StartAt": "Par",
    "States": {
      "Par": {"Type": "Parallel", "Next": "Each", "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 1, "End": true}}}]},
      "Each": {"Type": "Map", "MaxConcurrency": 2, "End": true,
               "ItemProcessor": {"StartAt": "Item", "States": {"Item": {"Type": "Pass", "End": true}}}},
      "Old": {"Type": "Map", "End": true,
              "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}
    }})"));
  const Node* parallel = find_node(graph.root, "Par");
  ASSERT_EQ(parallel->children.size(), 2u);
  EXPECT_EQ(parallel->children[0].label, "Branch 1");
  EXPECT_EQ(parallel->children[1].id, "/Par#1");
  EXPECT_NE(find_node(parallel->children[1], "B"), nullptr);
  EXPECT_EQ(find_node(parallel->children[1], "B")->id, "/Par#1/B");
  const Node* map = find_node(graph.root, "Each");
  ASSERT_EQ(map->children.size(), 1u);
  EXPECT_EQ(map->children[0].label, "Item processor");
  EXPECT_EQ(map->detail, "max concurrency 2");
  EXPECT_EQ(find_node(graph.root, "Old")->children.size(), 1u);
}

TEST(GraphModel, UnknownTargetsAreLeftOutAndBadShapesRefused) {
  const Graph graph = build_graph(
      json::parse(R"({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})"));
  EXPECT_TRUE(edges_from(graph.root, "/A").empty());
  EXPECT_THROW(build_graph(json::parse("[]")), GraphError);
  EXPECT_THROW(build_graph(json::parse(R"({"States": {}})")), GraphError);
  EXPECT_THROW(build_graph(json::parse(R"({"StartAt": "A"})")), GraphError);
  EXPECT_THROW(build_graph(json::parse(R"({"StartAt": "A", "States": {"P": {"Type": "Parallel",
      "Branches": [{"StartAt": "x"}], "End": true}}})")),
               GraphError);
}

TEST(GraphModel, VeryDeepNestingIsRefusedNotRecursedForever) {
  std::string definition = R"({"StartAt":"S","States":{"S":{"Type":"Succeed"}}})";
  for (int i = 0; i < 100; ++i)
    definition = R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":)" +
                 definition + "}}}";
  EXPECT_THROW(build_graph(json::parse(definition)), GraphError);
}

}  // namespace
}  // namespace stepline::graph
