// The context object (`$$`) of one state's evaluation, built only when an expression reads it:
// most states never do, and building it copies the execution input.
#pragma once

#include "common/json.hpp"
#include "query/eval_context.hpp"

#include <optional>
#include <string_view>

namespace stepline::asl {
struct State;
}

namespace stepline::engine {

class StepRun;
struct Thread;

class StateContext final : public query::ContextSource {
 public:
  // A context object that exists already (TestState's given or generated one). Implicit so that
  // such callers can pass the value where a StateContext is expected.
  StateContext(const json::Value& ready) : ready_(&ready) {}  // NOLINT(google-explicit-constructor)
  // `$$` of `t` running `s`; `map_item_value`: the Map iteration's `$$.Map.Item` (ItemSelector).
  StateContext(const StepRun& run, const Thread& t, const asl::State& s,
               const json::Value* map_item_value = nullptr, long long map_item_index = 0)
      : run_(&run), thread_(&t), state_(&s), item_(map_item_value), index_(map_item_index) {}
  StateContext(const StateContext&) = delete;
  StateContext& operator=(const StateContext&) = delete;

  const json::Value& value(bool with_execution_input) const override;
  // `$$.Map` alone when that is all the caller reads and this is a Map item's context.
  const json::Value& value_for(std::string_view first_member,
                               bool with_execution_input) const override;
  // The whole object, execution input included.
  const json::Value& value() const { return value(true); }

 private:
  const json::Value* ready_ = nullptr;
  const StepRun* run_ = nullptr;
  const Thread* thread_ = nullptr;
  const asl::State* state_ = nullptr;
  const json::Value* item_ = nullptr;
  long long index_ = 0;
  mutable std::optional<json::Value> full_;
  mutable std::optional<json::Value> partial_;   // without Execution.Input
  mutable std::optional<json::Value> map_only_;  // {"Map": ...}
};

}  // namespace stepline::engine
