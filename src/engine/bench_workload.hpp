// Benchmark workloads (shared/bench/workloads/*.json) and the in-memory runner `stepline bench`
// uses: the definition is validated and built once (as CreateStateMachine would), then every
// execution runs on the pure interpreter in this thread with its full history kept.
#pragma once

#include "asl/state_machine.hpp"
#include "common/json.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace stepline::engine {

class IterationHelpers;

struct Workload {
  std::string name;
  json::Value definition;
  std::vector<json::Value> inputs;
  std::vector<json::Value> expected_outputs;         // one per input
  std::vector<long long> transitions_per_execution;  // one per input: states entered
  long long executions_per_run = 1;
  int warmup_runs = 1;
  int runs = 5;
};

// The file's shape is wrong (missing fields, mismatched list lengths, ...).
class WorkloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads a parsed workload document; throws WorkloadError.
Workload parse_workload(const json::Value& document);

// One execution's end as the benchmark sees it.
struct BenchExecution {
  std::string status;  // SUCCEEDED | FAILED | TIMED_OUT | ABORTED
  json::Value output;  // null unless SUCCEEDED
  std::string error;
  std::string cause;
  long long states_entered = 0;  // *StateEntered events in the history
  std::size_t history_events = 0;
};

struct BenchOptions {
  long long executions_per_run = 0;  // 0: the workload's executionsPerRun
  int runs = 0;                      // 0: the workload's runs
  int warmup_runs = -1;              // -1: the workload's warmupRuns
  // Executions of a run are shared among this many threads, each with its own runner (Express
  // executions are independent, as `serve` runs them on all cores). Threads beyond one per
  // execution run large Maps' iterations ahead (map_prerun.hpp).
  int threads = 1;
};

struct BenchReport {
  bool correct = false;                      // every output of every run matched
  long long wrong_outputs = 0;               // over the verification, warm-up and timed runs
  std::vector<BenchExecution> verification;  // one per input, untimed
  long long executions_per_run = 0;
  long long transitions_per_run = 0;
  int threads = 1;                        // the threads the timed runs used, helpers included
  int iteration_helpers = 0;              // of those, the ones running Map iterations ahead
  std::vector<double> transitions_per_s;  // one per timed run
  double median_transitions_per_s = 0;
  double median_executions_per_s = 0;
};

// Runs executions of one built definition. Timers jump straight to their due time (nothing in a
// benchmark should sleep); Tasks fail with States.Runtime since no integration is configured.
class WorkloadRunner {
 public:
  // Validates and builds `definition` as an Express machine; throws DefinitionError.
  explicit WorkloadRunner(const json::Value& definition);
  ~WorkloadRunner();
  WorkloadRunner(const WorkloadRunner&) = delete;
  WorkloadRunner& operator=(const WorkloadRunner&) = delete;

  BenchExecution run(json::Value input);
  // Threads on which a large Map may run its iterations ahead (iteration_helpers.hpp).
  void set_iteration_helpers(IterationHelpers* helpers);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The verification run, then warm-up and timed runs; medians as the peer runners compute them.
BenchReport bench_workload(const Workload& workload, const BenchOptions& options);

double median(std::vector<double> values);

// What every mode runs after its verification run (the options over the workload's defaults):
// executions per run, warm-up and timed runs; fills report.executions_per_run and
// report.transitions_per_run.
struct RunPlan {
  long long executions = 0;
  int runs = 0;
  int warmups = 0;
};
RunPlan plan_runs(const Workload& workload, const BenchOptions& options, BenchReport& report);

}  // namespace stepline::engine
