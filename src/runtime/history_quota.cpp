#include "runtime/history_quota.hpp"

#include <fmt/format.h>

namespace stepline::runtime {

namespace {

long long last_event_id(const engine::Step& step) {
  if (!step.events.empty()) {
    if (const auto* id = step.events.back().as_object().if_contains("id"))
      return id->to_number<long long>();
  }
  return step.frame.next_event_id - 1;
}

}  // namespace

void fail_execution(engine::Step& step, const StatesError& error, TimePoint now) {
  const long long previous = last_event_id(step);
  json::Object details;
  if (error.error) details["error"] = *error.error;
  if (error.cause) details["cause"] = *error.cause;
  json::Object event;
  event["timestamp"] = to_epoch_seconds(now);
  event["type"] = "ExecutionFailed";
  event["id"] = previous + 1;
  event["previousEventId"] = previous;
  event["executionFailedEventDetails"] = std::move(details);
  step.events.push_back(std::move(event));
  step.frame.next_event_id = previous + 2;
  step.frame.status = "FAILED";
  step.frame.error = error;
  step.frame.output.reset();
  step.effects.clear();
}

bool enforce_history_quota(engine::Step& step, std::size_t max_events, TimePoint now) {
  const auto limit = static_cast<long long>(max_events);
  if (step.frame.next_event_id - 1 <= limit) return false;
  // Keep the events up to id limit - 1; the last one allowed is the failure.
  json::Array kept;
  for (auto& e : step.events) {
    const auto* id = e.as_object().if_contains("id");
    if (id && id->to_number<long long>() < limit) kept.push_back(std::move(e));
  }
  step.events = std::move(kept);
  step.frame.next_event_id = limit;
  fail_execution(
      step,
      {std::string(errors::kRuntime),
       fmt::format("The execution reached the maximum number of history events ({}).", max_events)},
      now);
  return true;
}

}  // namespace stepline::runtime
