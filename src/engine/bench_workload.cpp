// The in-memory benchmark runner: a workload file's definition built once, executions driven on
// the pure interpreter with their histories kept, outputs checked, medians of the timed runs.
#include "engine/bench_workload.hpp"

#include "asl/builder.hpp"
#include "asl/validator/validate.hpp"
#include "common/arns.hpp"
#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/ids.hpp"
#include "engine/history_records.hpp"
#include "engine/interpreter.hpp"
#include "engine/iteration_helpers.hpp"
#include "engine/run.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <optional>
#include <thread>
#include <vector>

namespace stepline::engine {

namespace {

const json::Value& field(const json::Object& o, std::string_view key) {
  const json::Value* v = o.if_contains(key);
  if (!v) throw WorkloadError("the workload has no \"" + std::string(key) + "\" field");
  return *v;
}

const json::Array& array_field(const json::Object& o, std::string_view key) {
  const json::Value& v = field(o, key);
  if (!v.is_array()) throw WorkloadError("\"" + std::string(key) + "\" must be an array");
  return v.get_array();
}

long long count_field(const json::Object& o, std::string_view key, long long fallback,
                      long long minimum) {
  const json::Value* v = o.if_contains(key);
  if (!v) return fallback;
  if (!v->is_int64() || v->get_int64() < minimum) {
    throw WorkloadError("\"" + std::string(key) +
                        "\" must be an integer >= " + std::to_string(minimum));
  }
  return v->get_int64();
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

Workload parse_workload(const json::Value& document) {
  if (!document.is_object()) throw WorkloadError("a workload is a JSON object");
  const json::Object& o = document.get_object();
  Workload w;
  const json::Value* name = o.if_contains("name");
  w.name = name && name->is_string() ? std::string(name->get_string()) : "unnamed";
  w.definition = field(o, "definition");
  for (const auto& v : array_field(o, "inputs")) w.inputs.push_back(v);
  for (const auto& v : array_field(o, "expectedOutputs")) w.expected_outputs.push_back(v);
  for (const auto& v : array_field(o, "transitionsPerExecution")) {
    if (!v.is_int64() || v.get_int64() < 0) {
      throw WorkloadError("\"transitionsPerExecution\" must hold non-negative integers");
    }
    w.transitions_per_execution.push_back(v.get_int64());
  }
  if (w.inputs.empty()) throw WorkloadError("\"inputs\" is empty");
  if (w.expected_outputs.size() != w.inputs.size() ||
      w.transitions_per_execution.size() != w.inputs.size()) {
    throw WorkloadError(
        "\"inputs\", \"expectedOutputs\" and \"transitionsPerExecution\" must have the same "
        "length");
  }
  w.executions_per_run = count_field(o, "executionsPerRun", 1, 1);
  w.warmup_runs = static_cast<int>(count_field(o, "warmupRuns", 1, 0));
  w.runs = static_cast<int>(count_field(o, "runs", 5, 1));
  return w;
}

struct WorkloadRunner::Impl {
  std::shared_ptr<const asl::StateMachine> machine;
  // Scale 0: real timestamps in the history, but a Wait jumps to its due time.
  SystemClock clock{0.0};
  RandomIdSource ids;
  arns::Location location;
  std::string state_machine_arn;
  IterationHelpers* helpers = nullptr;
};

WorkloadRunner::WorkloadRunner(const json::Value& definition) : impl_(std::make_unique<Impl>()) {
  auto diagnostics = asl::validate(definition, asl::ValidateOptions{asl::MachineType::Express});
  if (asl::has_errors(diagnostics)) throw DefinitionError(std::move(diagnostics));
  try {
    impl_->machine = asl::build(definition);
    impl_->state_machine_arn = arns::state_machine(impl_->location, "bench");
  } catch (const asl::BuildError& e) {
    throw DefinitionError({asl::Diagnostic{"ERROR", "SCHEMA_VALIDATION_FAILED", e.what(), {}}});
  }
}

WorkloadRunner::~WorkloadRunner() = default;

void WorkloadRunner::set_iteration_helpers(IterationHelpers* helpers) {
  impl_->helpers = helpers;
}

BenchExecution WorkloadRunner::run(json::Value input) {
  // Each execution gets its own name and ARN, as StartExecution would give it.
  ExecutionInfo info;
  info.state_machine_name = "bench";
  info.execution_name = impl_->ids.uuid();
  info.state_machine_arn = impl_->state_machine_arn;
  info.express = true;
  info.execution_arn = arns::express_execution(impl_->location, info.state_machine_name,
                                               info.execution_name, impl_->ids.uuid());
  info.region = impl_->location.region;
  info.account = impl_->location.account;
  Interpreter interpreter(impl_->machine, std::move(info), &impl_->ids);
  interpreter.set_iteration_helpers(impl_->helpers);
  // The full history, kept until the execution ends as records on one arena (an Express
  // execution's history is read, if ever, after it ended: JSON is built then, not per event).
  HistoryRecords history;
  interpreter.set_history_records(&history);

  // Events to deliver, from ready[next_ready] on (a vector: most executions have one, Start).
  std::vector<Event> ready;
  std::size_t next_ready = 0;
  std::multimap<std::pair<TimePoint, long long>, int> timers;
  Event& start = ready.emplace_back();
  start.kind = Event::Kind::Start;
  start.now = impl_->clock.now();
  start.input = std::move(input);
  // Re-constructed from each step's frame rather than assigned: JSON values move-construct
  // for a few instructions, move-assignment checks their storages and swaps.
  std::optional<Frame> frame(std::in_place);
  std::optional<TimePoint> deadline;

  while (true) {
    if (next_ready == ready.size()) {
      ready.clear();
      next_ready = 0;
      if (timers.empty()) break;  // nothing can wake the execution any more
      auto first = timers.begin();
      Event e;
      if (deadline && *deadline <= first->first.first) {
        impl_->clock.sleep_until(*deadline);
        e.kind = Event::Kind::TimedOut;
      } else {
        impl_->clock.sleep_until(first->first.first);
        e.kind = Event::Kind::TimerFired;
        e.thread = first->second;
        e.effect_id = first->first.second;
        timers.erase(first);
      }
      e.now = impl_->clock.now();
      ready.push_back(std::move(e));
    }
    Event event = std::move(ready[next_ready++]);
    Step step = interpreter.step(std::move(*frame), std::move(event));
    const bool finished = step.finished();
    frame.emplace(std::move(step.frame));
    if (!deadline) deadline = interpreter.deadline(frame->start_time);
    if (finished) break;
    for (auto& effect : step.effects) {
      if (effect.kind == Effect::Kind::ArmTimer) {
        timers.emplace(std::make_pair(effect.due, effect.id), effect.thread);
        continue;
      }
      Event e;
      e.kind = Event::Kind::TaskCompleted;
      e.thread = effect.thread;
      e.effect_id = effect.id;
      e.outcome = integrations::TaskOutcome::failed(
          std::string(errors::kRuntime), "No integration is configured for resource '" +
                                             effect.request.resource + "' in a benchmark run");
      e.now = impl_->clock.now();
      ready.push_back(std::move(e));
    }
  }

  BenchExecution result;
  result.status = frame->status;
  if (frame->status == "SUCCEEDED" && frame->output) result.output = std::move(*frame->output);
  result.error = frame->error.error.value_or("");
  result.cause = frame->error.cause.value_or("");
  result.history_events = history.size();
  for (const auto& r : history.records()) {
    if (ends_with(r.type, "StateEntered")) ++result.states_entered;
  }
  return result;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t m = values.size() / 2;
  return values.size() % 2 ? values[m] : (values[m - 1] + values[m]) / 2;
}

BenchReport bench_workload(const Workload& workload, const BenchOptions& options) {
  WorkloadRunner runner(workload.definition);
  BenchReport report;
  const std::size_t n_inputs = workload.inputs.size();
  auto matches = [&](const BenchExecution& e, std::size_t i) {
    return e.status == "SUCCEEDED" && json::equal(e.output, workload.expected_outputs[i]);
  };

  for (std::size_t i = 0; i < n_inputs; ++i) {
    report.verification.push_back(runner.run(workload.inputs[i]));
    if (!matches(report.verification.back(), i)) ++report.wrong_outputs;
  }

  const auto [execs, runs, warmups] = plan_runs(workload, options, report);
  const int threads = static_cast<int>(std::clamp<long long>(options.threads, 1, execs));
  // One runner per thread: a runner's clock and id source are its own. Threads left over (fewer
  // executions than threads) help the runners' large Maps.
  std::vector<std::unique_ptr<WorkloadRunner>> extra_runners;
  for (int w = 1; w < threads; ++w) {
    extra_runners.push_back(std::make_unique<WorkloadRunner>(workload.definition));
  }
  std::optional<HelperThreads> helpers;
  if (options.threads > threads) {
    helpers.emplace(static_cast<unsigned>(options.threads - threads));
    runner.set_iteration_helpers(&*helpers);
    for (auto& extra : extra_runners) extra->set_iteration_helpers(&*helpers);
    report.iteration_helpers = options.threads - threads;
  }
  report.threads = threads + report.iteration_helpers;

  std::vector<double> executions_per_s;
  std::vector<BenchExecution> results(static_cast<std::size_t>(execs));
  for (int r = -warmups; r < runs; ++r) {
    // Inputs are copied before the clock starts, as the peer runner clones them.
    std::vector<json::Value> inputs;
    inputs.reserve(results.size());
    for (long long k = 0; k < execs; ++k) inputs.push_back(workload.inputs[k % n_inputs]);
    std::vector<std::exception_ptr> failures(static_cast<std::size_t>(threads));
    auto work = [&](int w) {
      WorkloadRunner& mine = w == 0 ? runner : *extra_runners[static_cast<std::size_t>(w - 1)];
      try {
        // results.size(), not the structured binding: lambdas may not capture those before C++20
        // compilers implement P1091 (clang 14 does not).
        const auto step = static_cast<std::size_t>(threads);
        for (auto k = static_cast<std::size_t>(w); k < results.size(); k += step) {
          results[k] = mine.run(std::move(inputs[k]));
        }
      } catch (...) {
        failures[static_cast<std::size_t>(w)] = std::current_exception();
      }
    };
    const auto t0 = std::chrono::steady_clock::now();
    {
      std::vector<std::jthread> pool;
      for (int w = 1; w < threads; ++w) pool.emplace_back(work, w);
      work(0);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (const auto& failure : failures) {
      if (failure) std::rethrow_exception(failure);
    }
    for (long long k = 0; k < execs; ++k) {
      if (!matches(results[k], k % n_inputs)) ++report.wrong_outputs;
    }
    if (r < 0) continue;
    report.transitions_per_s.push_back(static_cast<double>(report.transitions_per_run) / seconds);
    executions_per_s.push_back(static_cast<double>(execs) / seconds);
  }
  report.median_transitions_per_s = median(report.transitions_per_s);
  report.median_executions_per_s = median(executions_per_s);
  report.correct = report.wrong_outputs == 0;
  return report;
}

RunPlan plan_runs(const Workload& workload, const BenchOptions& options, BenchReport& report) {
  RunPlan plan;
  plan.executions =
      options.executions_per_run > 0 ? options.executions_per_run : workload.executions_per_run;
  plan.runs = options.runs > 0 ? options.runs : workload.runs;
  plan.warmups = options.warmup_runs >= 0 ? options.warmup_runs : workload.warmup_runs;
  report.executions_per_run = plan.executions;
  report.transitions_per_run = 0;
  const auto n_inputs = static_cast<long long>(workload.inputs.size());
  for (long long k = 0; k < plan.executions; ++k) {
    report.transitions_per_run += workload.transitions_per_execution[k % n_inputs];
  }
  return plan;
}

}  // namespace stepline::engine
