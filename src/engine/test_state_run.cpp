// TestState's one state run: the JSONPath and JSONata data flow of each state type, with the
// intermediate values kept for inspectionData.
#include "engine/test_state_run.hpp"

#include "common/errors.hpp"
#include "query/template/expression.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace stepline::engine {

namespace {

Frame single_thread_frame(const SingleStateSetup& setup, TimePoint now) {
  Frame frame;
  Thread t;
  t.id = 0;
  t.block = setup.block;
  t.state = setup.state->name;
  t.input = setup.input;
  t.entered = true;
  t.entered_time = now;
  t.variables = setup.variables;
  t.retry_counts.assign(setup.state->retry.size(), 0);
  frame.threads.emplace(0, std::move(t));
  frame.next_thread = 1;
  frame.execution_input = setup.input;
  frame.start_time = now;
  return frame;
}
}  // namespace

SingleStateRun::SingleStateRun(const Interpreter& interpreter, const TestStateRequest& request,
                               const TestStateEnvironment& env, SingleStateSetup setup)
    : interpreter_(interpreter),
      request_(request),
      env_(env),
      setup_(std::move(setup)),
      state_(*setup_.state),
      run_(interpreter, env.ids, single_thread_frame(setup_, env.now), env.now),
      inspecting_(request.inspection_level != "INFO") {}

void SingleStateRun::inspect(const char* key, const json::Value& value) {
  if (inspecting_) inspection_[key] = json::dump(value);
}

json::Value SingleStateRun::path(const asl::DataPath& p, const json::Value& value) {
  return run_.apply_data_path(run_.thread(0), p, value, setup_.context);
}

json::Value SingleStateRun::evaluate(const query::PayloadTemplate& t, const json::Value& input,
                                     const json::Value& context) {
  ScopeLookup vars(run_.frame(), 0);
  return t.evaluate(run_.eval_context(run_.thread(0), input, context, vars));
}

json::Object SingleStateRun::run() {
  inspect("input", setup_.input);
  try {
    execute();
  } catch (const TestStateRefusal&) {
    throw;
  } catch (const StatesException& e) {
    on_error(e.states_error());
  } catch (const std::exception& e) {
    // Never crash on a definition or input we did not foresee: report it as AWS reports
    // runtime failures.
    on_error({std::string(errors::kRuntime), std::string(e.what())});
  }
  json::Object response;
  if (output_) response["output"] = json::dump(*output_);
  if (has_error_) {
    if (error_.error) response["error"] = *error_.error;
    if (error_.cause) response["cause"] = *error_.cause;
  }
  if (inspecting_) {
    if (!error_details_.empty()) inspection_["errorDetails"] = error_details_;
    const json::Object& vars = run_.thread(0).variables;
    if (!vars.empty()) inspection_["variables"] = json::dump(json::Value(vars));
    response["inspectionData"] = std::move(inspection_);
  }
  if (next_state_) response["nextState"] = *next_state_;
  response["status"] = status_;
  return response;
}

void SingleStateRun::execute() {
  if (state_.query_language == asl::QueryLanguage::JSONata) {
    execute_jsonata();
  } else {
    execute_jsonpath();
  }
}

void SingleStateRun::succeed(json::Value output, json::Object assigned, const std::string* next) {
  Thread& t = run_.thread(0);
  for (auto& [k, v] : assigned) t.variables[k] = std::move(v);
  output_ = std::move(output);
  if (!next && state_.next && !state_.end) next = &*state_.next;
  if (next) next_state_ = *next;
  status_ = "SUCCEEDED";
}

// ---- JSONPath ----

