// Core of the evaluator: dispatch, paths, steps, tuple streams, predicates, grouping, sorting.
#include "query/jsonata/evaluator.hpp"

#include "query/jsonata/failure.hpp"
#include "query/jsonata/helpers.hpp"
#include "query/jsonata/program.hpp"

#include <cmath>
#include <unordered_map>

namespace stepline::jsonata {

namespace {

// Hard ceilings so that unlimited evaluations fail cleanly (U1001) instead of exhausting the
// C++ stack: a nesting depth, and the bytes of machine stack an evaluation may use (frames are
// several times larger in sanitizer builds, so the byte budget is what protects those).
constexpr int kSafetyDepth = 10000;
constexpr std::ptrdiff_t kStackBudget = 6 << 20;

Value lookup_field(const Value& input, const std::string& key) {
  if (input.is_array()) {
    Value seq = make_sequence();
    auto& out = seq.arr().items;
    for (const auto& item : input.arr().items) {
      Value res = lookup_field(item, key);
      if (res.undefined()) continue;
      if (res.is_array())
        out.insert(out.end(), res.arr().items.begin(), res.arr().items.end());
      else
        out.push_back(std::move(res));
    }
    return seq;
  }
  if (input.is_object()) {
    const Value* v = input.obj().find(key);
    return v ? *v : Value();
  }
  return {};
}

void recurse_descendants(const Value& input, std::vector<Value>& out) {
  if (!input.is_array()) out.push_back(input);
  if (input.is_array()) {
    for (const auto& item : input.arr().items) recurse_descendants(item, out);
  } else if (input.is_object()) {
    for (const auto& [k, v] : input.obj().entries) recurse_descendants(v, out);
  }
}

const Value& tuple_focus(const Value& tuple) {
  static const Value none;
  if (!tuple.is_object()) return none;
  const Value* v = tuple.obj().find("@");
  return v ? *v : none;
}

Value copy_object(const Value& v) {
  auto o = std::make_shared<ObjectData>(v.obj());
  return Value::object(std::move(o));
}

}  // namespace

Evaluator::Evaluator(const FunctionTable& functions, EvalLimits limits, std::int64_t now_millis)
    : functions_(functions), limits_(limits), now_millis_(now_millis) {}

Frame* Evaluator::new_frame(Frame* parent) {
  frames_.push_back(Frame{parent, {}});
  return &frames_.back();
}

void Evaluator::enter() {
  ++depth_;
  int max = limits_.max_depth > 0 ? limits_.max_depth : kSafetyDepth;
  char probe = 0;
  bool stack_exhausted = stack_base_ && stack_base_ - &probe > kStackBudget;
  if (depth_ > max || stack_exhausted) {
    Failure f("U1001");
    f.message =
        "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting "
        "as tail-recursive.";
    throw f;
  }
  if (limits_.time_limit_ms > 0) {
    auto elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
            .count();
    if (elapsed > limits_.time_limit_ms) {
      Failure f("U1001");
      f.message = "Expression evaluation timeout: Check for infinite loop";
      throw f;
    }
  }
}

void Evaluator::leave() {
  --depth_;
}

Value Evaluator::run(const Node* root, Value input,
                     const std::vector<std::pair<std::string, Value>>& bindings) {
  started_ = std::chrono::steady_clock::now();
  char probe = 0;
  stack_base_ = &probe;
  Frame* global = new_frame(nullptr);
  for (const auto& [k, v] : bindings) global->bind(k, v);
  global->bind("$", input);
  Value in = input;
  if (input.is_array() && !input.arr().sequence) {
    in = make_sequence(input);
    in.arr().outer_wrapper = true;
  }
  return evaluate(root, in, global);
}

Value Evaluator::lookup_variable(const std::string& name, Frame* env) const {
  if (const Value* v = env->lookup(name)) return *v;
  auto it = functions_.extra.find(name);
  if (it != functions_.extra.end()) return it->second;
  if (name == "eval" && !functions_.allow_eval) return {};
  if (const Value* f = builtin_function(name)) return *f;
  return {};
}

Value Evaluator::lookup_variable(const Node* variable, Frame* env) const {
  if (!variable->builtin || !functions_.extra.empty() || !functions_.allow_eval)
    return lookup_variable(variable->value, env);
  if (const Value* v = env->lookup(variable->value)) return *v;
  return *variable->builtin;
}

Frame* Evaluator::frame_from_tuple(Frame* env, const Value& tuple) {
  Frame* f = new_frame(env);
  if (!tuple.is_object()) return f;
  for (const auto& [k, v] : tuple.obj().entries) f->vars.emplace_back(k, v);
  return f;
}

Value Evaluator::evaluate(const Node* expr, const Value& input, Frame* env) {
  enter();
  Value result;
  switch (expr->type) {
    case NodeType::Path:
      result = eval_path(expr, input, env);
      break;
    case NodeType::Binary:
      result = eval_binary(expr, input, env);
      break;
    case NodeType::Negate:
      result = eval_negate(expr, input, env);
      break;
    case NodeType::ArrayCons:
      result = eval_array(expr, input, env);
      break;
    case NodeType::ObjectCons: {
      result = eval_group(expr->pairs, expr->position, input, env);
      break;
    }
    case NodeType::Name:
      result = lookup_field(input, expr->value);
      break;
    case NodeType::String:
    case NodeType::Literal:
      result = expr->literal;
      break;
    case NodeType::Number:
      result = Value::number(expr->number);
      break;
    case NodeType::Wildcard: {
      Value results = make_sequence();
      const Value* in = &input;
      if (input.is_array() && input.arr().outer_wrapper && input.arr().size() > 0)
        in = &input.arr().items[0];
      if (in->is_array()) {
        for (const auto& v : in->arr().items) {
          if (v.is_array()) {
            flatten_into(v, results.arr().items);
            results.arr().sequence = false;
          } else {
            results.arr().items.push_back(v);
          }
        }
      } else if (in->is_object()) {
        for (const auto& [k, v] : in->obj().entries) {
          if (v.is_array()) {
            flatten_into(v, results.arr().items);
            results.arr().sequence = false;
          } else {
            results.arr().items.push_back(v);
          }
        }
      }
      result = results;
      break;
    }
    case NodeType::Descendant: {
      if (!input.undefined()) {
        Value seq = make_sequence();
        recurse_descendants(input, seq.arr().items);
        result = seq.arr().size() == 1 ? seq.arr().items[0] : seq;
      }
      break;
    }
    case NodeType::Parent: {
      const Value* v = env->lookup(expr->slot->label);
      if (v) result = *v;
      break;
    }
    case NodeType::Condition: {
      Value cond = evaluate(expr->condition, input, env);
      if (boolize(cond))
        result = evaluate(expr->then, input, env);
      else if (expr->otherwise)
        result = evaluate(expr->otherwise, input, env);
      break;
    }
    case NodeType::Coalesce: {
      Value lhs = evaluate(expr->lhs, input, env);
      result = lhs.undefined() ? evaluate(expr->rhs, input, env) : lhs;
      break;
    }
    case NodeType::Elvis: {
      Value lhs = evaluate(expr->lhs, input, env);
      result = boolize(lhs) ? lhs : evaluate(expr->rhs, input, env);
      break;
    }
    case NodeType::Block: {
      Frame* frame = new_frame(env);
      for (const Node* item : expr->items) result = evaluate(item, input, frame);
      break;
    }
    case NodeType::Bind: {
      result = evaluate(expr->rhs, input, env);
      env->bind(expr->lhs->value, result);
      break;
    }
    case NodeType::Regex:
      result = eval_regex(expr);
      break;
    case NodeType::Function:
      result = eval_function(expr, input, env, nullptr);
      break;
    case NodeType::Variable:
      if (expr->value.empty()) {
        result = (input.is_array() && input.arr().outer_wrapper && input.arr().size() > 0)
                     ? input.arr().items[0]
                     : input;
      } else {
        result = lookup_variable(expr, env);
      }
      break;
    case NodeType::Lambda:
      result = eval_lambda(expr, input, env);
      break;
    case NodeType::Partial:
      result = eval_partial(expr, input, env);
      break;
    case NodeType::Apply:
      result = eval_apply(expr, input, env);
      break;
    case NodeType::Transform:
      result = eval_transform(expr, input, env);
      break;
    case NodeType::Sort:
      result = eval_sort(expr, input, env);
      break;
    default:
      throw Failure("S0206", expr->position);
  }
  for (const auto& stage : expr->predicate) result = eval_filter(stage.expr, result, env);
  if (expr->type != NodeType::Path && expr->group)
    result = eval_group(expr->group->pairs, expr->group->position, result, env);
  leave();
  if (result.is_array() && result.arr().sequence && !result.arr().tuple_stream) {
    if (expr->keep_array) result.arr().keep_singleton = true;
    if (result.arr().size() == 0) return {};
    if (result.arr().size() == 1 && !result.arr().keep_singleton) return result.arr().items[0];
  }
  return result;
}

Value Evaluator::eval_path(const Node* expr, const Value& input, Frame* env) {
  const std::size_t count = expr->items.size();
  const Node* first_step = expr->items[0];
  // A lone non-array step result may stay unwrapped: evaluate() would unwrap the singleton
  // sequence anyway, and the next step visits it alike. `[]` paths must see the sequence.
  const bool may_unwrap = !expr->keep_singleton_array && !expr->keep_array;
  bool any_tuple = false;
  for (const Node* step : expr->items) any_tuple = any_tuple || step->tuple;
  Value input_seq;
  if (input.is_array() && first_step->type != NodeType::Variable)
    input_seq = input;
  else if (!input.is_array() && may_unwrap && !any_tuple && !first_step->cons_array &&
           first_step->type != NodeType::Sort)
    input_seq = input;  // eval_step visits a lone item as it would a singleton sequence
  else
    input_seq = make_sequence(input);
  Value result;
  bool is_tuple = false;
  Value tuples;
  for (std::size_t ii = 0; ii < count; ++ii) {
    const Node* step = expr->items[ii];
    if (step->tuple) is_tuple = true;
    if (ii == 0 && step->cons_array) {
      result = evaluate(step, input_seq, env);
    } else if (is_tuple) {
      tuples = eval_tuple_step(step, input_seq, tuples, env);
    } else {
      result = eval_step(step, input_seq, env, ii == count - 1, may_unwrap);
    }
    if (!is_tuple && (result.undefined() || (result.is_array() && result.arr().size() == 0))) break;
    if (step->focus.empty()) input_seq = result;
  }
  if (is_tuple) {
    if (expr->tuple) {
      result = tuples;
    } else {
      result = make_sequence();
      if (tuples.is_array())
        for (const auto& t : tuples.arr().items) result.arr().items.push_back(tuple_focus(t));
    }
  }
  if (expr->keep_singleton_array) {
    if (result.is_array() && result.arr().cons && !result.arr().sequence)
      result = make_sequence(result);
    if (result.is_array()) result.arr().keep_singleton = true;
  }
  if (expr->group)
    result = eval_group(expr->group->pairs, expr->group->position, is_tuple ? tuples : result, env);
  return result;
}

Value Evaluator::eval_step(const Node* step, const Value& input, Frame* env, bool last_step,
                           bool may_unwrap) {
  if (step->type == NodeType::Sort) {
    // a lone item may arrive unwrapped (see eval_path); sorting yields the sequence as before
    Value result = eval_sort(step, input.is_array() ? input : make_sequence(input), env);
    if (step->has_stages) result = eval_stages(step->stages, result, env);
    return result;
  }
  // The first defined result is held apart so that the common single-result step allocates no
  // sequence; later results are appended (flattened) as they come, without a staging vector.
  Value first;
  Value seq;
  std::size_t results = 0;
  auto append = [](std::vector<Value>& out, Value res) {
    if (!res.is_array() || res.arr().cons)
      out.push_back(std::move(res));
    else
      out.insert(out.end(), res.arr().items.begin(), res.arr().items.end());
  };
  auto visit = [&](const Value& item) {
    Value res = evaluate(step, item, env);
    for (const auto& stage : step->stages) res = eval_filter(stage.expr, res, env);
    if (res.undefined()) return;
    if (++results == 1) {
      first = std::move(res);
      return;
    }
    if (results == 2) {
      seq = make_sequence();
      if (input.is_array()) seq.arr().items.reserve(input.arr().size());
      append(seq.arr().items, std::move(first));
    }
    append(seq.arr().items, std::move(res));
  };
  if (input.is_array()) {
    for (const auto& item : input.arr().items) visit(item);
  } else {
    visit(input);
  }
  if (results >= 2) return seq;
  if (results == 1) {
    if (first.is_array()) {
      if (last_step && !first.arr().sequence) return first;
    } else if (may_unwrap) {
      return first;
    }
  }
  seq = make_sequence();
  if (results == 1) append(seq.arr().items, std::move(first));
  return seq;
}

Value Evaluator::eval_stages(const std::vector<Stage>& stages, Value input, Frame* env) {
  Value result = std::move(input);
  for (const auto& stage : stages) {
    if (!stage.is_index) {
      result = eval_filter(stage.expr, result, env);
    } else if (result.is_array()) {
      auto& items = result.arr().items;
      for (std::size_t ee = 0; ee < items.size(); ++ee) {
        if (items[ee].is_object())
          items[ee].obj().set(stage.index_var, Value::number(static_cast<double>(ee)));
      }
    }
  }
  return result;
}

Value Evaluator::eval_tuple_step(const Node* step, const Value& input, Value tuples, Frame* env) {
  if (step->type == NodeType::Sort) {
    Value result;
    if (!tuples.undefined()) {
      result = eval_sort(step, tuples, env);
    } else {
      Value sorted = eval_sort(step, input, env);
      result = make_sequence();
      result.arr().tuple_stream = true;
      if (sorted.is_array()) {
        for (std::size_t ss = 0; ss < sorted.arr().size(); ++ss) {
          Value tuple = make_object();
          tuple.obj().set("@", sorted.arr().items[ss]);
          if (!step->index_var.empty())
            tuple.obj().set(step->index_var, Value::number(static_cast<double>(ss)));
          result.arr().items.push_back(tuple);
        }
      }
    }
    if (step->has_stages) result = eval_stages(step->stages, result, env);
    return result;
  }
  Value result = make_sequence();
  result.arr().tuple_stream = true;
  if (tuples.undefined()) {
    tuples = make_sequence();
    auto wrap = [&](const Value& item) {
      Value t = make_object();
      t.obj().set("@", item);
      tuples.arr().items.push_back(t);
    };
    if (input.is_array())
      for (const auto& item : input.arr().items) wrap(item);
    else
      wrap(input);
  }
  for (const auto& tuple : tuples.arr().items) {
    Frame* step_env = frame_from_tuple(env, tuple);
    const Value& focus = tuple_focus(tuple);
    Value res = evaluate(step, focus, step_env);
    if (res.undefined()) continue;
    if (!res.is_array()) res = make_array({res});
    const bool res_tuples = res.arr().tuple_stream;
    for (std::size_t bb = 0; bb < res.arr().size(); ++bb) {
      Value out = copy_object(tuple);
      const Value& item = res.arr().items[bb];
      if (res_tuples) {
        for (const auto& [k, v] : item.obj().entries) out.obj().set(k, v);
      } else {
        if (!step->focus.empty()) {
          out.obj().set(step->focus, item);
          out.obj().set("@", focus);
        } else {
          out.obj().set("@", item);
        }
        if (!step->index_var.empty())
          out.obj().set(step->index_var, Value::number(static_cast<double>(bb)));
        if (step->ancestor) out.obj().set(step->ancestor->label, focus);
      }
      result.arr().items.push_back(std::move(out));
    }
  }
  if (step->has_stages) result = eval_stages(step->stages, result, env);
  return result;
}

Value Evaluator::eval_filter(const Node* predicate, const Value& input, Frame* env) {
  Value results = make_sequence();
  bool tuple_stream = input.is_array() && input.arr().tuple_stream;
  if (tuple_stream) results.arr().tuple_stream = true;
  Value in = input.is_array() ? input : make_sequence(input);
  const auto& items = in.arr().items;
  const auto length = static_cast<double>(items.size());
  if (predicate->type == NodeType::Number) {
    double index = std::floor(predicate->number);
    if (index < 0) index = length + index;
    if (index >= 0 && index < length) {
      const Value& item = items[static_cast<std::size_t>(index)];
      if (item.is_array())
        results = item;
      else if (!item.undefined())
        results.arr().items.push_back(item);
    }
    return results;
  }
  for (std::size_t index = 0; index < items.size(); ++index) {
    const Value& item = items[index];
    const Value* context = &item;
    Frame* e = env;
    if (tuple_stream) {
      context = &tuple_focus(item);
      e = frame_from_tuple(env, item);
    }
    Value res = evaluate(predicate, *context, e);
    if (is_numeric(res)) res = make_array({res});
    if (is_array_of_numbers(res)) {
      for (const auto& n : res.arr().items) {
        double ii = std::floor(n.as_number());
        if (ii < 0) ii = length + ii;
        if (ii == static_cast<double>(index)) results.arr().items.push_back(item);
      }
    } else if (boolize(res)) {
      results.arr().items.push_back(item);
    }
  }
  return results;
}

Value Evaluator::eval_group(const std::vector<std::pair<Node*, Node*>>& pairs, int position,
                            const Value& input, Frame* env) {
  struct Entry {
    std::vector<Value> items;  // every item appended, unflattened
    std::size_t expr_index;
  };
  // Groups in first-seen order; a hash index only once there are enough to need one.
  std::vector<std::pair<std::string, Entry>> groups;
  std::unordered_map<std::string, std::size_t> index;
  auto find_group = [&](const std::string& key) -> Entry* {
    if (groups.size() <= 8) {
      for (auto& [k, entry] : groups)
        if (k == key) return &entry;
      return nullptr;
    }
    if (index.size() < groups.size())
      for (std::size_t i = index.size(); i < groups.size(); ++i) index.emplace(groups[i].first, i);
    auto it = index.find(key);
    return it == index.end() ? nullptr : &groups[it->second].second;
  };
  bool reduce = input.is_array() && input.arr().tuple_stream;
  static const Value none;
  const Value* items = &input;
  std::size_t count = 1;
  if (input.is_array()) {
    items = input.arr().items.data();
    count = input.arr().size();
    if (count == 0) {
      items = &none;
      count = 1;
    }
  }
  for (std::size_t ii = 0; ii < count; ++ii) {
    const Value& item = items[ii];
    Frame* e = reduce ? frame_from_tuple(env, item) : env;
    for (std::size_t pi = 0; pi < pairs.size(); ++pi) {
      Value key = evaluate(pairs[pi].first, reduce ? tuple_focus(item) : item, e);
      if (key.undefined()) continue;
      if (!key.is_string()) throw Failure("T1003", position).with_value(key);
      if (Entry* entry = find_group(key.str())) {
        if (entry->expr_index != pi) throw Failure("D1009", position).with_value(key);
        entry->items.push_back(item);
      } else {
        groups.emplace_back(key.str(), Entry{{item}, pi});
      }
    }
  }
  Value result = make_object();
  for (auto& [key, entry] : groups) {
    Value context;
    if (entry.items.size() == 1) {
      context = entry.items[0];
    } else {
      Value arr = make_array();
      for (const auto& item : entry.items) push_flat(arr.arr(), item);
      context = arr;
    }
    Frame* e = env;
    if (reduce) {
      Value tuple;
      if (!context.is_array()) {
        tuple = copy_object(context);
      } else {
        tuple = copy_object(context.arr().items[0]);
        for (std::size_t ii = 1; ii < context.arr().size(); ++ii) {
          for (const auto& [k, v] : context.arr().items[ii].obj().entries) {
            const Value* existing = tuple.obj().find(k);
            tuple.obj().set(k, append_values(existing ? *existing : Value(), v));
          }
        }
      }
      const Value* at = tuple.obj().find("@");
      context = at ? *at : Value();
      tuple.obj().erase("@");
      e = frame_from_tuple(env, tuple);
    }
    Value value = evaluate(pairs[entry.expr_index].second, context, e);
    if (!value.undefined()) result.obj().set(key, std::move(value));
  }
  return result;
}

Value Evaluator::eval_sort(const Node* expr, const Value& input, Frame* env) {
  if (!input.is_array() || input.arr().size() <= 1) return input;
  const bool tuple_sort = input.arr().tuple_stream;
  const auto& items = input.arr().items;
  const std::size_t n = items.size();
  const std::size_t terms = expr->terms.size();
  // Sort keys are computed lazily, once per item and term.
  std::vector<std::vector<std::pair<bool, Value>>> keys(n,
                                                        std::vector<std::pair<bool, Value>>(terms));
  auto key = [&](std::size_t i, std::size_t t) -> const Value& {
    auto& slot = keys[i][t];
    if (!slot.first) {
      const Value* context = &items[i];
      Frame* e = env;
      if (tuple_sort) {
        context = &tuple_focus(items[i]);
        e = frame_from_tuple(env, items[i]);
      }
      slot.second = evaluate(expr->terms[t].expr, *context, e);
      slot.first = true;
    }
    return slot.second;
  };
  // true when b must come before a
  auto swap = [&](std::size_t a, std::size_t b) {
    int comp = 0;
    for (std::size_t t = 0; comp == 0 && t < terms; ++t) {
      const Value& aa = key(a, t);
      const Value& bb = key(b, t);
      if (aa.undefined()) {
        comp = bb.undefined() ? 0 : 1;
        continue;
      }
      if (bb.undefined()) {
        comp = -1;
        continue;
      }
      bool a_ok = aa.is_string() || aa.is_number();
      bool b_ok = bb.is_string() || bb.is_number();
      if (!a_ok || !b_ok) throw Failure("T2008", expr->position).with_value(!a_ok ? aa : bb);
      if (aa.type() != bb.type())
        throw Failure("T2007", expr->position).with_value(aa).with_value2(bb);
      if (aa.is_number()) {
        if (aa.as_number() == bb.as_number()) continue;
        comp = aa.as_number() < bb.as_number() ? -1 : 1;
      } else {
        if (aa.str() == bb.str()) continue;
        comp = aa.str() < bb.str() ? -1 : 1;
      }
      if (expr->terms[t].descending) comp = -comp;
    }
    return comp == 1;
  };
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::vector<std::size_t> buffer(n);
  // bottom-up merge sort: stable, taking from the right run only when the comparator says so
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
  Value out = make_array();
  out.arr().items.reserve(n);
  for (std::size_t i : order) out.arr().items.push_back(items[i]);
  return out;
}

}  // namespace stepline::jsonata
