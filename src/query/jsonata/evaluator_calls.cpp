// Evaluator, second half: operators, constructors, function calls (with tail-call trampoline),
// partial application, chaining and transforms.
#include "query/jsonata/evaluator.hpp"
#include "query/jsonata/failure.hpp"
#include "query/jsonata/helpers.hpp"
#include "query/jsonata/program.hpp"
#include "query/jsonata/regex.hpp"

#include <cmath>

namespace stepline::jsonata {

namespace {

Value numeric(const Value& lhs, const Value& rhs, const std::string& op) {
  if (!lhs.undefined() && !is_numeric(lhs)) throw Failure("T2001").with_value(lhs);
  if (!rhs.undefined() && !is_numeric(rhs)) throw Failure("T2002").with_value(rhs);
  if (lhs.undefined() || rhs.undefined()) return {};
  double a = lhs.as_number(), b = rhs.as_number();
  switch (op[0]) {
    case '+':
      return Value::number(a + b);
    case '-':
      return Value::number(a - b);
    case '*':
      return Value::number(a * b);
    case '/':
      return Value::number(a / b);
    default:
      return Value::number(std::fmod(a, b));
  }
}

Value compare(const Value& lhs, const Value& rhs, const std::string& op) {
  bool lc = lhs.undefined() || lhs.is_string() || lhs.is_number();
  bool rc = rhs.undefined() || rhs.is_string() || rhs.is_number();
  if (!lc || !rc) {
    bool l_ok = lhs.is_string() || lhs.is_number();
    throw Failure("T2010").with_value(!l_ok ? lhs : rhs);
  }
  if (lhs.undefined() || rhs.undefined()) return {};
  if (lhs.type() != rhs.type()) throw Failure("T2009").with_value(lhs).with_value2(rhs);
  int c;
  if (lhs.is_number()) {
    double a = lhs.as_number(), b = rhs.as_number();
    if (std::isnan(a) || std::isnan(b)) return Value::boolean(false);
    c = a < b ? -1 : (a > b ? 1 : 0);
  } else {
    int r = lhs.str().compare(rhs.str());
    c = r < 0 ? -1 : (r > 0 ? 1 : 0);
  }
  if (op == "<") return Value::boolean(c < 0);
  if (op == "<=") return Value::boolean(c <= 0);
  if (op == ">") return Value::boolean(c > 0);
  return Value::boolean(c >= 0);
}

bool strict_equal(const Value& a, const Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::Null:
      return true;
    case Type::Bool:
      return a.as_bool() == b.as_bool();
    case Type::Number:
      return a.as_number() == b.as_number();
    case Type::String:
      return a.str() == b.str();
    case Type::Undefined:
      return true;
    default:
      return a.identity() == b.identity();
  }
}

Value range(const Value& lhs, const Value& rhs) {
  if (!lhs.undefined() && !is_integer(lhs)) throw Failure("T2003").with_value(lhs);
  if (!rhs.undefined() && !is_integer(rhs)) throw Failure("T2004").with_value(rhs);
  if (lhs.undefined() || rhs.undefined()) return {};
  double a = lhs.as_number(), b = rhs.as_number();
  if (a > b) return {};
  double size = b - a + 1;
  if (size > 1e7) throw Failure("D2014").with_value(Value::number(size));
  Value seq = make_sequence();
  auto& items = seq.arr().items;
  items.reserve(static_cast<std::size_t>(size));
  for (double x = a; x <= b; ++x) items.push_back(Value::number(x));
  return seq;
}

Value deep_clone(const Value& v) {
  if (v.is_array()) {
    Value out = make_array();
    for (const auto& item : v.arr().items) {
      if (item.undefined() || item.is_function()) {
        out.arr().items.push_back(Value::null());
      } else {
        out.arr().items.push_back(deep_clone(item));
      }
    }
    return out;
  }
  if (v.is_object()) {
    Value out = make_object();
    for (const auto& [k, item] : v.obj().entries) {
      if (item.undefined() || item.is_function()) continue;
      out.obj().entries.emplace_back(k, deep_clone(item));
    }
    return out;
  }
  return v;
}

}  // namespace

Value clone_value(const Value& v) {
  return deep_clone(v);
}

