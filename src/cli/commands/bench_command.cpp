// `stepline bench WORKLOAD.json`: runs a benchmark workload (shared/bench/workloads format) in
// memory or as durable Standard executions on SQLite, checks every output, and prints
// transitions/s, executions/s and peak RSS.
#include "cli/commands/commands.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "engine/bench_workload.hpp"
#include "engine/run.hpp"
#include "runtime/execution_attributes.hpp"
#include "runtime/runtime.hpp"
#include "store/store.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace stepline::cli {

namespace {

constexpr int kUsageError = 2;

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // Linux reports kibibytes
}

json::Value number(double value) {
  return json::Value(static_cast<std::int64_t>(std::llround(value)));
}

// Counts the executions that ended (the runtime tells through its observer, from any thread).
class ClosedCounter final : public runtime::ExecutionObserver {
 public:
  void execution_started(const std::string&, bool) override {}
  void execution_closed(const std::string&, bool, const std::string&,
                        std::chrono::microseconds) override {
    std::lock_guard lock(mutex_);
    ++closed_;
    changed_.notify_all();
  }
  void state_transitions(const std::string&, long long) override {}
  void task_event(const std::string&, const char*) override {}
  void store_commit(std::size_t steps, std::chrono::microseconds) override {
    commits += 1;
    committed_steps += static_cast<long long>(steps);
  }
  void add_answered() {
    std::lock_guard lock(mutex_);
    ++answered_;
    changed_.notify_all();
  }
  // Until `count` executions were answered and closed since the last reset.
  void wait_for(long long count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return closed_ >= count && answered_ >= count; });
    closed_ = answered_ = 0;
  }
  std::atomic<long long> commits{0}, committed_steps{0};

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  long long closed_ = 0, answered_ = 0;
};

