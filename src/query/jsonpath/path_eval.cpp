// Evaluates compiled JSONPaths with Jayway's semantics: definite paths return the node itself
// (or Jayway's "not found" wording), indefinite ones collect every match in document order.
#include "common/errors.hpp"
#include "common/json.hpp"
#include "query/jsonpath/path.hpp"
#include "query/jsonpath/path_ast.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace stepline::query::jsonpath {
namespace {

using Nodes = std::vector<const json::Value*>;

const json::Value* member(const json::Value& node, const std::string& name) {
  const auto* object = node.if_object();
  return object ? object->if_contains(name) : nullptr;
}

const json::Value* element(const json::Value& node, std::int64_t index) {
  const auto* array = node.if_array();
  if (!array) return nullptr;
  auto size = static_cast<std::int64_t>(array->size());
  if (index < 0) index += size;
  if (index < 0 || index >= size) return nullptr;
  return &(*array)[static_cast<std::size_t>(index)];
}

// The Java class name Jayway reports for a value it cannot descend into.
std::string java_type(const json::Value& v) {
  switch (v.kind()) {
    case boost::json::kind::string:
      return "java.lang.String";
    case boost::json::kind::bool_:
      return "java.lang.Boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
      return "java.lang.Integer";
    case boost::json::kind::double_:
      return "java.lang.Double";
    case boost::json::kind::array:
      return "net.minidev.json.JSONArray";
    case boost::json::kind::null:
      return "null";
    default:
      return "java.util.LinkedHashMap";
  }
}

struct OperandValue {
  bool found = false;
  const json::Value* node = nullptr;
  json::Value owned;
  const json::Value& value() const { return node ? *node : owned; }
};

void select(const Segment& segment, const json::Value& node, const json::Value& root, Nodes& out);
void collect(const std::vector<Segment>& segments, const json::Value& start,
             const json::Value& root, Nodes& out);

OperandValue resolve(const FilterOperand& operand, const json::Value& current,
                     const json::Value& root) {
  OperandValue result;
  if (operand.kind == FilterOperand::Kind::Literal) {
    result.found = true;
    result.node = &operand.literal;
    return result;
  }
  const json::Value& start = operand.kind == FilterOperand::Kind::Current ? current : root;
  Nodes nodes;
  collect(operand.segments, start, root, nodes);
  if (operand.definite) {
    if (!nodes.empty()) {
      result.found = true;
      result.node = nodes.front();
    }
    return result;
  }
  json::Array array;
  for (const auto* n : nodes) array.push_back(*n);
  result.found = !array.empty();
  result.owned = std::move(array);
  return result;
}

bool compare(const json::Value& a, const json::Value& b, FilterExpr::Op op) {
  if (op == FilterExpr::Op::Eq) return json::equal(a, b);
  if (op == FilterExpr::Op::Ne) return !json::equal(a, b);
  int order;
  double x, y;
  if (json::as_double(a, x) && json::as_double(b, y)) {
    order = x < y ? -1 : (x > y ? 1 : 0);
  } else if (a.is_string() && b.is_string()) {
    int c = std::string_view(a.get_string()).compare(std::string_view(b.get_string()));
    order = c < 0 ? -1 : (c > 0 ? 1 : 0);
  } else {
    return false;
  }
  switch (op) {
    case FilterExpr::Op::Lt:
      return order < 0;
    case FilterExpr::Op::Le:
      return order <= 0;
    case FilterExpr::Op::Gt:
      return order > 0;
    default:
      return order >= 0;
  }
}

bool test(const FilterExpr& expr, const json::Value& current, const json::Value& root) {
  switch (expr.kind) {
    case FilterExpr::Kind::Or:
      return test(*expr.left, current, root) || test(*expr.right, current, root);
    case FilterExpr::Kind::And:
      return test(*expr.left, current, root) && test(*expr.right, current, root);
    case FilterExpr::Kind::Not:
      return !test(*expr.left, current, root);
    case FilterExpr::Kind::Exists:
      return resolve(expr.a, current, root).found;
    case FilterExpr::Kind::Compare: {
      OperandValue a = resolve(expr.a, current, root);
      OperandValue b = resolve(expr.b, current, root);
      if (!a.found || !b.found) return expr.op == FilterExpr::Op::Ne && (a.found || b.found);
      return compare(a.value(), b.value(), expr.op);
    }
  }
  return false;
}

// Applies one selector (ignoring `deep`) to one node.
void select(const Segment& segment, const json::Value& node, const json::Value& root, Nodes& out) {
  switch (segment.kind) {
    case Segment::Kind::Member:
    case Segment::Kind::MemberUnion:
      for (const auto& name : segment.names) {
        if (const auto* child = member(node, name)) out.push_back(child);
      }
      break;
    case Segment::Kind::Index:
    case Segment::Kind::IndexUnion:
      for (auto index : segment.indexes) {
        if (const auto* child = element(node, index)) out.push_back(child);
      }
      break;
    case Segment::Kind::Wildcard:
      if (const auto* object = node.if_object()) {
        for (const auto& entry : *object) out.push_back(&entry.value());
      } else if (const auto* array = node.if_array()) {
        for (const auto& item : *array) out.push_back(&item);
      }
      break;
    case Segment::Kind::Slice: {
      const auto* array = node.if_array();
      if (!array) break;
      auto size = static_cast<std::int64_t>(array->size());
      std::int64_t from = segment.slice_start.value_or(0);
      std::int64_t to = segment.slice_end.value_or(size);
      if (from < 0) from = std::max<std::int64_t>(0, size + from);
      if (to < 0) to = size + to;
      to = std::min(to, size);
      for (auto i = from; i < to; ++i) out.push_back(&(*array)[static_cast<std::size_t>(i)]);
      break;
    }
    case Segment::Kind::Filter:
      if (const auto* array = node.if_array()) {
        for (const auto& item : *array) {
          if (test(*segment.filter, item, root)) out.push_back(&item);
        }
      } else if (node.is_object() && test(*segment.filter, node, root)) {
        out.push_back(&node);
      }
      break;
  }
}

// `..selector`: the selector applied to the node and to every descendant, in pre-order. An
// explicit stack keeps deep documents from exhausting the call stack.
void select_deep(const Segment& segment, const json::Value& node, const json::Value& root,
                 Nodes& out) {
  std::vector<const json::Value*> stack{&node};
  while (!stack.empty()) {
    const json::Value* current = stack.back();
    stack.pop_back();
    select(segment, *current, root, out);
    if (const auto* object = current->if_object()) {
      for (auto it = object->end(); it != object->begin();) {
        --it;
        if (it->value().is_structured()) stack.push_back(&it->value());
      }
    } else if (const auto* array = current->if_array()) {
      for (auto it = array->end(); it != array->begin();) {
        --it;
        if (it->is_structured()) stack.push_back(&*it);
      }
    }
  }
}

void collect(const std::vector<Segment>& segments, const json::Value& start,
             const json::Value& root, Nodes& out) {
  Nodes current{&start};
  Nodes next;
  for (const auto& segment : segments) {
    next.clear();
    for (const auto* node : current) {
      if (segment.deep) {
        select_deep(segment, *node, root, next);
      } else {
        select(segment, *node, root, next);
      }
    }
    current.swap(next);
    if (current.empty()) break;
  }
  out.insert(out.end(), current.begin(), current.end());
}

std::string normalized_prefix(const std::vector<Segment>& segments, std::size_t count) {
  std::string out = "$";
  for (std::size_t i = 0; i < count; ++i) out += normalized_step(segments[i]);
  return out;
}

bool selects_one(const Segment& segment) {
  return !segment.deep &&
         (segment.kind == Segment::Kind::Member || segment.kind == Segment::Kind::Index);
}

// Jayway's errors for a selector applied to the single node a definite prefix reached; empty
// when the selector applies (possibly matching nothing).
std::string upstream_definite_failure(const std::vector<Segment>& segments, std::size_t i,
                                      const json::Value& node) {
  const Segment& segment = segments[i];
  switch (segment.kind) {
    case Segment::Kind::Member:
    case Segment::Kind::MemberUnion:
      if (!node.is_object())
        return "Expected to find an object with property " + normalized_step(segment) +
               " in path " + normalized_prefix(segments, i) + " but found '" + java_type(node) +
               "'";
      if (segment.kind == Segment::Kind::Member && i + 1 < segments.size() &&
          !node.get_object().contains(segment.names.front()))
        return "Missing property in path " + normalized_prefix(segments, i + 1);
      return {};
    case Segment::Kind::Index:
    case Segment::Kind::IndexUnion:
    case Segment::Kind::Slice:
      if (node.is_null()) return "The path " + normalized_prefix(segments, i) + " is null";
      if (!node.is_array())
        return "Filter: " + normalized_step(segment) +
               " can only be applied to arrays. Current context is: " + json::dump(node);
      return {};
    case Segment::Kind::Filter:
      if (!node.is_structured())
        return "Filter: [?] can not be applied to primitives. Current context is: " +
               json::dump(node);
      return {};
    case Segment::Kind::Wildcard:
      return {};
  }
  return {};
}

// A final multi-name selection merges the names present in each object into one object.
json::Value merged_members(const Segment& segment, const json::Value& node) {
  json::Object out;
  for (const auto& name : segment.names) {
    if (const auto* child = member(node, name)) out[name] = *child;
  }
  return out;
}

// A reference path (`$.a.b[0]`) that reaches its node: walked directly, without the node lists
// of the general evaluation. Null when a step misses; the general evaluation then says why.
const json::Value* reach(const CompiledPath& path, const json::Value& document) {
  const json::Value* node = &document;
  for (const Segment& segment : path.segments) {
    if (segment.deep) return nullptr;
    if (segment.kind == Segment::Kind::Member) {
      node = member(*node, segment.names.front());
    } else if (segment.kind == Segment::Kind::Index) {
      node = element(*node, segment.indexes.front());
    } else {
      return nullptr;
    }
    if (!node) return nullptr;
  }
  return node;
}

PathResult evaluate_document(const CompiledPath& path, const json::Value& document) {
  PathResult result;
  if (path.reference) {
    if (const json::Value* node = reach(path, document)) {
      result.status = PathResult::Status::Found;
      result.node = node;
      return result;
    }
  }
  const auto& segments = path.segments;
  Nodes current{&document};
  Nodes next;
  bool upstream_definite = true;
  std::size_t count = segments.size();
  bool merge_last =
      count > 0 && !segments.back().deep && segments.back().kind == Segment::Kind::MemberUnion;
  if (merge_last) --count;  // handled after the loop
  for (std::size_t i = 0; i < count && !current.empty(); ++i) {
    const Segment& segment = segments[i];
    // Jayway's errors apply to definite paths only: AWS returns [] for an indefinite path whose
    // prefix is missing (recorded: `$.item.items[*]` on {} gives []).
    if (path.definite && upstream_definite && !segment.deep) {
      result.failure = upstream_definite_failure(segments, i, *current.front());
      if (!result.failure.empty()) return result;
    }
    next.clear();
    for (const auto* node : current) {
      if (segment.deep) {
        select_deep(segment, *node, document, next);
      } else {
        select(segment, *node, document, next);
      }
    }
    current.swap(next);
    upstream_definite = upstream_definite && selects_one(segment);
  }
  if (merge_last && !current.empty()) {
    const Segment& last = segments.back();
    if (upstream_definite) {
      if (!current.front()->is_object()) {
        result.failure = upstream_definite_failure(segments, count, *current.front());
        return result;
      }
      result.status = PathResult::Status::Found;
      result.matches = merged_members(last, *current.front());
      return result;
    }
    json::Array matches;
    for (const auto* node : current) {
      if (node->is_object()) matches.push_back(merged_members(last, *node));
    }
    result.status = PathResult::Status::Found;
    result.matches = std::move(matches);
    return result;
  }
  if (path.definite) {
    if (current.empty()) {
      result.failure = "No results for path: " + normalized_prefix(segments, segments.size());
      return result;
    }
    result.status = PathResult::Status::Found;
    result.node = current.front();
    return result;
  }
  json::Array matches;
  matches.reserve(current.size());
  for (const auto* node : current) matches.push_back(*node);
  result.status = PathResult::Status::Found;
  result.matches = std::move(matches);
  return result;
}

// Whether a `$$` path may reach `$$.Execution.Input` (or a node holding it): only then must a
// lazily built context object include the execution input.
bool reads_execution_input(const CompiledPath& path) {
  const auto& segments = path.segments;
  // A filter may compare against any node from the root.
  for (const auto& segment : segments) {
    if (segment.kind == Segment::Kind::Filter) return true;
  }
  auto plain_member = [&](std::size_t i) {
    return i < segments.size() && segments[i].kind == Segment::Kind::Member && !segments[i].deep;
  };
  if (!plain_member(0)) return true;
  if (segments[0].names.front() != "Execution") return false;
  if (!plain_member(1)) return true;
  return segments[1].names.front() == "Input";
}

}  // namespace

