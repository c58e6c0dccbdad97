// A state machine definition as a drawable graph: one Scope per `States` block (the top level,
// each Parallel branch, each Map item processor), with Start/End markers and typed edges (Next,
// Choice rules with their conditions, Default, Catch). Shared by `stepline graph` renderers.
#pragma once

#include "common/json.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace stepline::graph {

// The definition is not shaped like a state machine (not an object, no States, ...).
class GraphError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class EdgeKind { Next, Choice, Default, Catch };

struct Edge {
  std::string from;  // node ids within the same scope
  std::string to;
  EdgeKind kind = EdgeKind::Next;
  std::string label;  // Choice: the condition; Catch: the error names
};

struct Scope;

struct Node {
  std::string id;      // unique in the whole graph: the scope path and the state name
  std::string name;    // the state name, or "Start" / "End" for the markers
  std::string type;    // Task, Pass, Choice, Wait, Succeed, Fail, Parallel, Map, Start, End
  std::string detail;  // one short line: a Task's resource, a Wait's duration, retries...
  std::vector<Scope> children;  // Parallel: one per branch; Map: the item processor
  bool is_marker() const { return type == "Start" || type == "End"; }
};

struct Scope {
  std::string id;           // "" for the top level
  std::string label;        // "Branch 1", "Item processor"
  std::vector<Node> nodes;  // Start first, then states in definition order, then End
  std::vector<Edge> edges;
};

struct Graph {
  Scope root;
};

// Builds the graph of a definition; transitions to unknown states are left out, so any
// definition that has `StartAt` and `States` can be drawn (validation is a separate step).
Graph build_graph(const json::Value& definition);

}  // namespace stepline::graph
