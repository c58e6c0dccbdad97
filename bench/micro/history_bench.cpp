// Micro-benchmarks of the history path: building and appending one event as the interpreter
// does (timestamp, type, ids, details holding the state's data as JSON text), and whole small
// executions through the in-memory runner, which keep their full history; with
// STEPLINE_WORKLOADS=<dir>, every benchmark workload file of that directory as well.
#include "common/json.hpp"
#include "common/time.hpp"
#include "engine/bench_workload.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace json = stepline::json;

namespace {

const json::Value& state_data() {
  static const json::Value doc = json::parse(
      R"({"orderId":"o-1","amount":250,"order":{"id":"o-1","amount":250,"currency":"EUR"}})");
  return doc;
}

void BM_HistoryAppend(benchmark::State& state) {
  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  for (auto _ : state) {
    json::Array history;
    for (long long id = 1; id <= 100; ++id) {
      json::Object details;
      details["name"] = "Step";
      details["input"] = json::dump(state_data());
      details["inputDetails"] = json::Object{{"truncated", false}};
      json::Object e;
      e["timestamp"] = stepline::to_epoch_seconds(now);
      e["type"] = "PassStateEntered";
      e["id"] = id;
      e["previousEventId"] = id - 1;
      e["stateEnteredEventDetails"] = std::move(details);
      history.emplace_back(std::move(e));
    }
    benchmark::DoNotOptimize(history);
  }
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_HistoryAppend);

// One small_execs-shaped execution (5 states, Parameters, Choice, ResultPath) end to end.
void BM_SmallExecution(benchmark::State& state) {
  const json::Value definition = json::parse(R"({
    "StartAt": "Init", "States": {
      "Init": {"Type": "Pass", "Parameters": {"id.$": "$.orderId", "amount.$": "$.amount"},
               "ResultPath": "$.order", "Next": "Route"},
      "Route": {"Type": "Choice", "Choices": [{"Variable": "$.order.amount",
                "NumericGreaterThanEquals": 1000, "Next": "High"}], "Default": "Low"},
      "High": {"Type": "Pass", "Result": {"lane": "manual"}, "ResultPath": "$.routing",
               "Next": "Done"},
      "Low": {"Type": "Pass", "Result": {"lane": "auto"}, "ResultPath": "$.routing",
              "Next": "Done"},
      "Done": {"Type": "Succeed"}}})");
  stepline::engine::WorkloadRunner runner(definition);
  const json::Value input = json::parse(R"({"orderId":"o-1","amount":250})");
  for (auto _ : state) benchmark::DoNotOptimize(runner.run(input));
  state.SetItemsProcessed(state.iterations() * 4);  // states entered per execution
}
BENCHMARK(BM_SmallExecution);

// The workloads of $STEPLINE_WORKLOADS (a directory of shared/bench/workloads files), each
// execution run as `stepline bench` runs it; items processed = transitions. Without the variable
// none are registered.
void run_workload(benchmark::State& state, const stepline::engine::Workload& workload) {
  stepline::engine::WorkloadRunner runner(workload.definition);
  std::size_t k = 0;
  long long transitions = 0;
  for (auto _ : state) {
    const std::size_t i = k++ % workload.inputs.size();
    auto result = runner.run(workload.inputs[i]);
    if (!json::equal(result.output, workload.expected_outputs[i])) {
      state.SkipWithError("wrong output");
      break;
    }
    transitions += workload.transitions_per_execution[i];
  }
  state.SetItemsProcessed(transitions);
}

const bool kWorkloadsRegistered = [] {
  const char* dir = std::getenv("STEPLINE_WORKLOADS");
  if (!dir) return false;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto workload = std::make_shared<stepline::engine::Workload>(
        stepline::engine::parse_workload(json::parse(text.str())));
    benchmark::RegisterBenchmark(
        ("BM_Workload/" + workload->name).c_str(),
        [workload](benchmark::State& state) { run_workload(state, *workload); });
  }
  return true;
}();

}  // namespace
