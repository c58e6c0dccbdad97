// A JSONPath (Jayway dialect, as Step Functions uses it) compiled once from definition text and
// evaluated many times against `$` (state data), `$$` (context object) or `$name` (a variable).
#pragma once

#include "common/json.hpp"
#include "query/eval_context.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace stepline::query::jsonpath {

struct CompiledPath;  // the parsed segments; defined in path_ast.hpp

enum class Root { Input, Context, Variable };

// What evaluating a Path gave. A definite path that matched points into the evaluated document
// (no copy); an indefinite path owns the array of its matches.
struct PathResult {
  enum class Status { Found, Missing, UnknownVariable };
  Status status = Status::Missing;
  const json::Value* node = nullptr;  // Found and definite: the node inside the document
  json::Value matches;                // Found and indefinite: array of all matches (maybe [])
  // Missing: AWS's wording, "No results for path: $['x']" or "Missing property in path $['no']".
  // UnknownVariable: "The variable 'name' is not defined".
  std::string failure;

  bool found() const { return status == Status::Found; }
  // The matched value; only when found().
  const json::Value& value() const { return node ? *node : matches; }
};

class Path {
 public:
  // Paths begin with `$`, `$$` or `$name`. Throws SyntaxError.
  static Path compile(std::string_view text);

  // Only member names and single indexes: no `*`, `..`, `,`, `:`, `?`, `@`.
  bool is_reference() const;
  // Selects at most one node (a Reference Path, also `$[-1]`); others yield arrays.
  bool is_definite() const;
  Root root() const;
  // The variable name for Root::Variable (without `$`), else empty.
  const std::string& variable() const;
  // The text the path was compiled from.
  const std::string& text() const;

  PathResult evaluate(const EvalContext& ctx) const;
  // The node a reference path reaches, without a PathResult: null when the path is not a
  // reference path or reaches nothing (evaluate() then says why). For the hot `.$` fields.
  const json::Value* find(const EvalContext& ctx) const;
  // The value, copied; for InputPath, OutputPath, ItemsPath and the numeric `...Path` fields.
  // Throws StatesException(States.Runtime, "Invalid path '<text>' : <failure>"), AWS's wording,
  // when nothing matches a definite path or the variable is not defined.
  json::Value select(const EvalContext& ctx) const;

  // Evaluates against an explicit document instead of the context's root.
  PathResult evaluate_on(const json::Value& document, const EvalContext& ctx) const;

  // Appends the variable this path reads (if any) to `out`.
  void add_variable_references(std::vector<std::string>& out) const;

  const CompiledPath& compiled() const { return *compiled_; }

 private:
  explicit Path(std::shared_ptr<const CompiledPath> compiled);
  std::shared_ptr<const CompiledPath> compiled_;
};

}  // namespace stepline::query::jsonpath
