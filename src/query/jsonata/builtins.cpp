#include "query/jsonata/builtins.hpp"

#include <algorithm>
#include <unordered_map>

namespace stepline::jsonata {

int function_arity(const FunctionData& f) {
  return f.arity;
}

Value call_hof(CallContext& ctx, const Value& fn, const Value& a1, const Value& a2,
               const Value& a3) {
  std::vector<Value> args;
  int arity = fn.is_function() ? function_arity(fn.fn()) : 1;
  args.reserve(static_cast<std::size_t>(std::max(arity, 1)));
  args.push_back(a1);
  if (arity >= 2) args.push_back(a2);
  if (arity >= 3) args.push_back(a3);
  return ctx.ev.apply(fn, std::move(args), Value(), ctx.env);
}

std::vector<std::string> code_points(const std::string& s) {
  std::vector<std::string> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >= 0xF0 ? 4 : (c >= 0xE0 ? 3 : (c >= 0xC0 ? 2 : 1)));
    if (i + len > s.size()) len = s.size() - i;
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

const Value* builtin_function(const std::string& name) {
  static const std::unordered_map<std::string, Value> table = [] {
    std::unordered_map<std::string, Value> t;
    for (auto family : {aggregate_functions, string_functions, regex_functions, numeric_functions,
                        collection_functions, higher_order_functions, misc_functions,
                        datetime_functions, format_functions}) {
      for (const auto& spec : family()) {
        auto f = std::make_shared<FunctionData>();
        f->kind = FunctionKind::Native;
        f->name = spec.name;
        f->native = spec.fn;
        f->arity = spec.arity;
        f->signature = std::make_shared<Signature>(parse_signature(spec.signature));
        t[spec.name] = Value::function(std::move(f));
      }
    }
    return t;
  }();
  auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace stepline::jsonata
