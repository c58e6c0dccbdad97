// The built-in function library: each family lives in its own file and contributes a table of
// (name, signature, implementation, arity) entries.
#pragma once

#include "query/jsonata/evaluator.hpp"
#include "query/jsonata/failure.hpp"
#include "query/jsonata/function.hpp"
#include "query/jsonata/helpers.hpp"

#include <vector>

namespace stepline::jsonata {

struct BuiltinSpec {
  const char* name;
  const char* signature;
  NativeFn fn;
  int arity;  // the reference implementation's JavaScript parameter count
};

std::vector<BuiltinSpec> aggregate_functions();
std::vector<BuiltinSpec> string_functions();
std::vector<BuiltinSpec> regex_functions();
std::vector<BuiltinSpec> numeric_functions();
std::vector<BuiltinSpec> collection_functions();
std::vector<BuiltinSpec> higher_order_functions();
std::vector<BuiltinSpec> misc_functions();
std::vector<BuiltinSpec> datetime_functions();
std::vector<BuiltinSpec> format_functions();

// Argument access: missing trailing arguments read as undefined.
inline const Value& arg(const std::vector<Value>& args, std::size_t i) {
  static const Value none;
  return i < args.size() ? args[i] : none;
}

// Calls a callback with (value, index, container) trimmed to the callback's arity.
Value call_hof(CallContext& ctx, const Value& fn, const Value& a1, const Value& a2,
               const Value& a3);

// Deep copy (the reference's JSON.parse(JSON.stringify(x))).
Value clone_value(const Value& v);

// Rounds half to even at `precision` decimal places, as $round does.
double round_half_even(double x, int precision);

// Code points of a UTF-8 string, for $length/$substring/$pad.
std::vector<std::string> code_points(const std::string& s);

}  // namespace stepline::jsonata
