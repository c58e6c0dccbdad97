// The states that need no outside help: Pass, Choice, Wait, Succeed, Fail.
#include "common/errors.hpp"
#include "engine/step_run.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

namespace stepline::engine {

namespace {

// The node OutputPath picked, moved out of where it lives (OutputPath's own selection, InputPath's
// selection, or the thread's input itself): a Choice or Succeed state has no Catch, so nothing
// needs its input afterwards and it moves on rather than being copied.
json::Value moved_output(const json::Value& out, json::Value& out_selected, json::Value& selected,
                         json::Value& input) {
  if (&out == &out_selected) return std::move(out_selected);
  if (&out == &selected) return std::move(selected);
  return std::move(input);
}

// The output's text when it is the input itself (InputPath and OutputPath select the whole
// data): the text the state's Entered event wrote, not dumped again. Empty otherwise.
std::string_view unchanged_text(const StepRun& run, const json::Value& out,
                                const json::Value& input) {
  return &out == &input ? run.entered_text() : std::string_view();
}

}  // namespace

void StepRun::execute_pass(Thread& t, const asl::State& s) {
  const auto& pass = std::get<asl::PassState>(s.spec);
  StateContext context(*this, t, s);
  json::Value selected;
  const json::Value& effective = select_data_path(t, s.flow.input_path, t.input, context, selected);
  // Result is the output of the Pass state's virtual task: it wins over Parameters, which only
  // shape that task's input (observed through TestState), but are still evaluated (their errors
  // stand). Built in place, not assigned.
  json::Value result = [&]() -> json::Value {
    if (s.flow.parameters) {
      ScopeLookup vars(frame_, t.id);
      json::Value task_input =
          s.flow.parameters->evaluate(eval_context(t, effective, context, vars));
      if (!pass.result) return task_input;
    }
    if (pass.result) return *pass.result;
    return &effective == &selected ? std::move(selected) : effective;
  }();
  json::Object assigned = evaluate_assign(t, s.flow.assign, result, context);
  // A Pass state has no Catch: its raw input is not needed once the result is placed, so it moves
  // into the output instead of being copied.
  json::Value output = s.flow.result_path.replaces_input()
                           ? std::move(result)
                           : s.flow.result_path.apply(std::move(t.input), std::move(result));
  json::Value out_selected;
  const json::Value& out = select_data_path(t, s.flow.output_path, output, context, out_selected);
  exit_state(t, &out == &out_selected ? std::move(out_selected) : std::move(output),
             std::move(assigned));
}

void StepRun::execute_choice(Thread& t, const asl::State& s) {
  const auto& choice = std::get<asl::ChoiceState>(s.spec);
  StateContext context(*this, t, s);
  json::Value selected;
  const json::Value& effective = select_data_path(t, s.flow.input_path, t.input, context, selected);
  ScopeLookup vars(frame_, t.id);
  auto ctx = eval_context(t, effective, context, vars);
  const std::string* next = nullptr;
  const std::optional<query::PayloadTemplate>* assign = &s.flow.assign;
  for (const auto& branch : choice.choices) {
    if (branch.rule && branch.rule->evaluate(ctx)) {
      next = &branch.next;
      if (branch.assign) assign = &branch.assign;
      break;
    }
  }
  if (!next) {
    if (!choice.default_next) {
      throw StatesException(errors::kNoChoiceMatched, "No Matches!");
    }
    next = &*choice.default_next;
  }
  json::Object assigned = evaluate_assign(t, *assign, effective, context);
  json::Value out_selected;
  const json::Value& out =
      select_data_path(t, s.flow.output_path, effective, context, out_selected);
  const std::string_view text = unchanged_text(*this, out, t.input);
  json::Value output = moved_output(out, out_selected, selected, t.input);
  exit_state(t, std::move(output), std::move(assigned), std::nullopt, next, text);
}

namespace {

// Beyond about 2^31 seconds AWS refuses the delay.
constexpr long long kMaxWaitSeconds = 2147483647LL;

std::string show(const json::Value& v) {
  if (v.is_string()) return std::string(v.as_string());
  return json::dump(v);
}

}  // namespace

void StepRun::execute_wait(Thread& t, const asl::State& s) {
  const auto& wait = std::get<asl::WaitState>(s.spec);
  StateContext context(*this, t, s);
  json::Value effective = apply_data_path(t, s.flow.input_path, t.input, context);
  TimePoint due = now_;
  auto add_seconds = [&](long long seconds) {
    if (seconds > kMaxWaitSeconds) {
      throw StatesException(errors::kRuntime, "Wait state delay is too long.");
    }
    due = now_ + std::chrono::seconds(seconds);
  };
  auto until = [&](const std::string& text, bool from_path) {
    auto parsed = parse_rfc3339(text);
    if (!parsed) {
      if (from_path) {
        throw StatesException(
            errors::kRuntime,
            fmt::format("The TimestampPath parameter does not reference a valid ISO-8601 "
                        "extended offset date-time format string: {} == {}",
                        wait.timestamp_path->text(), text));
      }
      throw StatesException(errors::kRuntime,
                            fmt::format("The Timestamp field cannot be parsed as an ISO-8601 "
                                        "extended offset date-time format string: {}",
                                        text));
    }
    auto target = std::chrono::floor<Millis>(*parsed);
    if (target - now_ > std::chrono::seconds(kMaxWaitSeconds)) {
      throw StatesException(errors::kRuntime, "Wait state delay is too long.");
    }
    due = std::max(now_, TimePoint(target));
  };
  if (wait.seconds) {
    add_seconds(*wait.seconds);
  } else if (wait.timestamp) {
    until(*wait.timestamp, false);
  } else if (wait.seconds_path || wait.timestamp_path) {
    const auto& path = wait.seconds_path ? *wait.seconds_path : *wait.timestamp_path;
    const char* field = wait.seconds_path ? "SecondsPath" : "TimestampPath";
    ScopeLookup vars(frame_, t.id);
    auto r = path.evaluate(eval_context(t, effective, context, vars));
    if (!r.found()) {
      throw StatesException(errors::kRuntime,
                            fmt::format("The {} parameter does not reference an input value: {}",
                                        field, path.text()));
    }
    const json::Value& v = r.value();
    if (wait.seconds_path) {
      double d = 0;
      bool integral = v.is_int64() || v.is_uint64() ||
                      (v.is_double() && json::as_double(v, d) && std::floor(d) == d);
      if (!integral) {
        throw StatesException(
            errors::kRuntime,
            fmt::format("The SecondsPath parameter cannot be parsed as a long value: {} == {}",
                        path.text(), show(v)));
      }
      json::as_double(v, d);
      if (d < 0) {
        throw StatesException(
            errors::kRuntime,
            fmt::format("The SecondsPath parameter references a negative value: {} == {}",
                        path.text(), show(v)));
      }
      add_seconds(v.is_uint64()  ? kMaxWaitSeconds + 1
                  : v.is_int64() ? v.as_int64()
                                 : static_cast<long long>(std::min(d, 1e18)));
    } else {
      if (!v.is_string()) {
        throw StatesException(
            errors::kRuntime,
            fmt::format("The TimestampPath parameter does not reference a valid ISO-8601 "
                        "extended offset date-time format string: {} == {}",
                        path.text(), show(v)));
      }
      until(std::string(v.as_string()), true);
    }
  }
  t.effective = std::move(effective);
  arm_timer(t, due, TimerPurpose::Wait);
}

void StepRun::finish_wait(Thread& t, const asl::State& s) {
  StateContext context(*this, t, s);
  if (s.query_language == asl::QueryLanguage::JSONata) {
    json::Object bindings = jsonata_bindings(t, t.input, context.value());
    json::Value output = jsonata_or(s, "Output", bindings, t.input);
    json::Object assigned = jsonata_assign(s.jsonata_field("Assign"), bindings);
    exit_state(t, std::move(output), std::move(assigned));
    return;
  }
  json::Object assigned = evaluate_assign(t, s.flow.assign, t.effective, context);
  json::Value output = apply_data_path(t, s.flow.output_path, t.effective, context);
  exit_state(t, std::move(output), std::move(assigned));
}

void StepRun::execute_succeed(Thread& t, const asl::State& s) {
  StateContext context(*this, t, s);
  json::Value selected;
  const json::Value& effective = select_data_path(t, s.flow.input_path, t.input, context, selected);
  json::Value out_selected;
  const json::Value& out =
      select_data_path(t, s.flow.output_path, effective, context, out_selected);
  const std::string_view text = unchanged_text(*this, out, t.input);
  json::Value output = moved_output(out, out_selected, selected, t.input);
  exit_state(t, std::move(output), {}, std::nullopt, nullptr, text);
}

void StepRun::execute_fail(Thread& t, const asl::State& s) {
  const auto& fail = std::get<asl::FailState>(s.spec);
  StateContext context(*this, t, s);
  ScopeLookup vars(frame_, t.id);
  auto ctx = eval_context(t, t.input, context, vars);
  StatesError error{fail.error, fail.cause};
  auto text = [&](const query::Expression& e, std::string_view field) {
    json::Value v = e.evaluate(ctx, field);
    if (!v.is_string()) {
      throw StatesException(errors::kRuntime, query::missing_path_cause(e.text(), field, t.input));
    }
    return std::string(v.as_string());
  };
  if (fail.error_path) error.error = text(*fail.error_path, "ErrorPath");
  if (fail.cause_path) error.cause = text(*fail.cause_path, "CausePath");
  fail_thread(t, std::move(error));
}

}  // namespace stepline::engine
