// Tree-walking evaluator, a port of jsonata-js's evaluate(): the same sequence, tuple-stream
// and singleton rules, the same error codes, and the same evaluate() nesting so that depth
// limits count exactly as the reference does.
#pragma once

#include "query/jsonata/ast.hpp"
#include "query/jsonata/function.hpp"
#include "query/jsonata/value.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace stepline::jsonata {

struct Program;

struct EvalLimits {
  int max_depth = 0;         // 0: no limit beyond the built-in safety net
  double time_limit_ms = 0;  // 0: none
};

// Functions visible to an expression besides the built-ins, and whether $eval is allowed.
struct FunctionTable {
  std::unordered_map<std::string, Value> extra;
  bool allow_eval = true;
};

class Evaluator {
 public:
  Evaluator(const FunctionTable& functions, EvalLimits limits, std::int64_t now_millis);

  Value run(const Node* root, Value input,
            const std::vector<std::pair<std::string, Value>>& bindings);

  Value evaluate(const Node* expr, const Value& input, Frame* env);
  // Calls any function value (trampolining tail calls). `input` is the focus for context args.
  Value apply(const Value& proc, std::vector<Value> args, const Value& input, Frame* env);
  Frame* new_frame(Frame* parent);

  std::int64_t now_millis() const { return now_millis_; }
  bool allow_eval() const { return functions_.allow_eval; }
  const FunctionTable& functions() const { return functions_; }
  // Parses and evaluates text within this evaluation ($eval).
  Value eval_text(const std::string& text, const Value& input, Frame* env);

 private:
  Value eval_path(const Node* expr, const Value& input, Frame* env);
  Value eval_step(const Node* step, const Value& input, Frame* env, bool last_step,
                  bool may_unwrap);
  Value eval_tuple_step(const Node* step, const Value& input, Value tuples, Frame* env);
  Value eval_stages(const std::vector<Stage>& stages, Value input, Frame* env);
  Value eval_filter(const Node* predicate, const Value& input, Frame* env);
  Value eval_binary(const Node* expr, const Value& input, Frame* env);
  Value eval_negate(const Node* expr, const Value& input, Frame* env);
  Value eval_array(const Node* expr, const Value& input, Frame* env);
  Value eval_group(const std::vector<std::pair<Node*, Node*>>& pairs, int position,
                   const Value& input, Frame* env);
  Value eval_sort(const Node* expr, const Value& input, Frame* env);
  Value eval_function(const Node* expr, const Value& input, Frame* env, const Value* applyto);
  Value eval_partial(const Node* expr, const Value& input, Frame* env);
  Value eval_apply(const Node* expr, const Value& input, Frame* env);
  Value eval_transform(const Node* expr, const Value& input, Frame* env);
  Value eval_lambda(const Node* expr, const Value& input, Frame* env);
  Value eval_regex(const Node* expr);
  Value apply_inner(const Value& proc, std::vector<Value> args, const Value& input, Frame* env);
  Value lookup_variable(const std::string& name, Frame* env) const;
  Value lookup_variable(const Node* variable, Frame* env) const;
  Frame* frame_from_tuple(Frame* env, const Value& tuple);
  void enter();
  void leave();

  const FunctionTable& functions_;
  EvalLimits limits_;
  std::int64_t now_millis_;
  std::chrono::steady_clock::time_point started_;
  int depth_ = 0;
  const char* stack_base_ = nullptr;
  std::deque<Frame> frames_;
  std::vector<std::unique_ptr<Program>> eval_programs_;  // not a deque: that allocates up front
};

// Lookup of the built-in function table ($sum, $string...); undefined when unknown.
const Value* builtin_function(const std::string& name);

}  // namespace stepline::jsonata
