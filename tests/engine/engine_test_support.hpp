// Helpers for the engine tests: run a definition under a manual clock with a scripted invoker.
#pragma once

#include "common/clock.hpp"
#include "common/ids.hpp"
#include "common/json.hpp"
#include "engine/run.hpp"
#include "integrations/invoker.hpp"

#include <functional>
#include <string>
#include <vector>

namespace stepline::engine::testing {

inline TimePoint test_start() {
  return TimePoint{std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}};
}

// A TaskInvoker answering from a function; remembers every request and when it came.
class ScriptedInvoker final : public integrations::TaskInvoker {
 public:
  using Script = std::function<integrations::TaskOutcome(const integrations::TaskRequest&)>;
  ScriptedInvoker(Clock& clock, Script script) : clock_(clock), script_(std::move(script)) {}
  integrations::TaskOutcome invoke(const integrations::TaskRequest& request) override {
    requests.push_back(request);
    times.push_back(clock_.now());
    return script_(request);
  }
  std::vector<integrations::TaskRequest> requests;
  std::vector<TimePoint> times;

 private:
  Clock& clock_;
  Script script_;
};

struct Harness {
  ManualClock clock{test_start()};
  RandomIdSource ids{42};

  RunResult run(std::string_view definition, std::string_view input = "{}",
                integrations::TaskInvoker* invoker = nullptr) {
    RunOptions options;
    options.input = json::parse(input);
    options.clock = &clock;
    options.ids = &ids;
    options.invoker = invoker;
    options.execution_name = "exec";
    options.state_machine_name = "Machine";
    return run_definition(json::parse(definition), options);
  }
};

// The `type` of every history event, in order.
inline std::vector<std::string> types(const RunResult& r) {
  std::vector<std::string> out;
  for (const auto& e : r.history) out.emplace_back(e.as_object().at("type").as_string());
  return out;
}

inline long long field(const json::Value& event, std::string_view name) {
  return event.as_object().at(name).as_int64();
}

}  // namespace stepline::engine::testing
