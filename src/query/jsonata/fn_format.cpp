// Picture-driven formatting built-ins: $formatNumber, $formatInteger, $parseInteger.
#include "query/jsonata/builtins.hpp"
#include "query/jsonata/format_number.hpp"
#include "query/jsonata/integer_picture.hpp"

#include <cmath>

namespace stepline::jsonata {

namespace {

Value fn_format_number(CallContext&, std::vector<Value>& args) {
  const Value& v = arg(args, 0);
  if (v.undefined()) return {};
  std::map<std::string, std::string> options;
  if (arg(args, 2).is_object())
    for (const auto& [k, o] : arg(args, 2).obj().entries)
      if (o.is_string()) options[k] = o.str();
  return Value::string(format_number(v.as_number(), arg(args, 1).str(), options));
}

Value fn_format_integer(CallContext&, std::vector<Value>& args) {
  const Value& v = arg(args, 0);
  if (v.undefined()) return {};
  return Value::string(
      format_integer(std::floor(v.as_number()), analyse_integer_picture(arg(args, 1).str())));
}

Value fn_parse_integer(CallContext&, std::vector<Value>& args) {
  const Value& v = arg(args, 0);
  if (v.undefined()) return {};
  IntegerPicture picture = analyse_integer_picture(arg(args, 1).str());
  integer_regex(picture);  // raises D3130 for unsupported numbering sequences
  return Value::number(parse_integer_text(v.str(), picture));
}

}  // namespace

std::vector<BuiltinSpec> format_functions() {
  return {
      {"formatNumber", "<n-so?:s>", fn_format_number, 3},
      {"formatInteger", "<n-s:s>", fn_format_integer, 2},
      {"parseInteger", "<s-s:n>", fn_parse_integer, 2},
  };
}

}  // namespace stepline::jsonata
