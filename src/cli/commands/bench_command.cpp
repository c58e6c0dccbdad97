// `stepline bench WORKLOAD.json`: runs a benchmark workload (shared/bench/workloads format) in
// memory, checks every output, and prints transitions/s, executions/s and peak RSS.
#include "cli/commands/commands.hpp"
#include "engine/bench_workload.hpp"
#include "engine/run.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <CLI/CLI.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

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

}  // namespace

int bench_main(int argc, char** argv) {
  CLI::App app("Run a benchmark workload and report its throughput.", "stepline bench");
  std::string workload_path, mode = "memory";
  long long executions = 0;
  int runs = 0;
  bool as_json = false;
  app.add_option("WORKLOAD", workload_path, "a workload file (shared/bench/workloads/*.json)")
      ->required();
  app.add_option("--mode", mode,
                 "memory: Express-like, in this process, full history kept (default)");
  app.add_option("--executions", executions, "executions per run (default: the workload's)")
      ->check(CLI::PositiveNumber);
  app.add_option("--runs", runs, "timed runs (default: the workload's)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--json", as_json,
               "print one JSON object {workload, mode, transitions_per_s, executions_per_s, "
               "peak_rss_kib, correct}");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kUsageError;
  }
  if (mode == "sqlite") {
    std::cerr << "stepline bench: --mode sqlite needs the durable store, which does not exist "
                 "yet; use --mode memory\n";
    return kUsageError;
  }
  if (mode != "memory") {
    std::cerr << "stepline bench: unknown --mode '" << mode << "' (memory is supported)\n";
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
  engine::BenchReport report;
  try {
    report = engine::bench_workload(workload, options);
  } catch (const engine::DefinitionError& e) {
    std::cerr << "stepline bench: the definition of '" << workload.name
              << "' is invalid: " << e.what() << '\n';
    return kUsageError;
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
    o["wrong_outputs"] = report.wrong_outputs;
    std::cout << json::dump(json::Value(std::move(o))) << '\n';
  } else {
    std::cout << fmt::format(
        "{}: {:.0f} transitions/s, {:.2f} executions/s (median of {} runs of {} executions), "
        "peak RSS {} KiB, correct={}\n",
        workload.name, report.median_transitions_per_s, report.median_executions_per_s,
        report.transitions_per_s.size(), report.executions_per_run, rss,
        report.correct ? "true" : "false");
  }
  return report.correct ? 0 : 1;
}

}  // namespace stepline::cli
