// TestState: the checks AWS makes before running anything (definition, state name, mock,
// context object), then one SingleStateRun.
#include "engine/test_state.hpp"

#include "asl/builder.hpp"
#include "asl/validator/validate.hpp"
#include "engine/mock_result_schema.hpp"
#include "engine/test_state_run.hpp"

#include <fmt/format.h>

#include <set>

namespace stepline::engine {

namespace {

// AWS tests a lone state under this name (it shows in `$$.State.Name` and in diagnostics).
constexpr const char* kLoneStateName = "StateName";

TestStateRejection invalid_definition(std::string message) {
  return {"InvalidDefinition", std::move(message)};
}
TestStateRejection validation(std::string message) {
  return {"ValidationException", std::move(message)};
}

// The states a lone state's transitions name: stand-ins make the one-state machine valid.
std::set<std::string> transition_targets(const json::Object& state) {
  std::set<std::string> targets;
  auto add = [&](const json::Value* v) {
    if (v && v->is_string()) targets.emplace(v->as_string());
  };
  add(state.if_contains("Next"));
  add(state.if_contains("Default"));
  for (const char* list : {"Choices", "Catch"}) {
    const json::Value* items = state.if_contains(list);
    if (!items || !items->is_array()) continue;
    for (const auto& item : items->as_array()) {
      if (item.is_object()) add(item.as_object().if_contains("Next"));
    }
  }
  return targets;
}

json::Value lone_state_machine(const json::Object& state) {
  json::Object states;
  states[kLoneStateName] = state;
  for (const auto& target : transition_targets(state)) {
    if (target != kLoneStateName) states[target] = json::Object{{"Type", "Succeed"}};
  }
  json::Object machine;
  machine["StartAt"] = kLoneStateName;
  machine["States"] = std::move(states);
  return machine;
}

// The definition text of state `name` anywhere in a machine (branches and item processors too).
const json::Object* find_raw_state(const json::Value& block, std::string_view name) {
  if (!block.is_object()) return nullptr;
  const json::Value* states = block.as_object().if_contains("States");
  if (!states || !states->is_object()) return nullptr;
  for (const auto& [key, state] : states->as_object()) {
    if (!state.is_object()) continue;
    if (key == name) return &state.as_object();
    const json::Object& s = state.as_object();
    if (const auto* branches = s.if_contains("Branches"); branches && branches->is_array()) {
      for (const auto& b : branches->as_array()) {
        if (const auto* found = find_raw_state(b, name)) return found;
      }
    }
    for (const char* processor : {"ItemProcessor", "Iterator"}) {
      if (const auto* p = s.if_contains(processor)) {
        if (const auto* found = find_raw_state(*p, name)) return found;
      }
    }
  }
  return nullptr;
}

bool is_callback_or_sync(const asl::State& s) {
  if (s.type != asl::StateType::Task) return false;
  const auto& task = std::get<asl::TaskState>(s.spec);
  return task.wait_for_task_token || task.resource.find(".sync") != std::string::npos;
}

// The context object a test may give: only what AWS lets a caller mock.
std::optional<std::string> context_problem(const json::Value& context, const asl::State& s) {
  if (!context.is_object()) return "The Context object must be a JSON object";
  static const std::map<std::string, std::set<std::string>, std::less<>> allowed = {
      {"Execution", {"Id", "Input", "Name", "RoleArn", "StartTime", "RedriveCount", "RedriveTime"}},
      {"State", {"EnteredTime", "Name", "RetryCount"}},
      {"StateMachine", {"Id", "Name"}},
      {"Task", {"Token"}},
  };
  for (const auto& [key, value] : context.as_object()) {
    if (key == "Map") return "'Map' field is not supported when mocking a Context object";
    auto it = allowed.find(key);
    if (it == allowed.end()) return fmt::format("Field '{}' is not allowed", std::string(key));
    if (!value.is_object()) return fmt::format("{} must be an object", std::string(key));
    for (const auto& [field, v] : value.as_object()) {
      if (!it->second.count(std::string(field))) {
        return fmt::format("Field '{}' is not allowed", std::string(field));
      }
      bool numeric_field = field == "RetryCount" || field == "RedriveCount";
      bool any_field = field == "Input";
      if (!any_field && !numeric_field && !v.is_string()) {
        return fmt::format("{}.{} must be a string", std::string(key), std::string(field));
      }
      if (numeric_field && !(v.is_int64() || v.is_uint64())) {
        return fmt::format("{}.{} must be an integer", std::string(key), std::string(field));
      }
    }
  }
  if (context.as_object().if_contains("Task") && !is_callback_or_sync(s)) {
    return "Context object contains 'Task' when state is not a Task state with a '.sync' or "
           "'.waitForTaskToken' service integration pattern";
  }
  return std::nullopt;
}

json::Value generated_context(const ExecutionInfo& info, const asl::State& s,
                              const json::Value& input, const TestStateRequest& request,
                              const TestStateEnvironment& env) {
  json::Object execution;
  execution["Id"] = info.execution_arn;
  execution["Input"] = input;
  execution["Name"] = info.execution_name;
  execution["RoleArn"] = request.role_arn ? json::Value(*request.role_arn) : json::Value(nullptr);
  execution["StartTime"] = format_iso8601(env.now);
  json::Object machine;
  machine["Id"] = info.state_machine_arn;
  machine["Name"] = info.state_machine_name;
  json::Object state;
  state["Name"] = kLoneStateName;
  state["EnteredTime"] = format_iso8601(env.now);
  if (s.type == asl::StateType::Task || s.type == asl::StateType::Parallel ||
      s.type == asl::StateType::Map) {
    state["RetryCount"] = request.retrier_retry_count.value_or(0);
  }
  json::Object ctx;
  ctx["Execution"] = std::move(execution);
  ctx["StateMachine"] = std::move(machine);
  ctx["State"] = std::move(state);
  if (s.type == asl::StateType::Task && std::get<asl::TaskState>(s.spec).wait_for_task_token) {
    ctx["Task"] = json::Object{{"Token", env.ids ? env.ids->task_token() : std::string("token")}};
  }
  return ctx;
}

ExecutionInfo test_execution(const TestStateRequest& request, const TestStateEnvironment& env) {
  ExecutionInfo info;
  info.region = env.region;
  info.account = env.account;
  info.express = true;
  // TestState answers synchronously: its context has no RedriveCount, as StartSyncExecution's.
  info.started_sync = true;
  info.state_machine_name = env.ids ? env.ids->uuid() : std::string("TestStateMachine");
  info.execution_name = env.ids ? env.ids->uuid() : std::string("TestExecution");
  info.state_machine_arn = fmt::format("arn:aws:states:{}:{}:stateMachine:{}", env.region,
                                       env.account, info.state_machine_name);
  info.execution_arn = fmt::format("arn:aws:states:{}:{}:express:{}:{}", env.region, env.account,
                                   info.state_machine_name, info.execution_name);
  info.role_arn = request.role_arn.value_or("");
  return info;
}

std::optional<TestStateRejection> mock_problem(const TestStateRequest& request, const asl::State& s,
                                               const json::Object& raw,
                                               std::optional<json::Value>& mock_result,
                                               const TestStateEnvironment& env) {
  const TestStateMock& mock = *request.mock;
  if (mock.result && mock.error_output) {
    return validation(
        "A test mock should have only one of the following fields: [result, "
        "errorOutput].");
  }
  if (s.type != asl::StateType::Task && s.type != asl::StateType::Map &&
      s.type != asl::StateType::Parallel) {
    return validation(fmt::format("State type '{}' is not supported when a mock is specified",
                                  asl::type_name(s.type)));
  }
  if (request.reveal_secrets) {
    return validation("TestState does not support RevealSecrets when a mock is specified.");
  }
  if (!mock.result) return std::nullopt;
  try {
    mock_result = json::parse(*mock.result);
  } catch (const json::ParseError&) {
    return validation("Mocked result must be valid JSON");
  }
  if (s.type == asl::StateType::Map) {
    if (raw.if_contains("ResultWriter")) {
      if (!mock_result->is_object()) return validation("Mocked result must be a JSON object.");
    } else if (!mock_result->is_array()) {
      return validation("Mocked result must be an array.");
    }
  } else if (s.type == asl::StateType::Parallel) {
    if (!mock_result->is_array()) return validation("Mocked result must be an array.");
    const auto& parallel = std::get<asl::ParallelState>(s.spec);
    if (mock_result->as_array().size() != parallel.branches.size()) {
      return validation(
          "Mocked result must contain the same number of items as number of Parallel branches.");
    }
  } else if (mock.field_validation_mode != "NONE") {
    if (auto problem =
            check_mock_result(std::get<asl::TaskState>(s.spec), *mock_result,
                              mock.field_validation_mode == "STRICT", env.service_models_dir)) {
      return validation("Mock result schema validation error: " + *problem);
    }
  }
  return std::nullopt;
}

}  // namespace

TestStateOutcome test_state(const TestStateRequest& request, const TestStateEnvironment& env) {
  json::Value definition;
  try {
    definition = json::parse(request.definition);
  } catch (const json::ParseError&) {
    return invalid_definition(asl::invalid_definition_message(
        asl::validate_text(request.definition, asl::ValidateOptions{})));
  }
  // A lone state, or a whole machine and the name of the state to test.
  json::Value machine_json;
  if (request.state_name) {
    machine_json = definition;
  } else if (definition.is_object()) {
    machine_json = lone_state_machine(definition.as_object());
  } else {
    machine_json = definition;
  }
  auto diagnostics = asl::validate(machine_json, asl::ValidateOptions{});
  if (asl::has_errors(diagnostics)) {
    return invalid_definition(asl::invalid_definition_message(diagnostics));
  }
  std::shared_ptr<const asl::StateMachine> machine;
  try {
    machine = asl::build(machine_json);
  } catch (const std::exception& e) {
    return invalid_definition(fmt::format("Invalid State Machine Definition: '{}'", e.what()));
  }
  std::string name = request.state_name ? *request.state_name : kLoneStateName;
  SingleStateSetup setup;
  for (const auto* block : machine->blocks) {
    if (const auto* s = block->find(name)) {
      setup.state = s;
      setup.block = block->id;
      break;
    }
  }
  setup.raw = find_raw_state(machine_json, name);
  if (!setup.state || !setup.raw) return validation("State not found in definition");
  const asl::State& s = *setup.state;

  const bool mocked = request.mock.has_value();
  if (!mocked && request.map_iteration_failure_count) {
    return validation(
        "TestState does not support MapIterationFailureCount when a mock is not specified.");
  }
  if (!mocked && (s.type == asl::StateType::Map || s.type == asl::StateType::Parallel)) {
    return invalid_definition(
        "TestState API does not support Map or Parallel states. Supported state types include: "
        "[Task, Wait, Pass, Succeed, Fail, Choice]");
  }
  if (mocked) {
    if (auto problem = mock_problem(request, s, *setup.raw, setup.mock_result, env)) {
      return *problem;
    }
    setup.mock_error = request.mock->error_output;
  } else {
    if (s.type == asl::StateType::Task && !request.role_arn) {
      return validation("RoleArn must be specified when testing a Task state");
    }
  }
  if (request.error_caused_by_state) {
    // The state said to fail must be one the Map's iterations or the Parallel's branches run.
    bool found = false;
    if (s.type == asl::StateType::Map) {
      const json::Value* processor = setup.raw->if_contains("ItemProcessor");
      if (!processor) processor = setup.raw->if_contains("Iterator");
      found = processor && find_raw_state(*processor, *request.error_caused_by_state);
    } else if (s.type == asl::StateType::Parallel) {
      if (const auto* branches = setup.raw->if_contains("Branches");
          branches && branches->is_array()) {
        for (const auto& b : branches->as_array()) {
          found = found || find_raw_state(b, *request.error_caused_by_state);
        }
      }
    } else {
      found = true;  // a Task fails by itself
    }
    if (!found) {
      return validation(fmt::format("State '{}' not found in the state's sub-workflow",
                                    *request.error_caused_by_state));
    }
  }

  try {
    setup.input = request.input ? json::parse(*request.input) : json::Value(json::Object{});
  } catch (const json::ParseError& e) {
    return TestStateRejection{"InvalidExecutionInput",
                              fmt::format("Invalid State Machine Execution Input: '{}'", e.what())};
  }
  if (request.variables) {
    json::Value vars;
    try {
      vars = json::parse(*request.variables);
    } catch (const json::ParseError&) {
      return validation("Variables must be a valid JSON object");
    }
    if (!vars.is_object()) return validation("Variables must be a valid JSON object");
    setup.variables = vars.as_object();
  }
  ExecutionInfo info = test_execution(request, env);
  if (request.context) {
    json::Value context;
    try {
      context = json::parse(*request.context);
    } catch (const json::ParseError&) {
      return validation("Invalid Context object provided: The Context object must be valid JSON");
    }
    if (auto problem = context_problem(context, s)) {
      return validation("Invalid Context object provided: " + *problem);
    }
    setup.context = std::move(context);
  } else {
    setup.context = generated_context(info, s, setup.input, request, env);
  }

  Interpreter interpreter(machine, info, env.ids);
  try {
    SingleStateRun run(interpreter, request, env, std::move(setup));
    return run.run();
  } catch (const TestStateRefusal& refusal) {
    return TestStateRejection{refusal.type(), refusal.what()};
  }
}

}  // namespace stepline::engine