void SingleStateRun::execute_jsonpath() {
  Thread& t = run_.thread(0);
  const json::Value& input = setup_.input;
  const json::Value& context = setup_.context;
  switch (state_.type) {
    case asl::StateType::Pass: {
      const auto& pass = std::get<asl::PassState>(state_.spec);
      json::Value effective = path(state_.flow.input_path, input);
      json::Value result;
      // Observed: a Pass state's Result wins over its Parameters, and the test then reports the
      // Result instead of the input-side values.
      if (pass.result) {
        result = *pass.result;
        inspect("result", result);
      } else {
        inspect("afterInputPath", effective);
        result = state_.flow.parameters ? evaluate(*state_.flow.parameters, effective, context)
                                        : effective;
        inspect("afterParameters", result);
      }
      finish_jsonpath(std::move(result), false);
      return;
    }
    case asl::StateType::Choice: {
      const auto& choice = std::get<asl::ChoiceState>(state_.spec);
      json::Value effective = path(state_.flow.input_path, input);
      inspect("afterInputPath", effective);
      ScopeLookup vars(run_.frame(), 0);
      auto ctx = run_.eval_context(t, effective, context, vars);
      const std::string* next = nullptr;
      const std::optional<query::PayloadTemplate>* assign = &state_.flow.assign;
      for (const auto& branch : choice.choices) {
        if (branch.rule && branch.rule->evaluate(ctx)) {
          next = &branch.next;
          if (branch.assign) assign = &branch.assign;
          break;
        }
      }
      if (!next) {
        if (!choice.default_next) throw StatesException(errors::kNoChoiceMatched, "No Matches!");
        next = &*choice.default_next;
      }
      json::Object assigned = run_.evaluate_assign(t, *assign, effective, context);
      json::Value output = path(state_.flow.output_path, effective);
      succeed(std::move(output), std::move(assigned), next);
      return;
    }
    case asl::StateType::Wait:
    case asl::StateType::Succeed: {
      json::Value effective = path(state_.flow.input_path, input);
      inspect("afterInputPath", effective);
      // A Wait is not waited on, but its Seconds/Timestamp fields are checked as an execution
      // checks them (the timer it arms is dropped with this run).
      if (state_.type == asl::StateType::Wait) run_.execute_wait(t, state_);
      json::Object assigned = run_.evaluate_assign(t, state_.flow.assign, effective, context);
      json::Value output = path(state_.flow.output_path, effective);
      succeed(std::move(output), std::move(assigned), nullptr);
      return;
    }
    case asl::StateType::Fail: {
      const auto& fail = std::get<asl::FailState>(state_.spec);
      inspect("afterInputPath", input);
      ScopeLookup vars(run_.frame(), 0);
      auto ctx = run_.eval_context(t, input, context, vars);
      StatesError error{fail.error, fail.cause};
      auto text = [&](const query::Expression& e, std::string_view field) {
        json::Value v = e.evaluate(ctx, field);
        if (!v.is_string()) {
          throw StatesException(errors::kRuntime,
                                query::missing_path_cause(e.text(), field, input));
        }
        return std::string(v.as_string());
      };
      if (fail.error_path) error.error = text(*fail.error_path, "ErrorPath");
      if (fail.cause_path) error.cause = text(*fail.cause_path, "CausePath");
      has_error_ = true;
      error_ = std::move(error);
      status_ = "FAILED";
      return;
    }
    case asl::StateType::Task: {
      json::Value effective = path(state_.flow.input_path, input);
      inspect("afterInputPath", effective);
      if (state_.flow.parameters) effective = evaluate(*state_.flow.parameters, effective, context);
      inspect("afterParameters", effective);
      json::Value result = work_result(effective);
      finish_jsonpath(std::move(result), true);
      return;
    }
    case asl::StateType::Parallel: {
      json::Value effective = path(state_.flow.input_path, input);
      if (state_.flow.parameters) effective = evaluate(*state_.flow.parameters, effective, context);
      json::Value result = work_result(effective);
      finish_jsonpath(std::move(result), false);
      return;
    }
    case asl::StateType::Map: {
      json::Value effective = path(state_.flow.input_path, input);
      inspect("afterInputPath", effective);
      evaluate_map_items(effective, nullptr);
      json::Value result = work_result(effective);
      finish_jsonpath(std::move(result), false);
      return;
    }
  }
}

