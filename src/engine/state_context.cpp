// Builds a state's context object the first time an expression asks for it.
#include "engine/state_context.hpp"

#include "engine/step_run.hpp"

namespace stepline::engine {

const json::Value& StateContext::value(bool with_execution_input) const {
  if (ready_) return *ready_;
  if (full_) return *full_;
  if (!with_execution_input) {
    if (!partial_) partial_ = run_->context_object(*thread_, *state_, item_, index_, false);
    return *partial_;
  }
  full_ = run_->context_object(*thread_, *state_, item_, index_, true);
  return *full_;
}

const json::Value& StateContext::value_for(std::string_view first_member,
                                           bool with_execution_input) const {
  if (ready_ || !item_ || first_member != "Map" || full_ || partial_) {
    return value(with_execution_input);
  }
  if (!map_only_) {
    // The same member context_object() writes.
    json::Object item;
    item.reserve(2);
    item.emplace("Index", index_);
    item.emplace("Value", *item_);
    json::Object map;
    map.emplace("Item", std::move(item));
    json::Object root;
    root.emplace("Map", std::move(map));
    map_only_ = json::Value(std::move(root));
  }
  return *map_only_;
}

}  // namespace stepline::engine
