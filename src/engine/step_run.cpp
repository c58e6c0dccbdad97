// The step in progress: starting an execution, running its threads state by state, and the
// transitions between states (Exited, next state or end of the thread).
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

const asl::StatesBlock& StepRun::block_of(const Thread& t) const {
  return *interpreter_.machine().blocks.at(static_cast<std::size_t>(t.block));
}

const asl::State& StepRun::state_of(const Thread& t) const {
  // A state is looked up several times in a row (entered, run, exited): the last one found is
  // checked first, a name compare instead of a walk down the block's map.
  if (last_state_ && last_block_ == t.block && last_state_->name == t.state) return *last_state_;
  const auto* s = block_of(t).find(t.state);
  if (!s) throw std::logic_error("frame names an unknown state: " + t.state);
  last_state_ = s;
  last_block_ = t.block;
  return *s;
}

StepRun::~StepRun() = default;

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
  // The first state's Entered event also points at 0 (observed).
  if (records_) {
    // A compact record: one is written for every execution.
    HistoryRecord r;
    r.timestamp = now_;
    r.id = frame_.next_event_id++;
    r.type = "ExecutionStarted";
    r.details_key = "executionStartedEventDetails";
    r.data_field = "input";
    r.data = text;
    r.last_key = "roleArn";
    r.last_value = records_->keep(interpreter_.info().role_arn);
    records_->append(std::move(r));
  } else {
    json::Object details = event_details(3);
    details.emplace("input", json::String(text, event_storage_));
    details.emplace("inputDetails", not_truncated());
    details.emplace("roleArn", interpreter_.info().role_arn);
    emit_after(top, 0, "ExecutionStarted", "executionStartedEventDetails", std::move(details));
  }
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
  // Whatever still runs ahead (a Map aborted with the execution) is of no use now.
  preruns_.clear();
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
    if (t.ran_ahead && splice_ran_ahead(t)) return;
    const asl::State& s = state_of(t);
    try {
      if (!t.entered) {
        std::string_view text = take_input_text(t);
        if (text.empty() && !t.silent) text = event_text(t.input);
        entered_text_ = text;
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
        entered_text_ = {};
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
                         std::optional<long long> exited_prev, const std::string* next,
                         std::string_view output_text) {
  const asl::State& s = state_of(t);
  // Silent threads write no events, but their data still has the size limit.
  std::string_view text;
  if (t.silent) {
    check_size(t, output, s.name);
  } else {
    text = output_text.empty() ? event_text(output) : output_text;
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
    // The frame holds the execution's output; the finished top thread needs no copy of it.
    frame_.output = std::move(t.output);
    return;
  }
  if (t.id == ran_ahead_root_) return;
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
  if (t.id == ran_ahead_root_) return;
  child_finished(thread(t.parent), t);
}

Step StepRun::finish() && {
  if (frame_.status != "RUNNING") effects_.clear();
  // Move-constructed, not assigned: the events keep their storage (assigning an array across
  // storages copies it).
  return Step{std::move(frame_), std::move(events_), std::move(effects_)};
}

}  // namespace stepline::engine
