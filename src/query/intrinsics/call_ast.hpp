// The compiled form of an intrinsic call: the function, and its arguments (literals, paths or
// nested calls). Shared by the parser, the evaluator and the function implementations.
#pragma once

#include "common/json.hpp"
#include "query/eval_context.hpp"
#include "query/jsonpath/path.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace stepline::query::intrinsics {

struct CallNode;

struct Argument {
  enum class Kind { Literal, Path, Call };
  Kind kind = Kind::Literal;
  json::Value literal;
  // For string literals: the text between the quotes with escapes still in place, which
  // States.Format needs to tell `\{` from a `{}` placeholder.
  std::optional<std::string> raw_string;
  std::optional<jsonpath::Path> path;
  std::shared_ptr<const CallNode> call;
};

// An evaluated argument: a pointer into a document or literal when possible, else owned.
struct ArgValue {
  const json::Value* node = nullptr;
  json::Value owned;
  const std::string* raw_string = nullptr;  // set for string literals
  const json::Value& value() const { return node ? *node : owned; }
};

using FunctionImpl = json::Value (*)(std::span<const ArgValue> args, const EvalContext& ctx);

struct Function {
  std::string_view name;  // "States.Format"
  std::size_t min_args;
  std::size_t max_args;
  FunctionImpl impl;
};

struct CallNode {
  const Function* function = nullptr;
  std::vector<Argument> args;
};

// nullptr for an unknown name.
const Function* find_function(std::string_view name);

// Helpers shared by the implementations: each throws StatesException(States.IntrinsicFailure).
[[noreturn]] void fail(std::string_view function, const std::string& detail);
const json::String& string_arg(std::string_view function, std::span<const ArgValue> args,
                               std::size_t index);
const json::Array& array_arg(std::string_view function, std::span<const ArgValue> args,
                             std::size_t index);
const json::Object& object_arg(std::string_view function, std::span<const ArgValue> args,
                               std::size_t index);
// A number with no fractional part that fits in int64.
std::int64_t integer_arg(std::string_view function, std::span<const ArgValue> args,
                         std::size_t index);
double number_arg(std::string_view function, std::span<const ArgValue> args, std::size_t index);

// The implementations, grouped by file.
json::Value format(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value string_to_json(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value json_to_string(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value string_split(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value base64_encode(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value base64_decode(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value hash(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value array(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value array_partition(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value array_contains(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value array_range(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value array_get_item(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value array_length(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value array_unique(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value json_merge(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value math_random(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value math_add(std::span<const ArgValue> args, const EvalContext& ctx);
json::Value uuid(std::span<const ArgValue> args, const EvalContext& ctx);

}  // namespace stepline::query::intrinsics