Value Evaluator::eval_binary(const Node* expr, const Value& input, Frame* env) {
  Value lhs = evaluate(expr->lhs, input, env);
  const std::string& op = expr->value;
  try {
    // no other operator starts with 'a' or 'o'
    if (op[0] == 'a')
      return Value::boolean(boolize(lhs) && boolize(evaluate(expr->rhs, input, env)));
    if (op[0] == 'o')
      return Value::boolean(boolize(lhs) || boolize(evaluate(expr->rhs, input, env)));
  } catch (Failure& f) {
    f.position = expr->position;
    f.token = op;
    throw;
  }
  Value rhs = evaluate(expr->rhs, input, env);
  try {
    switch (op[0]) {
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return numeric(lhs, rhs, op);
      case '=':
        if (lhs.undefined() || rhs.undefined()) return Value::boolean(false);
        return Value::boolean(deep_equal(lhs, rhs));
      case '!':
        if (lhs.undefined() || rhs.undefined()) return Value::boolean(false);
        return Value::boolean(!deep_equal(lhs, rhs));
      case '<':
      case '>':
        return compare(lhs, rhs, op);
      case '&': {
        std::string out;
        for (const Value* side : {&lhs, &rhs}) {
          if (side->is_string())
            out += side->str();
          else if (!side->undefined())
            out += to_jsonata_string(*side).str();
        }
        return Value::string(std::move(out));
      }
      case '.':
        return range(lhs, rhs);
      case 'i': {
        if (lhs.undefined() || rhs.undefined()) return Value::boolean(false);
        if (!rhs.is_array()) return Value::boolean(strict_equal(lhs, rhs));
        for (const auto& item : rhs.arr().items)
          if (strict_equal(item, lhs)) return Value::boolean(true);
        return Value::boolean(false);
      }
      default:
        break;
    }
  } catch (Failure& f) {
    f.position = expr->position;
    f.token = op;
    throw;
  }
  throw Failure("S0201", expr->position).with_token(op);
}

Value Evaluator::eval_negate(const Node* expr, const Value& input, Frame* env) {
  Value v = evaluate(expr->expression, input, env);
  if (v.undefined()) return {};
  if (is_numeric(v)) return Value::number(-v.as_number());
  throw Failure("D1002", expr->position).with_token("-").with_value(v);
}

Value Evaluator::eval_array(const Node* expr, const Value& input, Frame* env) {
  Value result = make_array();
  for (const Node* item : expr->items) {
    Value v = evaluate(item, input, env);
    if (v.undefined()) continue;
    if (item->type == NodeType::ArrayCons)
      result.arr().items.push_back(std::move(v));
    else
      push_flat(result.arr(), v);
  }
  if (expr->cons_array) result.arr().cons = true;
  return result;
}

Value Evaluator::eval_regex(const Node* expr) {
  auto f = std::make_shared<FunctionData>();
  f->kind = FunctionKind::Regex;
  f->regex = expr->regex;
  f->arity = 1;
  return Value::function(std::move(f));
}

Value Evaluator::eval_lambda(const Node* expr, const Value& input, Frame* env) {
  auto f = std::make_shared<FunctionData>();
  f->kind = FunctionKind::Lambda;
  f->body = expr->body;
  f->params = expr->params;
  f->input = input;
  f->env = env;
  f->signature = expr->signature;
  f->thunk = expr->thunk;
  f->arity = static_cast<int>(expr->params.size());
  return Value::function(std::move(f));
}

namespace {
std::string procedure_name(const Node* procedure) {
  if (procedure->type == NodeType::Path && !procedure->items.empty())
    return procedure->items[0]->value;
  return procedure->value;
}
}  // namespace

