// Intrinsics that compute or generate values: MathAdd, MathRandom, UUID, JsonMerge.
#include "common/ids.hpp"
#include "query/intrinsics/call_ast.hpp"

#include <cmath>
#include <random>
#include <string>

namespace stepline::query::intrinsics {
namespace {

// Java's Math.round: half-way values go toward positive infinity (-1.5 -> -1, 2.5 -> 3).
std::int64_t java_round(std::string_view function, double d) {
  double rounded = std::floor(d + 0.5);
  if (!(rounded >= -9007199254740992.0 && rounded <= 9007199254740992.0))
    fail(function, "the number " + json::format_double(d) + " is out of range");
  return static_cast<std::int64_t>(rounded);
}

std::int64_t truncated(std::string_view function, double d) {
  if (!(d >= -9007199254740992.0 && d <= 9007199254740992.0))
    fail(function, "the number " + json::format_double(d) + " is out of range");
  return static_cast<std::int64_t>(std::trunc(d));
}

IdSource& fallback_ids() {
  static RandomIdSource ids;
  return ids;
}

}  // namespace

json::Value math_add(std::span<const ArgValue> args, const EvalContext&) {
  constexpr std::string_view kName = "States.MathAdd";
  std::int64_t a = java_round(kName, number_arg(kName, args, 0));
  std::int64_t b = java_round(kName, number_arg(kName, args, 1));
  return a + b;
}

json::Value math_random(std::span<const ArgValue> args, const EvalContext& ctx) {
  constexpr std::string_view kName = "States.MathRandom";
  std::int64_t start = truncated(kName, number_arg(kName, args, 0));
  std::int64_t end = truncated(kName, number_arg(kName, args, 1));
  // AWS documents the start as inclusive and the end as exclusive.
  if (start >= end) fail(kName, "the start must be less than the end");
  auto span = static_cast<std::uint64_t>(end - start);
  std::uint64_t offset;
  if (args.size() == 3) {
    std::int64_t seed = truncated(kName, number_arg(kName, args, 2));
    std::mt19937_64 engine(static_cast<std::uint64_t>(seed));
    offset = engine() % span;
  } else {
    IdSource& ids = ctx.ids ? *ctx.ids : fallback_ids();
    offset = static_cast<std::uint64_t>(ids.uniform() * static_cast<double>(span));
    if (offset >= span) offset = span - 1;
  }
  return start + static_cast<std::int64_t>(offset);
}

json::Value uuid(std::span<const ArgValue>, const EvalContext& ctx) {
  IdSource& ids = ctx.ids ? *ctx.ids : fallback_ids();
  return json::String(ids.uuid());
}

json::Value json_merge(std::span<const ArgValue> args, const EvalContext&) {
  constexpr std::string_view kName = "States.JsonMerge";
  const json::Object& left = object_arg(kName, args, 0);
  const json::Object& right = object_arg(kName, args, 1);
  const json::Value& deep = args[2].value();
  if (!deep.is_bool()) fail(kName, "the third argument must be a boolean, got " + json::dump(deep));
  if (deep.get_bool())
    fail(kName,
         "Currently, Step Functions only supports the shallow merging mode; therefore, you must "
         "specify the boolean value as false.");
  json::Object out = left;
  for (const auto& entry : right) out[entry.key()] = entry.value();
  return out;
}

}  // namespace stepline::query::intrinsics
