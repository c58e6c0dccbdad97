// Date/time built-ins: $now $millis $fromMillis $toMillis. $now/$millis return the instant the
// evaluation started, fixed for the whole evaluation as in the reference.
#include "query/jsonata/builtins.hpp"
#include "query/jsonata/datetime.hpp"

#include <cmath>

namespace stepline::jsonata {

namespace {

std::optional<std::string> opt_string(const Value& v) {
  if (v.is_string()) return v.str();
  return std::nullopt;
}

Value fn_now(CallContext& ctx, std::vector<Value>& args) {
  return Value::string(format_date_time(static_cast<double>(ctx.ev.now_millis()),
                                        opt_string(arg(args, 0)), opt_string(arg(args, 1))));
}

Value fn_millis(CallContext& ctx, std::vector<Value>&) {
  return Value::number(static_cast<double>(ctx.ev.now_millis()));
}

Value fn_from_millis(CallContext&, std::vector<Value>& args) {
  const Value& v = arg(args, 0);
  if (v.undefined()) return {};
  return Value::string(
      format_date_time(v.as_number(), opt_string(arg(args, 1)), opt_string(arg(args, 2))));
}

Value fn_to_millis(CallContext& ctx, std::vector<Value>& args) {
  const Value& v = arg(args, 0);
  if (v.undefined()) return {};
  if (arg(args, 1).undefined()) {
    auto millis = parse_iso8601(v.str());
    if (!millis) throw Failure("D3110").with_value(v);
    if (std::isnan(*millis)) return Value::null();
    return Value::number(*millis);
  }
  auto millis =
      parse_date_time(v.str(), arg(args, 1).str(), static_cast<double>(ctx.ev.now_millis()));
  if (!millis) return {};
  return Value::number(*millis);
}

}  // namespace

std::vector<BuiltinSpec> datetime_functions() {
  return {
      {"now", "<s?s?:s>", fn_now, 2},
      {"millis", "<:n>", fn_millis, 0},
      {"fromMillis", "<n-s?s?:s>", fn_from_millis, 3},
      {"toMillis", "<s-s?:n>", fn_to_millis, 2},
  };
}

}  // namespace stepline::jsonata
