// A compiled expression: the processed syntax tree and the storage that owns its nodes.
#pragma once

#include "query/jsonata/ast.hpp"

#include <deque>
#include <string_view>

namespace stepline::jsonata {

struct Program {
  std::deque<Node> nodes;
  std::deque<Slot> slots;
  std::vector<Node*> ancestry;  // parent (`%`) nodes in creation order
  Node* root = nullptr;

  Node* make(NodeType type, int position) {
    Node& node = nodes.emplace_back();
    node.type = type;
    node.position = position;
    return &node;
  }
};

// Parses and processes `source` into `program`; throws Failure (S0xxx) on syntax errors.
void parse_program(std::string_view source, Program& program);

// The reference's post-parse pass: flattens paths, attaches predicates/stages, resolves `%`.
Node* process_ast(Program& program, Node* expr);

}  // namespace stepline::jsonata
