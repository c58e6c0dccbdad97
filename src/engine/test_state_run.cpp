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

bool uncatchable(const StatesError& e) {
  return e.error && (*e.error == errors::kRuntime || *e.error == errors::kDataLimitExceeded);
}

std::optional<double> numeric(const json::Value& v) {
  double d = 0;
  if (json::as_double(v, d)) return d;
  if (v.is_string()) {
    std::string s(v.as_string());
    char* end = nullptr;
    d = std::strtod(s.c_str(), &end);
    if (!s.empty() && end && *end == '\0' && std::isfinite(d)) return d;
  }
  return std::nullopt;
}

json::Value integral_or_double(double d) {
  if (std::floor(d) == d && std::fabs(d) < 9e15) return static_cast<long long>(d);
  return d;
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

// ---- Map items and limits (both query languages) ----

void SingleStateRun::evaluate_map_items(const json::Value& effective,
                                        const json::Object* bindings) {
  const auto& map = std::get<asl::MapState>(state_.spec);
  Thread& t = run_.thread(0);
  const json::Value& context = setup_.context;
  ScopeLookup vars(run_.frame(), 0);
  auto ctx = run_.eval_context(t, effective, context, vars);

  std::optional<json::Value> items;
  if (setup_.raw->if_contains("ItemReader")) {
    // The items a reader would fetch are given by the test, or unknown.
    if (request_.map_item_reader_data) {
      try {
        items = json::parse(*request_.map_item_reader_data);
      } catch (const json::ParseError&) {
        throw TestStateRefusal("ValidationException", "Map item reader data must be valid JSON");
      }
    }
  } else if (bindings) {
    if (const auto* v = state_.jsonata_field("Items")) {
      items = run_.eval_jsonata(*v, "Items", *bindings);
      if (!items->is_array()) {
        throw asl::JsonataFailure(
            fmt::format("The JSONata expression '{}' specified for the field 'Items' returned an "
                        "unexpected result type. Expected 'array', but was '{}' for value: {}",
                        v->source(), items->is_object() ? "object" : "value", json::dump(*items)),
            "Items");
      }
    } else {
      items = effective;
      if (!items->is_array()) {
        throw asl::JsonataFailure(
            fmt::format("Map state input must be an array but was: {}", json::dump(*items)),
            std::nullopt);
      }
    }
  } else {
    items = effective;
    if (map.items_path) {
      auto r = map.items_path->evaluate(ctx);
      if (!r.found()) {
        throw StatesException(errors::kRuntime, fmt::format("Invalid path '{}' : {}",
                                                            map.items_path->text(), r.failure));
      }
      items = r.value();
    }
    std::string text = map.items_path ? map.items_path->text() : "$";
    // AWS names a context path with one `$` in this message.
    if (text.rfind("$$", 0) == 0) text.erase(0, 1);
    if (!items->is_array()) {
      throw StatesException(errors::kRuntime,
                            fmt::format("Reference path \"{}\" must point to array.", text));
    }
    inspect("afterItemsPath", *items);
  }
  if (items && items->is_array()) {
    // What each iteration would receive: ItemSelector, then batching.
    const auto* jsonata_selector = bindings ? state_.jsonata_field("ItemSelector") : nullptr;
    if (jsonata_selector || map.item_selector) {
      json::Array selected;
      long long i = 0;
      for (const auto& item : items->as_array()) {
        json::Value item_context = setup_.context;
        if (item_context.is_object()) {
          item_context.as_object()["Map"] =
              json::Object{{"Item", json::Object{{"Index", i++}, {"Value", item}}}};
        }
        if (jsonata_selector) {
          json::Object item_bindings = run_.jsonata_bindings(t, setup_.input, item_context);
          selected.push_back(run_.eval_jsonata(*jsonata_selector, "ItemSelector", item_bindings));
        } else {
          selected.push_back(evaluate(*map.item_selector, effective, item_context));
        }
      }
      items = json::Value(std::move(selected));
      inspect("afterItemSelector", *items);
    }
    if (map.item_batcher && !bindings) {
      json::Array batches = run_.batch(t, state_, items->as_array(), ctx);
      inspect("afterItemBatcher", json::Value(batches));
      map_items_ = static_cast<long long>(batches.size());
    }
  }
  if (items && items->is_array() && map_items_ < 0) {
    map_items_ = static_cast<long long>(items->as_array().size());
  }

  auto jsonata_number = [&](std::string_view field) -> std::optional<double> {
    const auto* v = bindings ? state_.jsonata_field(field) : nullptr;
    if (!v) return std::nullopt;
    json::Value r = run_.eval_jsonata(*v, field, *bindings);
    auto n = numeric(r);
    if (!n) {
      throw asl::JsonataFailure(
          fmt::format("The {} field must be a number but was: {}", field, json::dump(r)),
          std::string(field));
    }
    return n;
  };
  auto path_number = [&](const query::jsonpath::Path& p) -> std::optional<double> {
    auto r = p.evaluate(ctx);
    return r.found() ? numeric(r.value()) : std::nullopt;
  };
  std::optional<double> concurrency =
      map.max_concurrency.value ? std::optional<double>(*map.max_concurrency.value) : std::nullopt;
  if (auto n = jsonata_number("MaxConcurrency")) concurrency = n;
  if (map.max_concurrency.path) concurrency = path_number(*map.max_concurrency.path);
  std::optional<double> count = map.tolerated_failure_count.value
                                    ? std::optional<double>(*map.tolerated_failure_count.value)
                                    : std::nullopt;
  if (auto n = jsonata_number("ToleratedFailureCount")) count = n;
  if (map.tolerated_failure_count.path) count = path_number(*map.tolerated_failure_count.path);
  std::optional<double> percentage = map.tolerated_failure_percentage.value;
  if (auto n = jsonata_number("ToleratedFailurePercentage")) percentage = n;
  if (map.tolerated_failure_percentage.path) {
    percentage = path_number(*map.tolerated_failure_percentage.path);
  }
  if (inspecting_) {
    inspection_["maxConcurrency"] = integral_or_double(concurrency.value_or(0));
    if (count) inspection_["toleratedFailureCount"] = integral_or_double(*count);
    if (percentage) inspection_["toleratedFailurePercentage"] = *percentage;
  }

  // The failed iterations the test asks for, against the tolerated failures.
  if (request_.map_iteration_failure_count && !setup_.mock_error) {
    long long failures = *request_.map_iteration_failure_count;
    if (map_items_ >= 0 && failures > map_items_) {
      throw TestStateRefusal(
          "ValidationException",
          "Map iteration failure count must be less than or equal to the number of Map "
          "iterations");
    }
    if (failures > 0) {
      bool tolerated =
          (count && static_cast<double>(failures) <= *count) ||
          (percentage && map_items_ > 0 &&
           static_cast<double>(failures) * 100.0 / static_cast<double>(map_items_) <= *percentage);
      if (!tolerated) {
        throw StatesException(errors::kExceedToleratedFailureThreshold,
                              "The specified tolerated failure threshold was exceeded");
      }
    }
  }
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

// ---- the work: mocked, or run by the invoker ----

json::Value SingleStateRun::work_result(const json::Value& effective) {
  if (setup_.mock_error) {
    const StatesError& e = *setup_.mock_error;
    throw StatesException(e.error.value_or(""), e.cause.value_or(""));
  }
  if (setup_.mock_result) return *setup_.mock_result;
  if (state_.type != asl::StateType::Task) {
    throw TestStateRefusal("InvalidDefinition",
                           "TestState API does not support Map or Parallel states. Supported "
                           "state types include: [Task, Wait, Pass, Succeed, Fail, Choice]");
  }
  const auto& task = std::get<asl::TaskState>(state_.spec);
  if (!env_.invoker) {
    throw StatesException(errors::kTaskFailed,
                          fmt::format("No integration is configured to run the resource '{}' "
                                      "outside an execution; give the test a mock.",
                                      task.resource));
  }
  integrations::TaskRequest request;
  request.execution_arn = interpreter_.info().execution_arn;
  request.state_machine_name = interpreter_.info().state_machine_name;
  request.state_name = state_.name;
  request.resource = task.resource;
  request.input = effective;
  request.timeout_seconds = task.timeout_seconds;
  request.heartbeat_seconds = task.heartbeat_seconds;
  integrations::TaskOutcome outcome = env_.invoker->invoke(request);
  switch (outcome.kind) {
    case integrations::TaskOutcome::Kind::Succeeded:
      return outcome.output;
    case integrations::TaskOutcome::Kind::Failed:
      throw StatesException(outcome.error.error.value_or(""), outcome.error.cause.value_or(""));
    case integrations::TaskOutcome::Kind::Pending:
      break;
  }
  throw StatesException(errors::kTaskFailed,
                        "The task did not complete within the TestState call; give the test a "
                        "mock for callback and .sync integrations.");
}

// ---- Retry and Catch, as TestState reports them ----

void SingleStateRun::on_error(StatesError error) {
  has_error_ = true;
  error_ = error;
  output_.reset();
  next_state_.reset();
  status_ = "FAILED";
  if (uncatchable(error)) return;
  const std::string name = error.error.value_or("");
  for (std::size_t i = 0; i < state_.retry.size(); ++i) {
    const asl::Retrier& r = state_.retry[i];
    if (!asl::error_matches(r.error_equals, name)) continue;
    error_details_["retryIndex"] = static_cast<long long>(i);
    long long attempts = request_.retrier_retry_count.value_or(0);
    if (attempts < r.max_attempts) {
      double delay = static_cast<double>(r.interval_seconds) *
                     std::pow(r.backoff_rate, static_cast<double>(attempts));
      if (r.max_delay_seconds) delay = std::min(delay, static_cast<double>(*r.max_delay_seconds));
      error_details_["retryBackoffIntervalSeconds"] = static_cast<long long>(std::min(delay, 9e15));
      status_ = "RETRIABLE";
      return;
    }
    break;  // the first matching retrier decides, even when exhausted
  }
  for (std::size_t i = 0; i < state_.catchers.size(); ++i) {
    const asl::Catcher& c = state_.catchers[i];
    if (!asl::error_matches(c.error_equals, name)) continue;
    error_details_["catchIndex"] = static_cast<long long>(i);
    try {
      catch_error(c, error);
    } catch (const StatesException& e) {
      error_ = e.states_error();
      error_details_.erase("catchIndex");
      status_ = "FAILED";
      output_.reset();
      next_state_.reset();
    }
    return;
  }
}

void SingleStateRun::catch_error(const asl::Catcher& catcher, const StatesError& error) {
  Thread& t = run_.thread(0);
  json::Object error_output;
  error_output["Error"] = error.error ? json::Value(*error.error) : json::Value(nullptr);
  error_output["Cause"] = error.cause ? json::Value(*error.cause) : json::Value(nullptr);
  json::Value error_value(std::move(error_output));
  json::Object assigned;
  json::Value output;
  if (state_.query_language == asl::QueryLanguage::JSONata) {
    json::Object bindings =
        run_.jsonata_bindings(t, setup_.input, setup_.context, nullptr, &error_value);
    output = catcher.output ? run_.eval_jsonata(*catcher.output, "Output", bindings) : error_value;
    assigned =
        run_.jsonata_assign(catcher.jsonata_assign ? &*catcher.jsonata_assign : nullptr, bindings);
  } else {
    assigned = run_.evaluate_assign(t, catcher.assign, error_value, setup_.context);
    output = catcher.result_path.apply(setup_.input, error_value);
  }
  run_.check_size(t, output, state_.name);
  for (auto& [k, v] : assigned) t.variables[k] = std::move(v);
  output_ = std::move(output);
  next_state_ = catcher.next;
  status_ = "CAUGHT_ERROR";
}

}  // namespace stepline::engine
