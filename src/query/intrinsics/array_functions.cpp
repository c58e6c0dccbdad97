// Intrinsics on arrays: Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem,
// ArrayLength, ArrayUnique.
#include "query/intrinsics/call_ast.hpp"

#include <string>

namespace stepline::query::intrinsics {
namespace {

constexpr std::int64_t kMaxRangeLength = 1000;

}  // namespace

json::Value array(std::span<const ArgValue> args, const EvalContext&) {
  json::Array out;
  out.reserve(args.size());
  for (const auto& arg : args) out.push_back(arg.value());
  return out;
}

json::Value array_partition(std::span<const ArgValue> args, const EvalContext&) {
  constexpr std::string_view kName = "States.ArrayPartition";
  const json::Array& input = array_arg(kName, args, 0);
  std::int64_t size = integer_arg(kName, args, 1);
  if (size <= 0)
    fail(kName, "the chunk size must be a positive integer, got " + std::to_string(size));
  json::Array out;
  for (std::size_t i = 0; i < input.size(); i += static_cast<std::size_t>(size)) {
    std::size_t end = std::min(input.size(), i + static_cast<std::size_t>(size));
    out.emplace_back(json::Array(input.begin() + static_cast<std::ptrdiff_t>(i),
                                 input.begin() + static_cast<std::ptrdiff_t>(end)));
  }
  return out;
}

json::Value array_contains(std::span<const ArgValue> args, const EvalContext&) {
  const json::Array& input = array_arg("States.ArrayContains", args, 0);
  const json::Value& needle = args[1].value();
  for (const auto& item : input) {
    if (json::equal(item, needle)) return true;
  }
  return false;
}

json::Value array_range(std::span<const ArgValue> args, const EvalContext&) {
  constexpr std::string_view kName = "States.ArrayRange";
  std::int64_t first = integer_arg(kName, args, 0);
  std::int64_t last = integer_arg(kName, args, 1);
  std::int64_t step = integer_arg(kName, args, 2);
  if (step == 0) fail(kName, "the step must not be 0");
  // Computed in floating point so that extreme bounds cannot overflow.
  double count =
      (static_cast<double>(last) - static_cast<double>(first)) / static_cast<double>(step) + 1;
  if (count > static_cast<double>(kMaxRangeLength))
    fail(kName, "the range would have more than 1000 elements");
  json::Array out;
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(count); ++i)
    out.emplace_back(first + i * step);
  return out;
}

json::Value array_get_item(std::span<const ArgValue> args, const EvalContext&) {
  constexpr std::string_view kName = "States.ArrayGetItem";
  const json::Array& input = array_arg(kName, args, 0);
  std::int64_t index = integer_arg(kName, args, 1);
  if (index < 0 || index >= static_cast<std::int64_t>(input.size()))
    fail(kName, "index " + std::to_string(index) + " is out of bounds for an array of length " +
                    std::to_string(input.size()));
  return input[static_cast<std::size_t>(index)];
}

json::Value array_length(std::span<const ArgValue> args, const EvalContext&) {
  return static_cast<std::int64_t>(array_arg("States.ArrayLength", args, 0).size());
}

json::Value array_unique(std::span<const ArgValue> args, const EvalContext&) {
  const json::Array& input = array_arg("States.ArrayUnique", args, 0);
  json::Array out;
  for (const auto& item : input) {
    bool seen = false;
    for (const auto& kept : out) seen = seen || json::equal(kept, item);
    if (!seen) out.push_back(item);
  }
  return out;
}

}  // namespace stepline::query::intrinsics