Value Evaluator::eval_function(const Node* expr, const Value& input, Frame* env,
                               const Value* applyto) {
  Value proc = evaluate(expr->procedure, input, env);
  if (proc.undefined() && expr->procedure->type == NodeType::Path &&
      !lookup_variable(expr->procedure->items[0]->value, env).undefined()) {
    throw Failure("T1005", expr->position).with_token(expr->procedure->items[0]->value);
  }
  std::vector<Value> args;
  args.reserve(expr->items.size() + 1);
  if (applyto) args.push_back(*applyto);
  for (const Node* arg : expr->items) args.push_back(evaluate(arg, input, env));
  try {
    Value result = apply_inner(proc, std::move(args), input, env);
    while (result.is_function() && result.fn().kind == FunctionKind::Lambda && result.fn().thunk) {
      auto thunk = result.fn_ptr();
      const Node* call = thunk->body;
      Value next = evaluate(call->procedure, thunk->input, thunk->env);
      std::vector<Value> next_args;
      for (const Node* arg : call->items)
        next_args.push_back(evaluate(arg, thunk->input, thunk->env));
      try {
        result = apply_inner(next, std::move(next_args), input, env);
      } catch (Failure& f) {
        if (!f.token && call->procedure->type == NodeType::Variable)
          f.token = call->procedure->value;
        throw;
      }
    }
    return result;
  } catch (Failure& f) {
    if (f.position < 0) f.position = expr->position;
    if (!f.token) f.token = procedure_name(expr->procedure);
    throw;
  }
}

Value Evaluator::apply(const Value& proc, std::vector<Value> args, const Value& input, Frame* env) {
  Value result = apply_inner(proc, std::move(args), input, env);
  while (result.is_function() && result.fn().kind == FunctionKind::Lambda && result.fn().thunk) {
    auto thunk = result.fn_ptr();
    const Node* call = thunk->body;
    Value next = evaluate(call->procedure, thunk->input, thunk->env);
    std::vector<Value> next_args;
    for (const Node* arg : call->items)
      next_args.push_back(evaluate(arg, thunk->input, thunk->env));
    result = apply_inner(next, std::move(next_args), input, env);
  }
  return result;
}

Value Evaluator::apply_inner(const Value& proc, std::vector<Value> args, const Value& input,
                             Frame* env) {
  if (!proc.is_function()) throw Failure("T1006");
  auto fn = proc.fn_ptr();
  if (fn->signature && !arguments_fit_directly(*fn->signature, args))
    args = validate_arguments(*fn->signature, args, input);
  switch (fn->kind) {
    case FunctionKind::Lambda: {
      Frame* frame = new_frame(fn->env);
      frame->vars.reserve(fn->params.size());
      for (std::size_t i = 0; i < fn->params.size(); ++i)
        frame->vars.emplace_back(fn->params[i], i < args.size() ? args[i] : Value());
      return evaluate(fn->body, fn->input, frame);
    }
    case FunctionKind::Native: {
      CallContext ctx{*this, input, env};
      return fn->native(ctx, args);
    }
    case FunctionKind::Host: {
      CallContext ctx{*this, input, env};
      return fn->host(ctx, args);
    }
    case FunctionKind::Partial: {
      std::vector<Value> full = fn->bound;
      std::size_t next = 0;
      for (std::size_t i = 0; i < full.size(); ++i)
        if (fn->placeholder[i]) full[i] = next < args.size() ? args[next++] : Value();
      const FunctionData& callee = fn->callee.fn();
      if (callee.kind == FunctionKind::Lambda) {
        Frame* frame = new_frame(callee.env);
        for (std::size_t i = 0; i < callee.params.size(); ++i)
          frame->vars.emplace_back(callee.params[i], i < full.size() ? full[i] : Value());
        return evaluate(callee.body, callee.input, frame);
      }
      while (!full.empty() && full.back().undefined() && callee.signature &&
             full.size() > callee.signature->params.size())
        full.pop_back();
      return apply_inner(fn->callee, std::move(full), Value(), env);
    }
    case FunctionKind::Regex: {
      if (args.empty() || !args[0].is_string()) return {};
      auto m = fn->regex->exec(args[0].str(), 0);
      if (!m) return {};
      Value out = make_object();
      out.obj().set("match", Value::string(m->text));
      out.obj().set("start",
                    Value::number(static_cast<double>(utf16_index(args[0].str(), m->start))));
      out.obj().set("end", Value::number(static_cast<double>(utf16_index(args[0].str(), m->end))));
      Value groups = make_array();
      for (const auto& g : m->groups) groups.arr().items.push_back(Value::string(g.value_or("")));
      out.obj().set("groups", groups);
      return out;
    }
  }
  throw Failure("T1006");
}