PathResult Path::evaluate_on(const json::Value& document, const EvalContext&) const {
  return evaluate_document(*compiled_, document);
}

namespace {

// The document a path is evaluated against: `$`, the context object (built from the context
// source as far as the path needs it) or the variable; null when absent.
const json::Value* root_document(const CompiledPath& path, const EvalContext& ctx) {
  switch (path.root) {
    case Root::Input:
      return ctx.input;
    case Root::Context: {
      if (ctx.context || !ctx.context_source) return ctx.context;
      const auto& segments = path.segments;
      const bool member_first = !segments.empty() && !segments.front().deep &&
                                segments.front().kind == Segment::Kind::Member;
      return &ctx.context_source->value_for(
          member_first ? std::string_view(segments.front().names.front()) : std::string_view(),
          reads_execution_input(path));
    }
    case Root::Variable:
      return ctx.variables ? ctx.variables->find(path.variable) : nullptr;
  }
  return nullptr;
}

}  // namespace

PathResult Path::evaluate(const EvalContext& ctx) const {
  const json::Value* document = root_document(*compiled_, ctx);
  if (!document && compiled_->root == Root::Variable) {
    PathResult result;
    result.status = PathResult::Status::UnknownVariable;
    result.failure = "The variable '" + compiled_->variable + "' is not defined";
    return result;
  }
  if (!document) {
    static const json::Value kNull;
    PathResult result;
    result.failure = "No results for path: $";
    if (compiled_->segments.empty()) return result;
    return evaluate_on(kNull, ctx);
  }
  return evaluate_on(*document, ctx);
}

const json::Value* Path::find(const EvalContext& ctx) const {
  if (!compiled_->reference) return nullptr;
  const json::Value* document = root_document(*compiled_, ctx);
  return document ? reach(*compiled_, *document) : nullptr;
}

json::Value Path::select(const EvalContext& ctx) const {
  PathResult result = evaluate(ctx);
  if (!result.found())
    throw StatesException(errors::kRuntime,
                          "Invalid path '" + compiled_->text + "' : " + result.failure);
  if (result.node) return *result.node;
  return std::move(result.matches);
}

}  // namespace stepline::query::jsonpath
