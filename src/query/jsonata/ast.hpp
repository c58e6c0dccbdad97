// The syntax tree: one node type for both the raw parse and the processed form the evaluator
// walks (paths flattened into steps, predicates into stages, parent slots resolved).
#pragma once

#include "query/jsonata/signature.hpp"
#include "query/jsonata/value.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stepline::jsonata {

enum class NodeType {
  Path,
  Binary,
  Negate,
  ArrayCons,
  ObjectCons,
  Name,
  String,
  Number,
  Literal,
  Wildcard,
  Descendant,
  Parent,
  Condition,
  Coalesce,
  Elvis,
  Block,
  Bind,
  Regex,
  Function,
  Partial,
  Placeholder,
  Variable,
  Lambda,
  Apply,
  Transform,
  Sort,
  Operator,
  GroupBy,
  OrderBy,
  Predicate,
  FocusBind,
  IndexBind,
  End
};

// A `%` reference waiting to be tied to the step that supplies its value.
struct Slot {
  std::string label;
  int level = 1;
  int index = 0;
};

struct Node;
class Regex;

struct Stage {
  bool is_index = false;  // `#$i` inside a predicate chain, else a filter
  Node* expr = nullptr;
  std::string index_var;
  int position = 0;
};

struct SortTerm {
  bool descending = false;
  Node* expr = nullptr;
};

struct Group {
  std::vector<std::pair<Node*, Node*>> pairs;
  int position = 0;
};

struct Node {
  NodeType type = NodeType::End;
  int position = 0;
  std::string value;  // operator, name, variable name, string literal
  double number = 0;
  Value literal;  // true/false/null and string literals
  Node* lhs = nullptr;
  Node* rhs = nullptr;
  Node* expression = nullptr;
  Node* condition = nullptr;
  Node* then = nullptr;
  Node* otherwise = nullptr;
  Node* procedure = nullptr;
  Node* body = nullptr;
  Node* pattern = nullptr;
  Node* update = nullptr;
  Node* remove = nullptr;
  std::vector<Node*> items;  // array items, block expressions, path steps, call arguments
  std::vector<std::pair<Node*, Node*>> pairs;
  std::vector<SortTerm> terms;
  std::vector<std::string> params;
  std::shared_ptr<Signature> signature;
  std::vector<Stage> predicate;
  std::vector<Stage> stages;
  bool has_stages = false;
  std::optional<Group> group;
  std::string regex_pattern, regex_flags;
  std::shared_ptr<Regex> regex;
  std::string focus;
  std::string index_var;
  const Value* builtin = nullptr;  // Variable: the built-in of that name, resolved at compile time
  Slot* slot = nullptr;
  Slot* ancestor = nullptr;
  std::vector<Slot*> seeking_parent;
  bool seeking = false;
  bool keep_array = false;
  bool keep_singleton_array = false;
  bool cons_array = false;
  bool tuple = false;
  bool thunk = false;
};

}  // namespace stepline::jsonata