Value Evaluator::eval_partial(const Node* expr, const Value& input, Frame* env) {
  auto f = std::make_shared<FunctionData>();
  f->kind = FunctionKind::Partial;
  int placeholders = 0;
  for (const Node* arg : expr->items) {
    if (arg->type == NodeType::Placeholder) {
      f->bound.emplace_back();
      f->placeholder.push_back(true);
      ++placeholders;
    } else {
      f->bound.push_back(evaluate(arg, input, env));
      f->placeholder.push_back(false);
    }
  }
  Value proc = evaluate(expr->procedure, input, env);
  if (proc.undefined() && expr->procedure->type == NodeType::Path &&
      !lookup_variable(expr->procedure->items[0]->value, env).undefined()) {
    throw Failure("T1007", expr->position).with_token(expr->procedure->items[0]->value);
  }
  if (!proc.is_function() || proc.fn().kind == FunctionKind::Regex) {
    throw Failure("T1008", expr->position).with_token(procedure_name(expr->procedure));
  }
  if (proc.fn().kind == FunctionKind::Lambda) {
    // Placeholders beyond the argument list still name the lambda's parameters.
    while (f->bound.size() < proc.fn().params.size()) {
      f->bound.emplace_back();
      f->placeholder.push_back(false);
    }
  }
  f->callee = proc;
  f->arity = placeholders;
  return Value::function(std::move(f));
}

Value Evaluator::eval_apply(const Node* expr, const Value& input, Frame* env) {
  Value lhs = evaluate(expr->lhs, input, env);
  if (expr->rhs->type == NodeType::Function) return eval_function(expr->rhs, input, env, &lhs);
  Value func = evaluate(expr->rhs, input, env);
  if (!func.is_function()) throw Failure("T2006", expr->position).with_value(func);
  if (lhs.is_function()) {
    auto chain = std::make_shared<FunctionData>();
    chain->kind = FunctionKind::Host;
    chain->arity = 1;
    Value first = lhs, second = func;
    chain->host = [first, second](CallContext& ctx, std::vector<Value>& args) {
      Value mid = ctx.ev.apply(first, args, Value(), ctx.env);
      return ctx.ev.apply(second, {mid}, Value(), ctx.env);
    };
    return Value::function(std::move(chain));
  }
  return apply(func, {lhs}, Value(), env);
}

Value Evaluator::eval_transform(const Node* expr, const Value&, Frame* env) {
  auto f = std::make_shared<FunctionData>();
  f->kind = FunctionKind::Host;
  f->arity = 1;
  f->signature = std::make_shared<Signature>(parse_signature("<(oa):o>"));
  f->host = [expr, env](CallContext& ctx, std::vector<Value>& args) -> Value {
    Evaluator& ev = ctx.ev;
    if (args.empty() || args[0].undefined()) return {};
    Value clone_fn = ev.lookup_variable("clone", env);
    if (!clone_fn.is_function()) throw Failure("T2013", expr->position);
    Value result = ev.apply(clone_fn, {args[0]}, Value(), env);
    Value matches = ev.evaluate(expr->pattern, result, env);
    if (matches.undefined()) return result;
    if (!matches.is_array()) matches = make_array({matches});
    for (const auto& match : matches.arr().items) {
      Value update = ev.evaluate(expr->update, match, env);
      if (!update.undefined()) {
        if (!update.is_object()) throw Failure("T2011", expr->update->position).with_value(update);
        if (match.is_object())
          for (const auto& [k, v] : update.obj().entries) match.obj().set(k, v);
      }
      if (expr->remove) {
        Value deletions = ev.evaluate(expr->remove, match, env);
        if (!deletions.undefined()) {
          Value val = deletions;
          if (!deletions.is_array()) deletions = make_array({deletions});
          if (!is_array_of_strings(deletions))
            throw Failure("T2012", expr->remove->position).with_value(val);
          if (match.is_object())
            for (const auto& d : deletions.arr().items) match.obj().erase(d.str());
        }
      }
    }
    return result;
  };
  return Value::function(std::move(f));
}

Value Evaluator::eval_text(const std::string& text, const Value& input, Frame* env) {
  eval_programs_.push_back(std::make_unique<Program>());
  Program& program = *eval_programs_.back();
  parse_program(text, program);
  return evaluate(program.root, input, env);
}

}  // namespace stepline::jsonata
