// A JSONPath-mode Choice rule (And/Or/Not, comparisons, type tests) compiled from its JSON once
// and evaluated to a boolean. The Choice state itself (Next, Default, Assign) is the
// interpreter's job.
#pragma once

#include "common/json.hpp"
#include "query/eval_context.hpp"

#include <memory>
#include <string>
#include <vector>

namespace stepline::asl::choice {

class Rule {
 public:
  virtual ~Rule() = default;
  // Throws StatesException(States.Runtime, cause) when the Variable (or a `...Path` operand) does
  // not resolve, except under IsPresent. Type mismatches are simply false.
  virtual bool evaluate(const query::EvalContext& ctx) const = 0;
  virtual void add_variable_references(std::vector<std::string>& out) const = 0;
};

// Compiles one rule. `top_level` rules may carry Next/Assign/Output/Comment, which are ignored
// here; nested rules (inside And/Or/Not) may carry only Comment. Throws query::SyntaxError.
std::unique_ptr<const Rule> compile_rule(const json::Value& rule, bool top_level = true);

}  // namespace stepline::asl::choice
