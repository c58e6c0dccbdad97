// Callable values (lambdas, built-ins, partial applications, regexes, host functions) and the
// variable frames closures capture.
#pragma once

#include "query/jsonata/signature.hpp"
#include "query/jsonata/value.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace stepline::jsonata {

struct Node;
class Evaluator;
class Regex;

// Variable bindings of one scope. Frames live in the evaluation's arena (closures refer to them
// by pointer), so reference cycles through lambdas cost nothing.
struct Frame {
  Frame* parent = nullptr;
  std::vector<std::pair<std::string, Value>> vars;

  const Value* lookup(std::string_view name) const {
    for (const Frame* f = this; f; f = f->parent)
      for (auto it = f->vars.rbegin(); it != f->vars.rend(); ++it)
        if (it->first == name) return &it->second;
    return nullptr;
  }
  void bind(const std::string& name, Value v) {
    for (auto& [k, val] : vars) {
      if (k == name) {
        val = std::move(v);
        return;
      }
    }
    vars.emplace_back(name, std::move(v));
  }
};

// What a built-in sees besides its arguments: the focus value and the calling scope.
struct CallContext {
  Evaluator& ev;
  const Value& input;
  Frame* env;
};

using NativeFn = Value (*)(CallContext&, std::vector<Value>& args);
using HostFn = std::function<Value(CallContext&, std::vector<Value>& args)>;

enum class FunctionKind { Lambda, Native, Host, Partial, Regex };

struct FunctionData {
  FunctionKind kind = FunctionKind::Lambda;
  std::shared_ptr<Signature> signature;
  int arity = 0;
  // Lambda
  const Node* body = nullptr;
  std::vector<std::string> params;
  Value input;
  Frame* env = nullptr;
  bool thunk = false;
  // Native / Host
  std::string name;
  NativeFn native = nullptr;
  HostFn host;
  // Partial application of `callee`; unset entries of `bound` are the `?` placeholders.
  Value callee;
  std::vector<Value> bound;
  std::vector<bool> placeholder;
  // Regex literal
  std::shared_ptr<Regex> regex;
};

// The number of arguments higher-order built-ins pass to a callback ($map's value, index, array).
int function_arity(const FunctionData& f);

}  // namespace stepline::jsonata
