// One state of a compiled state machine: the fields every state shares and its type-specific
// part. Immutable once built.
#pragma once

#include "asl/choice_state.hpp"
#include "asl/data_flow.hpp"
#include "asl/fail_state.hpp"
#include "asl/jsonata_value.hpp"
#include "asl/map_state.hpp"
#include "asl/parallel_state.hpp"
#include "asl/pass_state.hpp"
#include "asl/retrier.hpp"
#include "asl/task_state.hpp"
#include "asl/wait_state.hpp"

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace stepline::asl {

enum class QueryLanguage { JSONPath, JSONata };

enum class StateType { Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map };

// "Pass", "Task", ... as history event types spell them.
const char* type_name(StateType type);

struct State {
  std::string name;
  StateType type = StateType::Pass;
  QueryLanguage query_language = QueryLanguage::JSONPath;
  std::optional<std::string> next;  // empty with `end` or for Choice/Succeed/Fail
  bool end = false;
  DataFlow flow;  // JSONPath states
  // JSONata states: Arguments, Output, Assign, Items, ItemSelector, Seconds, Timestamp, Error,
  // Cause, MaxConcurrency, ToleratedFailureCount/Percentage, TimeoutSeconds, HeartbeatSeconds.
  std::map<std::string, JsonataValue, std::less<>> jsonata;
  const JsonataValue* jsonata_field(std::string_view name) const {
    auto it = jsonata.find(name);
    return it == jsonata.end() ? nullptr : &it->second;
  }
  std::vector<Retrier> retry;
  std::vector<Catcher> catchers;
  std::variant<PassState, TaskState, ChoiceState, WaitState, SucceedState, FailState, ParallelState,
               MapState>
      spec;
};

}  // namespace stepline::asl