// A scratch directory removed with everything in it, whatever happens.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "stepline-bench-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// How an execution ended, read back from the store as DescribeExecution would.
engine::BenchExecution describe(store::Store& durable, const std::string& arn, bool count_states) {
  engine::BenchExecution result;
  auto record = durable.load_execution(arn);
  if (!record) {
    result.status = "MISSING";
    return result;
  }
  result.status = record->summary.status;
  const auto& attributes = record->summary.attributes;
  auto text = [&](const char* key) -> std::string {
    const json::Value* v = attributes.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  if (result.status == "SUCCEEDED") result.output = json::parse(text(runtime::attributes::kOutput));
  result.error = text(runtime::attributes::kError);
  result.cause = text(runtime::attributes::kCause);
  result.history_events = static_cast<std::size_t>(record->history_length);
  if (!count_states) return result;
  store::PageRequest page;
  page.limit = 1000;
  do {
    auto events = durable.read_history(arn, page);
    for (const auto& event : events.items) {
      const json::Value* type =
          event.is_object() ? event.get_object().if_contains("type") : nullptr;
      if (type && type->is_string() && type->get_string().ends_with("StateEntered")) {
        ++result.states_entered;
      }
    }
    page.token = events.next_token;
  } while (!page.token.empty());
  return result;
}

// `--mode sqlite`: every execution is a Standard execution of the real runtime on a SQLite store
// in a temporary directory, synchronous=FULL (each group commit fsynced). The clock runs from
// the first StartExecution until the last execution closed; outputs are read back from the
// store afterwards, outside the timed part.
engine::BenchReport bench_durable(const engine::Workload& workload,
                                  const engine::BenchOptions& options) {
  engine::WorkloadRunner validate(workload.definition);  // DefinitionError as memory mode
  TempDir dir;
  store::SqliteOptions sqlite;
  sqlite.path = (dir.path() / "stepline.db").string();
  sqlite.synchronous_full = true;
  auto durable = store::open_sqlite_store(sqlite);
  SystemClock clock;
  RandomIdSource ids;
  ClosedCounter counter;
  runtime::RuntimeOptions runtime_options;
  runtime_options.durable = durable.get();
  runtime_options.clock = &clock;
  runtime_options.ids = &ids;
  runtime_options.observer = &counter;
  runtime_options.node_id = "bench";
  // The Map workloads enter 30,000 states in one execution: beyond AWS's history quota, which
  // is not what they measure.
  runtime_options.max_history_events = 100'000'000;
  auto rt = runtime::make_runtime(runtime_options);

  runtime::MachineRef machine;
  machine.state_machine_name = workload.name;
  machine.state_machine_arn =
      "arn:aws:states:us-east-1:123456789012:stateMachine:bench-" + workload.name;
  machine.revision_arn = machine.state_machine_arn + ":revision:1";
  machine.definition = json::dump(workload.definition);
  machine.role_arn = "arn:aws:iam::123456789012:role/bench";

  const std::size_t n_inputs = workload.inputs.size();
  std::vector<std::string> input_texts;
  for (const auto& input : workload.inputs) input_texts.push_back(json::dump(input));
  std::atomic<long long> start_failures{0};

  // Starts `count` executions (input k % n_inputs) and waits until all have closed; their ARNs.
  auto run = [&](long long count) {
    std::vector<std::string> arns(static_cast<std::size_t>(count));
    for (long long k = 0; k < count; ++k) {
      runtime::StartRequest request;
      request.machine = machine;
      request.input_text = input_texts[static_cast<std::size_t>(k) % n_inputs];
      rt->start(std::move(request), [&, k](runtime::StartResult result) {
        if (result.status == runtime::StartResult::Status::Started) {
          arns[static_cast<std::size_t>(k)] = std::move(result.execution_arn);
        } else {
          ++start_failures;
          counter.execution_closed({}, false, "FAILED", {});  // nothing will close it
        }
        counter.add_answered();
      });
    }
    counter.wait_for(count);
    return arns;
  };

  engine::BenchReport report;
  auto matches = [&](const engine::BenchExecution& e, std::size_t i) {
    return e.status == "SUCCEEDED" && json::equal(e.output, workload.expected_outputs[i]);
  };
  const auto verification = run(static_cast<long long>(n_inputs));
  for (std::size_t i = 0; i < n_inputs; ++i) {
    report.verification.push_back(describe(*durable, verification[i], true));
    if (!matches(report.verification.back(), i)) ++report.wrong_outputs;
  }

  const auto [execs, runs, warmups] = engine::plan_runs(workload, options, report);
  std::vector<double> executions_per_s;
  for (int r = -warmups; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto arns = run(execs);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (long long k = 0; k < execs; ++k) {
      const auto i = static_cast<std::size_t>(k) % n_inputs;
      if (arns[k].empty() || !matches(describe(*durable, arns[k], false), i)) {
        ++report.wrong_outputs;
      }
    }
    if (r < 0) continue;
    report.transitions_per_s.push_back(static_cast<double>(report.transitions_per_run) / seconds);
    executions_per_s.push_back(static_cast<double>(execs) / seconds);
  }
  rt->shutdown();
  report.median_transitions_per_s = engine::median(report.transitions_per_s);
  report.median_executions_per_s = engine::median(executions_per_s);
  report.wrong_outputs += start_failures.load();
  report.correct = report.wrong_outputs == 0;
  return report;
}

}  // namespace

