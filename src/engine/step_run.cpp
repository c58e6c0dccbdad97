#include "engine/step_run.hpp"

#include "common/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <utility>

namespace stepline::engine {

const json::Value* ScopeLookup::find(std::string_view name) const {
  for (int id = thread_; id >= 0;) {
    const Thread& t = frame_.threads.at(id);
    if (const auto* v = t.variables.if_contains(name)) return v;
    id = t.parent;
  }
  return nullptr;
}

std::string runtime_cause(const Thread& t, std::string_view detail) {
  return fmt::format(
      "An error occurred while executing the state '{}' (entered at the event id "
      "#{}). {}",
      t.state, t.entered_event_id, detail);
}

StatesError located(const Thread& t, const StatesException& e) {
  if (e.error() == errors::kRuntime || e.error() == errors::kQueryEvaluationError) {
    if (e.cause().rfind("An error occurred while executing the state", 0) != 0) {
      return {e.error(), runtime_cause(t, e.cause())};
    }
  }
  return e.states_error();
}

StepRun::StepRun(const Interpreter& interpreter, IdSource* ids, Frame frame, TimePoint now)
    : interpreter_(interpreter),
      ids_(ids),
      frame_(std::move(frame)),
      now_(now),
      records_(interpreter.history_records()),
      event_storage_(records_ ? records_->storage() : interpreter.event_storage()),
      events_(event_storage_) {}

namespace {

// "<Type>StateEntered" / "<Type>StateExited", spelt once rather than concatenated per event.
std::string_view state_event_type(asl::StateType type, bool entered) {
  static const auto names = [] {
    std::array<std::array<std::string, 2>, 8> out;
    for (int i = 0; i < 8; ++i) {
      std::string base = asl::type_name(static_cast<asl::StateType>(i));
      out[i][0] = base + "StateExited";
      out[i][1] = base + "StateEntered";
    }
    return out;
  }();
  return names[static_cast<std::size_t>(type)][entered ? 1 : 0];
}

}  // namespace

json::Object StepRun::event_details(std::size_t members) const {
  json::Object details(event_storage_);
  details.reserve(members);
  return details;
}

json::Object StepRun::not_truncated() const {
  json::Object o(event_storage_);
  o.reserve(1);
  o.emplace("truncated", false);
  return o;
}

const asl::StatesBlock& StepRun::block_of(const Thread& t) const {
  return *interpreter_.machine().blocks.at(static_cast<std::size_t>(t.block));
}

const asl::State& StepRun::state_of(const Thread& t) const {
  const auto* s = block_of(t).find(t.state);
  if (!s) throw std::logic_error("frame names an unknown state: " + t.state);
  return *s;
}

long long StepRun::emit_after(const Thread& t, long long prev, std::string_view type,
                              std::string_view details_key, json::Object details) {
  if (t.silent) return 0;
  long long id = frame_.next_event_id++;
  if (records_) {
    HistoryRecord r;
    r.timestamp = now_;
    r.id = id;
    r.previous_event_id = prev;
    r.type = records_->keep(type);
    r.details_key = records_->keep(details_key);
    if (!details_key.empty()) r.details = json::Object(std::move(details), event_storage_);
    records_->append(std::move(r));
    return id;
  }
  // Members go in directly (reserved, no lookups by key): an event is built for every state
  // entered and exited.
  json::Object e(event_storage_);
  e.reserve(details_key.empty() ? 4 : 5);
  e.emplace("timestamp", to_epoch_seconds(now_));
  e.emplace("type", type);
  e.emplace("id", id);
  e.emplace("previousEventId", prev);
  if (!details_key.empty()) e.emplace(details_key, std::move(details));
  events_.emplace_back(std::move(e));
  return id;
}

long long StepRun::emit_data(const Thread& t, long long prev, std::string_view type,
                             std::string_view details_key, const std::string* name,
                             std::string_view field, std::string_view text) {
  if (t.silent) return 0;
  if (records_) {
    HistoryRecord r;
    r.timestamp = now_;
    r.id = frame_.next_event_id++;
    r.previous_event_id = prev;
    r.type = records_->keep(type);
    r.details_key = records_->keep(details_key);
    r.has_name = name != nullptr;
    if (name) r.name = records_->keep(*name);
    r.data_field = field;  // a literal of the callers
    r.data = text;         // already on the records' storage
    records_->append(std::move(r));
    return r.id;
  }
  json::Object details = event_details(3);
  if (name) details.emplace("name", *name);
  details.emplace(field, json::String(text, event_storage_));
  details.emplace(
      field == "input" ? std::string_view("inputDetails") : std::string_view("outputDetails"),
      not_truncated());
  return emit_after(t, prev, type, details_key, std::move(details));
}

std::string_view StepRun::event_text(const json::Value& value) {
  std::string_view text = json::dump_scratch(value);
  if (records_) return records_->keep(text);
  if (text.empty()) return {};
  auto* bytes = static_cast<char*>(text_arena_.allocate(text.size(), 1));
  std::memcpy(bytes, text.data(), text.size());
  return {bytes, text.size()};
}

std::string_view StepRun::take_input_text(const Thread& t) {
  const auto i = static_cast<std::size_t>(t.id);
  if (i >= input_texts_.size()) return {};
  return std::exchange(input_texts_[i], {});
}

void StepRun::set_input_text(const Thread& t, std::string_view text) {
  const auto i = static_cast<std::size_t>(t.id);
  if (i >= input_texts_.size()) input_texts_.resize(i + 1);
  input_texts_[i] = text;
}

long long StepRun::emit(Thread& t, std::string_view type, std::string_view details_key,
                        json::Object details) {
  long long id = emit_after(t, t.last_event, type, details_key, std::move(details));
  if (!t.silent) t.last_event = id;
  return id;
}

void StepRun::start(json::Value input) {
  frame_.execution_input = input;
  frame_.start_time = now_;
  Thread top;
  top.id = frame_.next_thread++;
  top.block = interpreter_.machine().root->id;
  top.state = interpreter_.machine().root->start_at;
  // The first state's Entered event writes the same text.
  std::string_view text = event_text(input);
  set_input_text(top, text);
  top.input = std::move(input);
  json::Object details = event_details(3);
  details.emplace("input", json::String(text, event_storage_));
  details.emplace("inputDetails", not_truncated());
  details.emplace("roleArn", interpreter_.info().role_arn);
  // The first state's Entered event also points at 0 (observed).
  emit_after(top, 0, "ExecutionStarted", "executionStartedEventDetails", std::move(details));
  top.last_event = 0;
  frame_.threads.emplace(top.id, std::move(top));
  runnable_.push_back(0);
}

void StepRun::run() {
  while (!runnable_.empty() && frame_.status == "RUNNING") {
    int id = runnable_.front();
    runnable_.pop_front();
    run_thread(id);
  }
  if (frame_.status != "RUNNING") return;
  for (const auto& [id, task_id] : starting_) {
    auto it = frame_.threads.find(id);
    if (it == frame_.threads.end()) continue;
    Thread& t = it->second;
    // Aborted, or answered/timed out already: that dispatch has no Started event to write.
    if (t.status != ThreadStatus::AwaitingTask || t.task_id != task_id || t.task_started) continue;
    write_started(t, std::get<asl::TaskState>(state_of(t).spec), std::nullopt);
  }
  starting_.clear();
}

void StepRun::run_thread(int id) {
  while (frame_.status == "RUNNING") {
    auto it = frame_.threads.find(id);
    if (it == frame_.threads.end()) return;
    Thread& t = it->second;
    if (t.status != ThreadStatus::Running) return;
    const asl::State& s = state_of(t);
    try {
      if (!t.entered) {
        std::string_view text = take_input_text(t);
        if (text.empty() && !t.silent) text = event_text(t.input);
        t.entered_prev = t.last_event;
        t.entered_event_id = emit_data(t, t.last_event, state_event_type(s.type, true),
                                       "stateEnteredEventDetails", &s.name, "input", text);
        if (!t.silent) t.last_event = t.entered_event_id;
        t.entered_time = now_;
        t.entered = true;
        t.retry_counts.assign(s.retry.size(), 0);
        t.retry_count = 0;
        execute(t, s);
      } else {
        // Resumed after a retry back-off: run the state's work again.
        switch (s.type) {
          // Parameters are evaluated again: $$.State.RetryCount has moved on.
          case asl::StateType::Task:
            execute(t, s);
            break;
          case asl::StateType::Parallel:
            start_parallel(t, s);
            break;
          case asl::StateType::Map:
            start_map(t, s);
            break;
          default:
            execute(t, s);
            break;
        }
      }
    } catch (const StatesException& e) {
      // Threads may have been erased by aborts; look the thread up again.
      auto again = frame_.threads.find(id);
      if (again == frame_.threads.end()) return;
      on_exception(again->second, e);
    } catch (const std::exception& e) {
      // Never crash on a definition or input we did not foresee: fail the execution honestly.
      auto again = frame_.threads.find(id);
      if (again == frame_.threads.end()) return;
      fail_thread(again->second,
                  {std::string(errors::kRuntime), runtime_cause(again->second, e.what())});
    }
  }
}

void StepRun::execute(Thread& t, const asl::State& s) {
  if (s.query_language == asl::QueryLanguage::JSONata) {
    execute_jsonata(t, s);
    return;
  }
  switch (s.type) {
    case asl::StateType::Pass:
      execute_pass(t, s);
      break;
    case asl::StateType::Task:
      execute_task(t, s);
      break;
    case asl::StateType::Choice:
      execute_choice(t, s);
      break;
    case asl::StateType::Wait:
      execute_wait(t, s);
      break;
    case asl::StateType::Succeed:
      execute_succeed(t, s);
      break;
    case asl::StateType::Fail:
      execute_fail(t, s);
      break;
    case asl::StateType::Parallel:
      execute_parallel(t, s);
      break;
    case asl::StateType::Map:
      execute_map(t, s);
      break;
  }
}

void StepRun::exit_state(Thread& t, json::Value output, json::Object assigned,
                         std::optional<long long> exited_prev, const std::string* next) {
  const asl::State& s = state_of(t);
  // Silent threads write no events, but their data still has the size limit.
  std::string_view text;
  if (t.silent) {
    check_size(t, output, s.name);
  } else {
    text = event_text(output);
    check_text_size(text, s.name);
  }
  const long long prev = exited_prev.value_or(t.last_event);
  long long id = 0;
  if (assigned.empty()) {
    id = emit_data(t, prev, state_event_type(s.type, false), "stateExitedEventDetails", &s.name,
                   "output", text);
  } else {
    json::Object details = event_details(5);
    details.emplace("name", s.name);
    details.emplace("output", json::String(text, event_storage_));
    details.emplace("outputDetails", not_truncated());
    json::Object texts = event_details(assigned.size());
    for (const auto& [k, v] : assigned) texts[k] = dump_for_event(v);
    details.emplace("assignedVariables", std::move(texts));
    details.emplace("assignedVariablesDetails", not_truncated());
    id = emit_after(t, prev, state_event_type(s.type, false), "stateExitedEventDetails",
                    std::move(details));
  }
  if (!t.silent) t.last_event = id;
  for (auto& [k, v] : assigned) t.variables[k] = std::move(v);
  t.retry_counts.clear();
  t.retry_count = 0;
  t.task_token.reset();
  t.timer = TimerPurpose::None;
  if (s.end || s.type == asl::StateType::Succeed) {
    succeed_thread(t, std::move(output), text);
    return;
  }
  if (!next && s.next) next = &*s.next;
  if (!next) {
    fail_thread(t,
                {std::string(errors::kRuntime), runtime_cause(t, "The state has no transition.")});
    return;
  }
  t.state = *next;
  t.input = std::move(output);
  set_input_text(t, text);
  t.entered = false;
  t.status = ThreadStatus::Running;
  make_runnable(t.id);
}

void StepRun::succeed_thread(Thread& t, json::Value output, std::string_view output_text) {
  t.status = ThreadStatus::Succeeded;
  t.output = std::move(output);
  if (t.parent < 0) {
    if (output_text.empty()) output_text = event_text(t.output);
    long long id = emit_data(t, t.last_event, "ExecutionSucceeded",
                             "executionSucceededEventDetails", nullptr, "output", output_text);
    if (!t.silent) t.last_event = id;
    frame_.status = "SUCCEEDED";
    frame_.output = t.output;
    return;
  }
  child_finished(thread(t.parent), t);
}

void StepRun::fail_execution(long long prev, const StatesError& error) {
  json::Object details;
  if (error.error) details["error"] = *error.error;
  if (error.cause) details["cause"] = *error.cause;
  Thread& top = thread(0);
  emit_after(top, prev, "ExecutionFailed", "executionFailedEventDetails", std::move(details));
  frame_.status = "FAILED";
  frame_.error = error;
}

void StepRun::fail_thread(Thread& t, StatesError error) {
  t.status = ThreadStatus::Failed;
  t.error = std::move(error);
  if (t.parent < 0) {
    fail_execution(t.last_event, t.error);
    return;
  }
  child_finished(thread(t.parent), t);
}

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

void StepRun::arm_timer(Thread& t, TimePoint due, TimerPurpose purpose) {
  t.status = ThreadStatus::AwaitingTimer;
  t.timer = purpose;
  Effect e;
  e.id = t.timer_id = next_effect_id();
  e.kind = Effect::Kind::ArmTimer;
  e.thread = t.id;
  e.due = due;
  effects_.push_back(std::move(e));
}

void StepRun::timer_fired(int id, long long effect_id) {
  auto it = frame_.threads.find(id);
  if (it == frame_.threads.end()) return;
  Thread& t = it->second;
  if (t.status == ThreadStatus::AwaitingTask &&
      (effect_id == t.task_timer_id || effect_id == t.heartbeat_timer_id)) {
    bool heartbeat = effect_id == t.heartbeat_timer_id;
    t.task_id = 0;
    task_timed_out(*this, t, state_of(t), heartbeat);
    make_runnable(id);
    return;
  }
  if (t.status != ThreadStatus::AwaitingTimer || effect_id != t.timer_id) return;
  TimerPurpose purpose = t.timer;
  t.timer = TimerPurpose::None;
  t.status = ThreadStatus::Running;
  if (purpose == TimerPurpose::Wait) {
    try {
      finish_wait(t, state_of(t));
    } catch (const StatesException& e) {
      on_exception(t, e);
    }
  }
  // Retry: run_thread re-runs the work because the state is already entered.
  make_runnable(id);
}

void StepRun::task_started(int id, long long effect_id, const std::optional<std::string>& worker) {
  auto it = frame_.threads.find(id);
  if (it == frame_.threads.end() || it->second.status != ThreadStatus::AwaitingTask) return;
  Thread& t = it->second;
  if (effect_id != t.task_id || t.task_started) return;
  write_started(t, std::get<asl::TaskState>(state_of(t).spec), worker);
}

void StepRun::heartbeat(int id, long long effect_id) {
  auto it = frame_.threads.find(id);
  if (it == frame_.threads.end() || it->second.status != ThreadStatus::AwaitingTask) return;
  Thread& t = it->second;
  if (effect_id != t.task_id || !t.heartbeat_seconds) return;
  // A new timer id makes the one already armed stale: it will fire and be ignored.
  Effect timer;
  timer.id = t.heartbeat_timer_id = next_effect_id();
  timer.kind = Effect::Kind::ArmTimer;
  timer.thread = t.id;
  timer.due = now_ + std::chrono::seconds(*t.heartbeat_seconds);
  add_effect(std::move(timer));
}

void StepRun::task_completed(int id, long long effect_id,
                             const integrations::TaskOutcome& outcome) {
  auto it = frame_.threads.find(id);
  if (it == frame_.threads.end() || it->second.status != ThreadStatus::AwaitingTask) return;
  Thread& t = it->second;
  if (effect_id != t.task_id) return;
  if (outcome.kind != integrations::TaskOutcome::Kind::Pending) {
    t.task_id = 0;
    t.task_timer_id = 0;
    t.heartbeat_timer_id = 0;
  }
  t.status = ThreadStatus::Running;
  try {
    finish_task(t, state_of(t), outcome);
  } catch (const StatesException& e) {
    on_exception(t, e);
  }
  make_runnable(id);
}

void StepRun::stop(const StatesError& error) {
  if (frame_.status != "RUNNING") return;
  json::Object details;
  if (error.error) details["error"] = *error.error;
  if (error.cause) details["cause"] = *error.cause;
  emit_after(thread(0), 0, "ExecutionAborted", "executionAbortedEventDetails", std::move(details));
  frame_.status = "ABORTED";
  frame_.error = error;
}

void StepRun::timed_out() {
  if (frame_.status != "RUNNING") return;
  Thread& top = thread(0);
  json::Object details;
  details["error"] = errors::kTimeout;
  emit_after(top, top.last_event, "ExecutionTimedOut", "executionTimedOutEventDetails",
             std::move(details));
  frame_.status = "TIMED_OUT";
  frame_.error = {std::string(errors::kTimeout), std::nullopt};
}

Step StepRun::finish() && {
  if (frame_.status != "RUNNING") effects_.clear();
  // Move-constructed, not assigned: the events keep their storage (assigning an array across
  // storages copies it).
  return Step{std::move(frame_), std::move(events_), std::move(effects_)};
}

}  // namespace stepline::engine
