// One state run for TestState: the state's data flow step by step, with every intermediate value
// kept for inspectionData, and Retry/Catch decided the way TestState reports them (RETRIABLE and
// CAUGHT_ERROR instead of waiting or moving on). Internal to the engine; test_state() drives it.
#pragma once

#include "asl/state_machine.hpp"
#include "engine/interpreter.hpp"
#include "engine/step_run.hpp"
#include "engine/test_state.hpp"

#include <optional>
#include <stdexcept>
#include <string>

namespace stepline::engine {

// A request TestState refuses only once it sees the state's data (e.g. more failed Map
// iterations than there are items).
class TestStateRefusal : public std::runtime_error {
 public:
  TestStateRefusal(std::string type, std::string message)
      : std::runtime_error(message), type_(std::move(type)) {}
  const std::string& type() const { return type_; }

 private:
  std::string type_;
};

struct SingleStateSetup {
  const asl::State* state = nullptr;
  int block = 0;                      // the StatesBlock the state lives in
  const json::Object* raw = nullptr;  // the state's definition text, parsed
  json::Value input;
  json::Object variables;
  json::Value context;  // the context object `$$` / `$states.context` shows
  std::optional<json::Value> mock_result;
  std::optional<StatesError> mock_error;
};

class SingleStateRun {
 public:
  SingleStateRun(const Interpreter& interpreter, const TestStateRequest& request,
                 const TestStateEnvironment& env, SingleStateSetup setup);
  // The TestState response members.
  json::Object run();

 private:
  void execute();
  void execute_jsonpath();
  void execute_jsonata();
  // The work of a Task/Parallel/Map produced its raw result or failed.
  json::Value work_result(const json::Value& effective);
  void finish_jsonpath(json::Value result, bool show_result);
  void finish_jsonata(json::Value result);
  void evaluate_map_items(const json::Value& effective, const json::Object* bindings);
  void on_error(StatesError error);
  void catch_error(const asl::Catcher& catcher, const StatesError& error);
  void succeed(json::Value output, json::Object assigned, const std::string* next);

  json::Value path(const asl::DataPath& p, const json::Value& value);
  json::Value evaluate(const query::PayloadTemplate& t, const json::Value& input,
                       const json::Value& context);
  void inspect(const char* key, const json::Value& value);

  const Interpreter& interpreter_;
  const TestStateRequest& request_;
  const TestStateEnvironment& env_;
  SingleStateSetup setup_;
  const asl::State& state_;
  StepRun run_;
  bool inspecting_ = false;

  json::Object inspection_;
  json::Object error_details_;
  std::string status_;
  std::optional<json::Value> output_;
  std::optional<std::string> next_state_;
  StatesError error_;
  bool has_error_ = false;
  long long map_items_ = -1;  // Map: how many iterations the input gives (-1: unknown)
};

}  // namespace stepline::engine
