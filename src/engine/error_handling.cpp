// A state's work failed: Retry (back-off timers), Catch (the catcher's output and next state) or
// the thread fails; exceptions escaping a state become such errors.
#include "common/errors.hpp"
#include "engine/step_run.hpp"

#include <algorithm>
#include <cmath>

namespace stepline::engine {

namespace {

bool uncatchable(const StatesError& e, bool task_result) {
  if (!e.error) return false;
  if (*e.error == errors::kRuntime) return true;
  // Observed: a Lambda result over 256 KiB fails the Task with States.DataLimitExceeded, which
  // both a catcher naming it and States.ALL catch; oversized state data fails the execution.
  return *e.error == errors::kDataLimitExceeded && !task_result;
}

// asl::error_matches treats States.DataLimitExceeded as terminal; a task's result over the limit
// is matched here instead, by its own name and by States.ALL (observed).
bool error_matches(const std::vector<std::string>& error_equals, const std::string& error,
                   bool heartbeat, bool task_result) {
  if (task_result && error == errors::kDataLimitExceeded) {
    return std::any_of(error_equals.begin(), error_equals.end(), [&](const std::string& name) {
      return name == error || name == errors::kAll;
    });
  }
  return asl::error_matches(error_equals, error, heartbeat);
}

}  // namespace

void StepRun::handle_error(Thread& t, StatesError error, std::string_view failed_event,
                           bool heartbeat, bool task_result) {
  const asl::State& s = state_of(t);
  auto write_failed = [&] {
    if (!failed_event.empty()) emit(t, failed_event);
  };
  if (uncatchable(error, task_result)) {
    write_failed();
    fail_thread(t, std::move(error));
    return;
  }
  std::string name = error.error.value_or("");
  for (std::size_t i = 0; i < s.retry.size(); ++i) {
    const asl::Retrier& r = s.retry[i];
    if (!error_matches(r.error_equals, name, heartbeat, task_result)) continue;
    if (t.retry_counts.size() < s.retry.size()) t.retry_counts.resize(s.retry.size(), 0);
    if (t.retry_counts[i] >= r.max_attempts) break;  // the first match decides, even exhausted
    long long attempt = ++t.retry_counts[i];
    ++t.retry_count;
    double delay = static_cast<double>(r.interval_seconds) *
                   std::pow(r.backoff_rate, static_cast<double>(attempt - 1));
    if (r.max_delay_seconds) delay = std::min(delay, static_cast<double>(*r.max_delay_seconds));
    if (r.full_jitter && ids_) delay *= ids_->uniform();
    auto ms = static_cast<long long>(std::llround(std::min(delay, 1e12) * 1000.0));
    arm_timer(t, now_ + Millis(ms), TimerPurpose::Retry);
    return;
  }
  write_failed();
  for (const auto& c : s.catchers) {
    if (!error_matches(c.error_equals, name, heartbeat, task_result)) continue;
    json::Object error_output;
    error_output["Error"] = error.error ? json::Value(*error.error) : json::Value(nullptr);
    // Observed: a caught task timeout (no cause in TaskTimedOut/ExecutionFailed) gives the
    // catcher Cause "", not null.
    if (error.cause) {
      error_output["Cause"] = *error.cause;
    } else if (name == errors::kTimeout) {
      error_output["Cause"] = "";
    } else {
      error_output["Cause"] = nullptr;
    }
    json::Value error_value(std::move(error_output));
    try {
      json::Value context = context_object(t, s);
      json::Object assigned;
      json::Value output;
      if (s.query_language == asl::QueryLanguage::JSONata) {
        json::Object bindings = jsonata_bindings(t, t.input, context, nullptr, &error_value);
        output = c.output ? eval_jsonata(*c.output, "Output", bindings) : error_value;
        assigned = jsonata_assign(c.jsonata_assign ? &*c.jsonata_assign : nullptr, bindings);
      } else {
        assigned = evaluate_assign(t, c.assign, error_value, context);
        output = c.result_path.apply(t.input, error_value);
      }
      // The catcher decides where to go: Exited then the catcher's Next.
      check_size(t, output, s.name);
      json::Object details;
      details["name"] = s.name;
      details["output"] = json::dump(output);
      details["outputDetails"] = json::Object{{"truncated", false}};
      if (!assigned.empty()) {
        json::Object texts;
        for (const auto& [k, v] : assigned) texts[k] = json::dump(v);
        details["assignedVariables"] = std::move(texts);
        details["assignedVariablesDetails"] = json::Object{{"truncated", false}};
      }
      emit(t, std::string(asl::type_name(s.type)) + "StateExited", "stateExitedEventDetails",
           std::move(details));
      for (auto& [k, v] : assigned) t.variables[k] = std::move(v);
      t.retry_counts.clear();
      t.retry_count = 0;
      t.task_token.reset();
      t.state = c.next;
      t.input = std::move(output);
      t.entered = false;
      t.status = ThreadStatus::Running;
      make_runnable(t.id);
    } catch (const StatesException& e) {
      fail_thread(t, located(t, e));
    }
    return;
  }
  fail_thread(t, std::move(error));
}

void StepRun::on_exception(Thread& t, const StatesException& e) {
  StatesError error = located(t, e);
  if (const auto* failure = dynamic_cast<const asl::JsonataFailure*>(&e)) {
    json::Object d;
    d["error"] = error.error.value_or("");
    d["cause"] = error.cause.value_or("");
    if (failure->location()) d["location"] = *failure->location();
    d["state"] = t.state;
    // Observed: a Wait's EvaluationFailed follows its Entered event; other states' point where
    // their Entered event pointed.
    const asl::State& s = state_of(t);
    long long prev = s.type == asl::StateType::Wait ? t.entered_event_id : t.entered_prev;
    long long id =
        emit_after(t, prev, "EvaluationFailed", "evaluationFailedEventDetails", std::move(d));
    if (!t.silent) t.last_event = id;
    t.status = ThreadStatus::Running;
    handle_error(t, std::move(error), s.type == asl::StateType::Map ? "MapStateFailed" : "");
    return;
  }
  t.status = ThreadStatus::Running;
  handle_error(t, std::move(error));
}

}  // namespace stepline::engine
