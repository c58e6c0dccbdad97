// TestState's task work (the mock, or the invoker) and its errors: Retry and Catch decided the
// way TestState reports them, RETRIABLE and CAUGHT_ERROR instead of waiting or moving on.
#include "engine/test_state_run.hpp"

#include "common/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace stepline::engine {

namespace {

bool uncatchable(const StatesError& e) {
  return e.error && (*e.error == errors::kRuntime || *e.error == errors::kDataLimitExceeded);
}
}  // namespace

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