int bench_main(int argc, char** argv) {
  CLI::App app("Run a benchmark workload and report its throughput.", "stepline bench");
  std::string workload_path, mode = "memory";
  long long executions = 0;
  int runs = 0;
  int threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  bool as_json = false;
  app.add_option("WORKLOAD", workload_path, "a workload file (shared/bench/workloads/*.json)")
      ->required();
  app.add_option("--mode", mode,
                 "memory: Express-like, in this process, full history kept (default); sqlite: "
                 "durable Standard executions through the runtime on SQLite (synchronous=FULL)");
  app.add_option("--executions", executions, "executions per run (default: the workload's)")
      ->check(CLI::PositiveNumber);
  app.add_option("--runs", runs, "timed runs (default: the workload's)")
      ->check(CLI::PositiveNumber);
  app.add_option("--threads", threads,
                 "memory mode: threads sharing each run's executions, each running whole "
                 "executions; threads beyond one per execution run large Maps' iterations "
                 "ahead (default: the hardware threads)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--json", as_json,
               "print one JSON object {workload, mode, transitions_per_s, executions_per_s, "
               "peak_rss_kib, correct}");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kUsageError;
  }
  if (mode != "memory" && mode != "sqlite") {
    std::cerr << "stepline bench: unknown --mode '" << mode << "' (memory or sqlite)\n";
    return kUsageError;
  }

  std::ifstream in(workload_path, std::ios::binary);
  if (!in || std::filesystem::is_directory(workload_path)) {
    std::cerr << "stepline bench: cannot read the workload file '" << workload_path << "'\n";
    return kUsageError;
  }
  std::ostringstream text;
  text << in.rdbuf();

  engine::Workload workload;
  try {
    workload = engine::parse_workload(json::parse(text.str()));
  } catch (const json::ParseError& e) {
    std::cerr << fmt::format("stepline bench: '{}' is not valid JSON (line {}, column {}): {}\n",
                             workload_path, e.line(), e.column(), e.what());
    return kUsageError;
  } catch (const engine::WorkloadError& e) {
    std::cerr << "stepline bench: '" << workload_path << "': " << e.what() << '\n';
    return kUsageError;
  }

  engine::BenchOptions options;
  options.executions_per_run = executions;
  options.runs = runs;
  options.threads = mode == "memory" ? threads : 1;
  engine::BenchReport report;
  try {
    report = mode == "sqlite" ? bench_durable(workload, options)
                              : engine::bench_workload(workload, options);
  } catch (const engine::DefinitionError& e) {
    std::cerr << "stepline bench: the definition of '" << workload.name
              << "' is invalid: " << e.what() << '\n';
    return kUsageError;
  } catch (const std::exception& e) {
    std::cerr << "stepline bench: " << e.what() << '\n';
    return 1;
  }

  for (std::size_t i = 0; i < report.verification.size(); ++i) {
    const auto& v = report.verification[i];
    const bool ok = v.status == "SUCCEEDED" && json::equal(v.output, workload.expected_outputs[i]);
    if (ok && v.states_entered == workload.transitions_per_execution[i]) continue;
    std::cerr << fmt::format("[{}] input {}: status {}, {} states entered (expected {})\n",
                             workload.name, i, v.status, v.states_entered,
                             workload.transitions_per_execution[i]);
    if (!ok) {
      if (v.status != "SUCCEEDED") std::cerr << "  error " << v.error << ": " << v.cause << '\n';
      std::cerr << "  output   " << json::dump(v.output).substr(0, 600) << '\n'
                << "  expected " << json::dump(workload.expected_outputs[i]).substr(0, 600) << '\n';
    }
  }

  const long rss = peak_rss_kib();
  if (as_json) {
    json::Object o;
    o["workload"] = workload.name;
    o["mode"] = mode;
    o["transitions_per_s"] = number(report.median_transitions_per_s);
    o["executions_per_s"] = json::Value(std::round(report.median_executions_per_s * 100) / 100);
    o["peak_rss_kib"] = static_cast<std::int64_t>(rss);
    o["correct"] = report.correct;
    json::Array all;
    for (double t : report.transitions_per_s) all.push_back(number(t));
    o["transitions_per_s_all_runs"] = std::move(all);
    o["executions_per_run"] = report.executions_per_run;
    o["threads"] = report.threads;
    o["iteration_helpers"] = report.iteration_helpers;
    o["wrong_outputs"] = report.wrong_outputs;
    std::cout << json::dump(json::Value(std::move(o))) << '\n';
  } else {
    std::cout << fmt::format(
        "{}: {:.0f} transitions/s, {:.2f} executions/s (median of {} runs of {} executions, "
        "{} thread{}{}), peak RSS {} KiB, correct={}\n",
        workload.name, report.median_transitions_per_s, report.median_executions_per_s,
        report.transitions_per_s.size(), report.executions_per_run, report.threads,
        report.threads == 1 ? "" : "s",
        report.iteration_helpers > 0
            ? fmt::format(", {} running Map iterations ahead", report.iteration_helpers)
            : "",
        rss, report.correct ? "true" : "false");
  }
  return report.correct ? 0 : 1;
}

}  // namespace stepline::cli