void SingleStateRun::finish_jsonpath(json::Value result, bool show_result) {
  Thread& t = run_.thread(0);
  const json::Value& context = setup_.context;
  if (show_result) inspect("result", result);
  json::Object assigned = run_.evaluate_assign(t, state_.flow.assign, result, context);
  if (state_.flow.result_selector) result = evaluate(*state_.flow.result_selector, result, context);
  inspect("afterResultSelector", result);
  json::Value output = state_.flow.result_path.apply(setup_.input, std::move(result));
  inspect("afterResultPath", output);
  output = path(state_.flow.output_path, output);
  run_.check_size(t, output, state_.name);
  succeed(std::move(output), std::move(assigned), nullptr);
}

// ---- JSONata ----

void SingleStateRun::execute_jsonata() {
  const json::Value& input = setup_.input;
  Thread& t = run_.thread(0);
  json::Object bindings = run_.jsonata_bindings(t, input, setup_.context);
  switch (state_.type) {
    case asl::StateType::Pass:
    case asl::StateType::Succeed:
    case asl::StateType::Wait: {
      if (state_.type == asl::StateType::Wait) run_.execute_jsonata(t, state_);
      json::Value output = run_.jsonata_or(state_, "Output", bindings, input);
      json::Object assigned = state_.type == asl::StateType::Succeed
                                  ? json::Object{}
                                  : run_.jsonata_assign(state_.jsonata_field("Assign"), bindings);
      succeed(std::move(output), std::move(assigned), nullptr);
      return;
    }
    case asl::StateType::Choice: {
      const auto& choice = std::get<asl::ChoiceState>(state_.spec);
      for (const auto& branch : choice.choices) {
        if (!branch.condition) continue;
        json::Value c = run_.eval_jsonata(*branch.condition, "Condition", bindings);
        if (!c.is_bool()) {
          throw asl::JsonataFailure(
              fmt::format("The Condition field must evaluate to a boolean but was: {}",
                          json::dump(c)),
              "Condition");
        }
        if (!c.as_bool()) continue;
        json::Value output =
            branch.output ? run_.eval_jsonata(*branch.output, "Output", bindings) : input;
        json::Object assigned = run_.jsonata_assign(
            branch.jsonata_assign ? &*branch.jsonata_assign : nullptr, bindings);
        succeed(std::move(output), std::move(assigned), &branch.next);
        return;
      }
      if (!choice.default_next) throw StatesException(errors::kNoChoiceMatched, "No Matches!");
      json::Value output = run_.jsonata_or(state_, "Output", bindings, input);
      json::Object assigned = run_.jsonata_assign(state_.jsonata_field("Assign"), bindings);
      succeed(std::move(output), std::move(assigned), &*choice.default_next);
      return;
    }
    case asl::StateType::Fail: {
      auto text = [&](std::string_view field) -> std::optional<std::string> {
        const auto* v = state_.jsonata_field(field);
        if (!v) return std::nullopt;
        json::Value r = run_.eval_jsonata(*v, field, bindings);
        return r.is_string() ? std::string(r.as_string()) : json::dump(r);
      };
      has_error_ = true;
      error_.error = text("Error");
      error_.cause = text("Cause");
      status_ = "FAILED";
      return;
    }
    case asl::StateType::Task: {
      json::Value arguments = run_.jsonata_or(state_, "Arguments", bindings, input);
      inspect("afterArguments", arguments);
      json::Value result = work_result(arguments);
      inspect("result", result);
      finish_jsonata(std::move(result));
      return;
    }
    case asl::StateType::Parallel: {
      json::Value arguments = run_.jsonata_or(state_, "Arguments", bindings, input);
      finish_jsonata(work_result(arguments));
      return;
    }
    case asl::StateType::Map: {
      evaluate_map_items(input, &bindings);
      finish_jsonata(work_result(input));
      return;
    }
  }
}

void SingleStateRun::finish_jsonata(json::Value result) {
  Thread& t = run_.thread(0);
  json::Object bindings = run_.jsonata_bindings(t, setup_.input, setup_.context, &result);
  json::Value output = run_.jsonata_or(state_, "Output", bindings, result);
  json::Object assigned = run_.jsonata_assign(state_.jsonata_field("Assign"), bindings);
  run_.check_size(t, output, state_.name);
  succeed(std::move(output), std::move(assigned), nullptr);
}

}  // namespace stepline::engine
