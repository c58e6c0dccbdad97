// The table of intrinsic functions (name, arity, implementation) and the argument checks the
// implementations share.
#include "common/errors.hpp"
#include "query/intrinsics/call_ast.hpp"

#include <cmath>
#include <limits>

namespace stepline::query::intrinsics {
namespace {

constexpr std::size_t kVariadic = std::numeric_limits<std::size_t>::max();

constexpr Function kFunctions[] = {
    {"States.Format", 1, kVariadic, format},
    {"States.StringToJson", 1, 1, string_to_json},
    {"States.JsonToString", 1, 1, json_to_string},
    {"States.Array", 0, kVariadic, array},
    {"States.ArrayPartition", 2, 2, array_partition},
    {"States.ArrayContains", 2, 2, array_contains},
    {"States.ArrayRange", 3, 3, array_range},
    {"States.ArrayGetItem", 2, 2, array_get_item},
    {"States.ArrayLength", 1, 1, array_length},
    {"States.ArrayUnique", 1, 1, array_unique},
    {"States.Base64Encode", 1, 1, base64_encode},
    {"States.Base64Decode", 1, 1, base64_decode},
    {"States.Hash", 2, 2, hash},
    {"States.JsonMerge", 3, 3, json_merge},
    {"States.MathRandom", 2, 3, math_random},
    {"States.MathAdd", 2, 2, math_add},
    {"States.StringSplit", 2, 2, string_split},
    {"States.UUID", 0, 0, uuid},
};

std::string ordinal(std::size_t index) {
  return "argument " + std::to_string(index + 1);
}

}  // namespace

const Function* find_function(std::string_view name) {
  for (const auto& function : kFunctions) {
    if (function.name == name) return &function;
  }
  return nullptr;
}

void fail(std::string_view function, const std::string& detail) {
  throw StatesException(errors::kIntrinsicFailure,
                        "Invalid arguments in " + std::string(function) + ": " + detail);
}

const json::String& string_arg(std::string_view function, std::span<const ArgValue> args,
                               std::size_t index) {
  const auto& v = args[index].value();
  if (!v.is_string()) fail(function, ordinal(index) + " must be a string, got " + json::dump(v));
  return v.get_string();
}

const json::Array& array_arg(std::string_view function, std::span<const ArgValue> args,
                             std::size_t index) {
  const auto& v = args[index].value();
  if (!v.is_array()) fail(function, ordinal(index) + " must be an array, got " + json::dump(v));
  return v.get_array();
}

const json::Object& object_arg(std::string_view function, std::span<const ArgValue> args,
                               std::size_t index) {
  const auto& v = args[index].value();
  if (!v.is_object()) fail(function, ordinal(index) + " must be an object, got " + json::dump(v));
  return v.get_object();
}

double number_arg(std::string_view function, std::span<const ArgValue> args, std::size_t index) {
  double d;
  const auto& v = args[index].value();
  if (!json::as_double(v, d))
    fail(function, ordinal(index) + " must be a number, got " + json::dump(v));
  return d;
}

std::int64_t integer_arg(std::string_view function, std::span<const ArgValue> args,
                         std::size_t index) {
  const auto& v = args[index].value();
  if (v.is_int64()) return v.get_int64();
  double d = number_arg(function, args, index);
  // 2^63 is exactly representable; anything at or beyond it does not fit.
  if (std::trunc(d) != d || d >= 9223372036854775808.0 || d < -9223372036854775808.0)
    fail(function, ordinal(index) + " must be an integer, got " + json::dump(v));
  return static_cast<std::int64_t>(d);
}

}  // namespace stepline::query::intrinsics
