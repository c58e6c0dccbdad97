// A compiled state machine: nested `States` blocks (the top level, Parallel branches and Map
// item processors), each numbered so that an execution's frame can name the block it runs in.
#pragma once

#include "asl/state.hpp"
#include "common/json.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stepline::asl {

struct StatesBlock {
  int id = 0;  // index in StateMachine::blocks
  std::string start_at;
  std::map<std::string, State, std::less<>> states;

  const State* find(std::string_view name) const {
    auto it = states.find(name);
    return it == states.end() ? nullptr : &it->second;
  }
};

struct StateMachine {
  std::shared_ptr<const StatesBlock> root;
  std::vector<const StatesBlock*> blocks;  // by StatesBlock::id; root is 0
  std::optional<long long> timeout_seconds;
  QueryLanguage query_language = QueryLanguage::JSONPath;
};

}  // namespace stepline::asl
