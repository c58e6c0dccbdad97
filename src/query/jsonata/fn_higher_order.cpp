// Built-ins taking functions, plus those that raise errors or evaluate text: $map $filter
// $single $reduce $sift $each $sort $error $assert $eval.
#include "query/jsonata/builtins.hpp"
#include "query/jsonata/program.hpp"

#include <cmath>

namespace stepline::jsonata {

namespace {

Value index_value(std::size_t i) {
  return Value::number(static_cast<double>(i));
}

Value fn_map(CallContext& ctx, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  Value result = make_sequence();
  const auto& items = a.arr().items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Value res = call_hof(ctx, arg(args, 1), items[i], index_value(i), a);
    if (!res.undefined()) result.arr().items.push_back(std::move(res));
  }
  return result;
}

Value fn_filter(CallContext& ctx, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  Value result = make_sequence();
  const auto& items = a.arr().items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    Value res = call_hof(ctx, arg(args, 1), items[i], index_value(i), a);
    if (boolize(res)) result.arr().items.push_back(items[i]);
  }
  return result;
}

Value fn_single(CallContext& ctx, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  bool found = false;
  Value result;
  const auto& items = a.arr().items;
  for (std::size_t i = 0; i < items.size(); ++i) {
    bool positive = true;
    if (!arg(args, 1).undefined())
      positive = boolize(call_hof(ctx, arg(args, 1), items[i], index_value(i), a));
    if (positive) {
      if (found) {
        Failure f("D3138");
        f.index = static_cast<int>(i);
        throw f;
      }
      result = items[i];
      found = true;
    }
  }
  if (!found) throw Failure("D3139");
  return result;
}

Value fn_reduce(CallContext& ctx, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  const Value& fn = arg(args, 1);
  int arity = function_arity(fn.fn());
  if (arity < 2) {
    Failure f("D3050");
    f.index = 1;
    throw f;
  }
  const auto& items = a.arr().items;
  Value result;
  std::size_t index;
  if (arg(args, 2).undefined() && !items.empty()) {
    result = items[0];
    index = 1;
  } else {
    result = arg(args, 2);
    index = 0;
  }
  for (; index < items.size(); ++index) {
    std::vector<Value> call{result, items[index]};
    if (arity >= 3) call.push_back(index_value(index));
    if (arity >= 4) call.push_back(a);
    result = ctx.ev.apply(fn, std::move(call), Value(), ctx.env);
  }
  return result;
}

Value fn_sift(CallContext& ctx, std::vector<Value>& args) {
  const Value& o = arg(args, 0);
  if (!o.is_object()) return {};
  Value result = make_object();
  for (const auto& [k, v] : o.obj().entries) {
    Value res = call_hof(ctx, arg(args, 1), v, Value::string(k), o);
    if (boolize(res)) result.obj().set(k, v);
  }
  if (result.obj().size() == 0) return {};
  return result;
}

Value fn_each(CallContext& ctx, std::vector<Value>& args) {
  const Value& o = arg(args, 0);
  Value result = make_sequence();
  if (!o.is_object()) return result;
  for (const auto& [k, v] : o.obj().entries) {
    Value res = call_hof(ctx, arg(args, 1), v, Value::string(k), o);
    if (!res.undefined()) result.arr().items.push_back(std::move(res));
  }
  return result;
}

// JavaScript truthiness of a comparator's result.
bool js_truthy(const Value& v) {
  switch (v.type()) {
    case Type::Undefined:
    case Type::Null:
      return false;
    case Type::Bool:
      return v.as_bool();
    case Type::Number:
      return v.as_number() != 0 && !std::isnan(v.as_number());
    case Type::String:
      return !v.str().empty();
    default:
      return true;
  }
}

Value fn_sort(CallContext& ctx, std::vector<Value>& args) {
  const Value& a = arg(args, 0);
  if (a.undefined()) return {};
  if (a.arr().size() <= 1) return a;
  const Value& comparator = arg(args, 1);
  const auto& items = a.arr().items;
  std::function<bool(const Value&, const Value&)> swap;
  if (comparator.undefined()) {
    bool numbers = is_array_of_numbers(a);
    if (!numbers && !is_array_of_strings(a)) {
      Failure f("D3070");
      f.index = 1;
      throw f;
    }
    if (numbers)
      swap = [](const Value& x, const Value& y) { return x.as_number() > y.as_number(); };
    else
      swap = [](const Value& x, const Value& y) { return x.str() > y.str(); };
  } else {
    swap = [&](const Value& x, const Value& y) {
      return js_truthy(ctx.ev.apply(comparator, {x, y}, Value(), ctx.env));
    };
  }
  std::vector<Value> order = items;
  std::vector<Value> buffer(order.size());
  const std::size_t n = order.size();
  for (std::size_t width = 1; width < n; width *= 2) {
    for (std::size_t lo = 0; lo < n; lo += 2 * width) {
      std::size_t mid = std::min(lo + width, n), hi = std::min(lo + 2 * width, n);
      std::size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) buffer[k++] = swap(order[i], order[j]) ? order[j++] : order[i++];
      while (i < mid) buffer[k++] = order[i++];
      while (j < hi) buffer[k++] = order[j++];
    }
    order.swap(buffer);
  }
  return make_array(std::move(order));
}

Value fn_error(CallContext&, std::vector<Value>& args) {
  Failure f("D3137");
  f.message = arg(args, 0).is_string() && !arg(args, 0).str().empty()
                  ? arg(args, 0).str()
                  : "$error() function evaluated";
  throw f;
}

Value fn_assert(CallContext&, std::vector<Value>& args) {
  if (!arg(args, 0).as_bool()) {
    Failure f("D3141");
    f.message = arg(args, 1).is_string() && !arg(args, 1).str().empty()
                    ? arg(args, 1).str()
                    : "$assert() statement failed";
    throw f;
  }
  return {};
}

Value fn_eval(CallContext& ctx, std::vector<Value>& args) {
  const Value& text = arg(args, 0);
  if (text.undefined()) return {};
  Value input = ctx.input;
  if (!arg(args, 1).undefined()) {
    input = arg(args, 1);
    if (input.is_array() && !input.arr().sequence) {
      input = make_sequence(input);
      input.arr().outer_wrapper = true;
    }
  }
  try {
    return ctx.ev.eval_text(text.str(), input, ctx.env);
  } catch (Failure& f) {
    if (f.code.size() > 1 && f.code[0] == 'S') {
      Failure g("D3120");
      g.with_value(Value::string(f.code));
      throw g;
    }
    Failure g("D3121");
    g.with_value(Value::string(f.code));
    throw g;
  }
}

}  // namespace

std::vector<BuiltinSpec> higher_order_functions() {
  return {
      {"map", "<af>", fn_map, 2},        {"filter", "<af>", fn_filter, 2},
      {"single", "<af?>", fn_single, 2}, {"reduce", "<afj?:j>", fn_reduce, 3},
      {"sift", "<o-f?:o>", fn_sift, 2},  {"each", "<o-f:a>", fn_each, 2},
      {"sort", "<af?:a>", fn_sort, 2},
  };
}

std::vector<BuiltinSpec> misc_functions() {
  return {
      {"error", "<s?:x>", fn_error, 1},
      {"assert", "<bs?:x>", fn_assert, 2},
      {"eval", "<sx?:x>", fn_eval, 2},
  };
}

}  // namespace stepline::jsonata
