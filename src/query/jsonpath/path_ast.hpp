// The compiled form of a JSONPath: a root and a list of segments, plus the filter expression
// tree used by `[?(...)]`. Shared by the parser and the evaluator.
#pragma once

#include "common/json.hpp"
#include "query/jsonpath/path.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stepline::query::jsonpath {

struct FilterExpr;

struct Segment {
  enum class Kind { Member, Index, Wildcard, Slice, MemberUnion, IndexUnion, Filter };
  Kind kind = Kind::Member;
  bool deep = false;               // preceded by `..`: applies to the node and all its descendants
  std::vector<std::string> names;  // Member (one), MemberUnion
  std::vector<std::int64_t> indexes;  // Index (one), IndexUnion
  std::optional<std::int64_t> slice_start, slice_end;
  std::shared_ptr<const FilterExpr> filter;
};

struct CompiledPath {
  std::string text;
  Root root = Root::Input;
  std::string variable;
  std::vector<Segment> segments;
  bool definite = true;
  bool reference = true;
};

// One side of a filter comparison: a path relative to `@`, a path from `$`, or a literal.
struct FilterOperand {
  enum class Kind { Current, Root, Literal };
  Kind kind = Kind::Literal;
  std::vector<Segment> segments;  // Current / Root
  bool definite = true;
  json::Value literal;
};

struct FilterExpr {
  enum class Kind { Or, And, Not, Exists, Compare };
  enum class Op { Eq, Ne, Lt, Le, Gt, Ge };
  Kind kind = Kind::Exists;
  Op op = Op::Eq;
  std::shared_ptr<const FilterExpr> left, right;  // Or, And, Not (left only)
  FilterOperand a, b;                             // Exists (a), Compare (a op b)
};

// Parses segments from `text` starting at `pos` until the end (or, when `in_filter`, until a
// character that cannot continue a path). Throws SyntaxError. Exposed for filter operands.
std::vector<Segment> parse_segments(std::string_view text, std::size_t& pos, bool in_filter,
                                    int depth);

// Jayway's normalised form of one step, e.g. `['a']` or `[0]`.
std::string normalized_step(const Segment& segment);

}  // namespace stepline::query::jsonpath
