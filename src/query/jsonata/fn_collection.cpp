// Array and object built-ins: $append $reverse $distinct $shuffle $zip $keys $lookup $spread
// $merge $exists $boolean $not $type $clone.
#include "query/jsonata/builtins.hpp"

#include <algorithm>
#include <random>
#include <unordered_set>

namespace stepline::jsonata {

namespace {

Value fn_append(CallContext&, std::vector<Value>& args) {
  return append_values(arg(args, 0), arg(args, 1));
}

Value fn_reverse(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  if (a.arr().size() <= 1) return a;
  Value out = make_array(a.arr().items);
  std::reverse(out.arr().items.begin(), out.arr().items.end());
  return out;
}

Value fn_distinct(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  if (!a.is_array() || a.arr().size() <= 1) return a;
  Value out = is_sequence(a) ? make_sequence() : make_array();
  auto& items = out.arr().items;
  std::unordered_set<std::string> seen_strings;
  std::unordered_set<double> seen_numbers;
  for (const auto& v : a.arr().items) {
    if (v.is_string()) {
      if (seen_strings.insert(v.str()).second) items.push_back(v);
      continue;
    }
    if (v.is_number()) {
      if (seen_numbers.insert(v.as_number()).second) items.push_back(v);
      continue;
    }
    bool found = false;
    for (const auto& r : items)
      if (deep_equal(v, r)) {
        found = true;
        break;
      }
    if (!found) items.push_back(v);
  }
  return out;
}

Value fn_shuffle(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  if (a.arr().size() <= 1) return a;
  Value out = make_array(a.arr().items);
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  std::shuffle(out.arr().items.begin(), out.arr().items.end(), gen);
  return out;
}

Value fn_zip(CallContext&, std::vector<Value>& args) {
  Value out = make_array();
  std::size_t length = args.empty() ? 0 : SIZE_MAX;
  for (const auto& a : args)
    length = std::min(length, a.is_array() ? a.arr().size() : std::size_t{0});
  for (std::size_t i = 0; i < length; ++i) {
    Value tuple = make_array();
    for (const auto& a : args) tuple.arr().items.push_back(a.arr().items[i]);
    out.arr().items.push_back(tuple);
  }
  return out;
}

void collect_keys(const Value& v, std::vector<std::string>& keys,
                  std::unordered_set<std::string>& seen) {
  if (v.is_array()) {
    for (const auto& item : v.arr().items) collect_keys(item, keys, seen);
  } else if (v.is_object()) {
    for (const auto& [k, val] : v.obj().entries)
      if (seen.insert(k).second) keys.push_back(k);
  }
}

Value fn_keys(CallContext&, std::vector<Value>& args) {
  std::vector<std::string> keys;
  std::unordered_set<std::string> seen;
  collect_keys(arg(args, 0), keys, seen);
  Value out = make_sequence();
  for (auto& k : keys) out.arr().items.push_back(Value::string(std::move(k)));
  return out;
}

Value lookup(const Value& input, const std::string& key) {
  if (input.is_array()) {
    Value seq = make_sequence();
    for (const auto& item : input.arr().items) {
      Value res = lookup(item, key);
      push_flat(seq.arr(), res);
    }
    return seq;
  }
  if (input.is_object()) {
    const Value* v = input.obj().find(key);
    return v ? *v : Value();
  }
  return {};
}

Value fn_lookup(CallContext&, std::vector<Value>& args) {
  return lookup(arg(args, 0), arg(args, 1).str());
}

Value spread(const Value& v) {
  if (v.is_array()) {
    Value result = make_sequence();
    for (const auto& item : v.arr().items) result = append_values(result, spread(item));
    return result;
  }
  if (v.is_object()) {
    Value result = make_sequence();
    for (const auto& [k, val] : v.obj().entries) {
      Value o = make_object();
      o.obj().set(k, val);
      result.arr().items.push_back(o);
    }
    return result;
  }
  return v;
}

Value fn_spread(CallContext&, std::vector<Value>& args) {
  return spread(arg(args, 0));
}

Value fn_merge(CallContext&, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  Value out = make_object();
  for (const auto& o : a.arr().items)
    if (o.is_object())
      for (const auto& [k, v] : o.obj().entries) out.obj().set(k, v);
  return out;
}

Value fn_exists(CallContext&, std::vector<Value>& args) {
  return Value::boolean(!arg(args, 0).undefined());
}

Value fn_boolean(CallContext&, std::vector<Value>& args) {
  auto b = effective_boolean(arg(args, 0));
  return b ? Value::boolean(*b) : Value();
}

Value fn_not(CallContext&, std::vector<Value>& args) {
  auto b = effective_boolean(arg(args, 0));
  return b ? Value::boolean(!*b) : Value();
}

Value fn_type(CallContext&, std::vector<Value>& args) {
  const Value& v = arg(args, 0);
  switch (v.type()) {
    case Type::Undefined:
      return {};
    case Type::Null:
      return Value::string("null");
    case Type::Number:
      return Value::string("number");
    case Type::String:
      return Value::string("string");
    case Type::Bool:
      return Value::string("boolean");
    case Type::Array:
      return Value::string("array");
    case Type::Function:
      return Value::string("function");
    case Type::Object:
      return Value::string("object");
  }
  return {};
}

Value fn_clone(CallContext&, std::vector<Value>& args) {
  const Value& v = arg(args, 0);
  if (v.undefined()) return {};
  return clone_value(v);
}

}  // namespace

std::vector<BuiltinSpec> collection_functions() {
  return {
      {"append", "<xx:a>", fn_append, 2},
      {"reverse", "<a:a>", fn_reverse, 1},
      {"distinct", "<x:x>", fn_distinct, 1},
      {"shuffle", "<a:a>", fn_shuffle, 1},
      {"zip", "<a+>", fn_zip, 0},
      {"keys", "<x-:a<s>>", fn_keys, 1},
      {"lookup", "<x-s:x>", fn_lookup, 2},
      {"spread", "<x-:a<o>>", fn_spread, 1},
      {"merge", "<a<o>:o>", fn_merge, 1},
      {"exists", "<x:b>", fn_exists, 1},
      {"boolean", "<x-:b>", fn_boolean, 1},
      {"not", "<x-:b>", fn_not, 1},
      {"type", "<x:s>", fn_type, 1},
      {"clone", "<(oa)-:o>", fn_clone, 1},
  };
}

}  // namespace stepline::jsonata
