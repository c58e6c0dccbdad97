// What a JSONPath-mode expression can see when it is evaluated: the state's data (`$`), the
// context object (`$$`), the variables in scope (`$name`) and a source of randomness.
#pragma once

#include "common/ids.hpp"
#include "common/json.hpp"

#include <string_view>

namespace stepline::query {

// Read-only view of the variables visible to a state (its own scope and the enclosing ones).
class VariableLookup {
 public:
  virtual ~VariableLookup() = default;
  // nullptr when no variable of that name has been assigned.
  virtual const json::Value* find(std::string_view name) const = 0;
};

// A context object built on first use: most states never read `$$`, and building it (with a
// copy of the execution input) costs more than running such a state.
class ContextSource {
 public:
  virtual ~ContextSource() = default;
  // `with_execution_input` false: the caller reads nothing at or under `$$.Execution.Input`, so
  // the object may lack that member.
  virtual const json::Value& value(bool with_execution_input) const = 0;
  // A document whose member `first_member` (empty: any) is that of value(): the caller reads
  // nothing outside it, so a source may build only that part (a Map's ItemSelector reads
  // `$$.Map.Item` for every item).
  virtual const json::Value& value_for(std::string_view first_member,
                                       bool with_execution_input) const {
    (void)first_member;
    return value(with_execution_input);
  }
};

struct EvalContext {
  const json::Value* input = nullptr;         // `$`
  const json::Value* context = nullptr;       // `$$`; when null, `context_source` builds it
  const VariableLookup* variables = nullptr;  // `$name`
  IdSource* ids = nullptr;                    // States.UUID, unseeded States.MathRandom
  const ContextSource* context_source = nullptr;
};

}  // namespace stepline::query
