// Runs the AWS-recorded execution cases (shared/conformance/aws-recorded.jsonl, `needs: []`, or
// with `--needs lambda` the cases that need Lambda functions, run by local Python workers)
// through engine::run_definition under a manual clock and compares status, output or
// error/cause, and history with what AWS recorded. Prints counts per area and in total, writes
// the failing cases with their first difference, and fails when fewer pass than the baseline.
#include "case_functions.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "engine/run.hpp"
#include "integrations/routing/task_router.hpp"
#include "isolated_run.hpp"
#include "recorded_case.hpp"

#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#ifndef STEPLINE_SHARED_DIR
#define STEPLINE_SHARED_DIR "../shared"
#endif

namespace {

using namespace stepline;

struct Options {
  std::string shared_dir = STEPLINE_SHARED_DIR;
  std::string query_language = "JSONPath";
  std::string baseline;
  std::string failures;  // default: <temp dir>/stepline_conformance_failures_<language>.txt
  std::string filter;
  std::string needs = "none";  // | lambda
  bool isolate = true;
  bool verbose = false;
};

int usage() {
  std::cerr << "usage: conformance_runner [--shared DIR] [--query-language JSONPath|JSONata|any]\n"
               "         [--needs none|lambda] [--baseline FILE] [--failures FILE]\n"
               "         [--filter SUBSTRING]\n"
               "         [--no-isolate] [--verbose]\n";
  return 2;
}

long read_baseline(const std::string& path) {
  if (path.empty()) return 0;
  std::ifstream in(path);
  long value = 0;
  if (!(in >> value)) return 0;
  return value;
}

json::Value run_case(const harness::RecordedCase& c, TimePoint start,
                     const std::optional<std::string>& functions_file) {
  ManualClock clock(start);
  RandomIdSource ids(20240101);
  engine::RunOptions options;
  options.input = c.input;
  options.type = c.type == "EXPRESS" ? asl::MachineType::Express : asl::MachineType::Standard;
  options.started_sync = c.started_sync;
  options.state_machine_name = "ConformanceMachine";
  options.role_arn = "arn:aws:iam::111111111111:role/stepline-conformance";
  options.location.account = "111111111111";
  options.location.region = "us-east-1";
  options.clock = &clock;
  options.ids = &ids;
  std::unique_ptr<integrations::TaskInvoker> invoker;
  if (functions_file) {
    integrations::IntegrationOptions integration;
    integration.functions_file = functions_file;
    invoker = integrations::make_task_invoker(integration);
    options.invoker = invoker.get();
  }
  return harness::result_to_json(engine::run_definition(c.definition, options));
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    bool ok = true;
    if (arg == "--shared")
      ok = value(opt.shared_dir);
    else if (arg == "--query-language")
      ok = value(opt.query_language);
    else if (arg == "--baseline")
      ok = value(opt.baseline);
    else if (arg == "--failures")
      ok = value(opt.failures);
    else if (arg == "--filter")
      ok = value(opt.filter);
    else if (arg == "--needs")
      ok = value(opt.needs);
    else if (arg == "--no-isolate")
      opt.isolate = false;
    else if (arg == "--verbose")
      opt.verbose = true;
    else
      ok = false;
    if (!ok) return usage();
  }
  if (opt.query_language != "JSONPath" && opt.query_language != "JSONata" &&
      opt.query_language != "any") {
    return usage();
  }
  if (opt.needs != "none" && opt.needs != "lambda") return usage();
  const bool lambda_cases = opt.needs == "lambda";
  if (opt.failures.empty()) {
    std::error_code ec;
    auto dir = std::filesystem::temp_directory_path(ec);
    opt.failures = (ec ? std::filesystem::path(".") : dir) /
                   ("stepline_conformance_failures_" + opt.query_language +
                    (lambda_cases ? "_lambda" : "") + ".txt");
  }

  const std::string corpus = opt.shared_dir + "/conformance/aws-recorded.jsonl";
  std::vector<harness::RecordedCase> cases;
  TimePoint start{std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}};
  try {
    cases = harness::load_recorded_cases(
        corpus, opt.query_language,
        lambda_cases ? harness::CaseSet::Lambda : harness::CaseSet::NoNeeds);
    if (auto t = harness::recording_time(corpus)) start = *t;
  } catch (const std::exception& e) {
    std::cerr << "conformance_runner: " << e.what() << '\n';
    return 2;
  }

  std::optional<harness::CaseFunctions> functions;
  if (lambda_cases) functions.emplace(opt.shared_dir + "/conformance/lambdas");
  std::map<std::string, std::pair<long, long>> per_area;  // area -> passed, failed
  long case_number = 0;
  std::ofstream failures(opt.failures);
  long passed = 0, failed = 0;
  for (const harness::RecordedCase& c : cases) {
    if (!opt.filter.empty() && c.id.find(opt.filter) == std::string::npos) continue;
    std::optional<std::string> why;
    if (c.definition.is_null()) {
      why = "the recording has no definition";
    } else {
      std::optional<std::string> functions_file;
      if (functions) {
        try {
          functions_file =
              functions->write_functions_file(c.lambdas, "case" + std::to_string(++case_number));
        } catch (const std::exception& e) {
          why = std::string("cannot build the functions file: ") + e.what();
        }
      }
      if (!why) {
        auto outcome =
            harness::run_isolated([&] { return run_case(c, start, functions_file); }, opt.isolate);
        if (auto* failure = std::get_if<harness::RunFailure>(&outcome)) {
          why = failure->reason;
        } else {
          why = harness::check_recorded(c, std::get<json::Value>(outcome));
        }
      }
    }
    auto& counts = per_area[c.area];
    if (why) {
      ++failed;
      ++counts.second;
      failures << c.id << "\t" << *why << '\n';
      if (opt.verbose) std::cout << "FAIL " << c.id << "\n     " << *why << '\n';
    } else {
      ++passed;
      ++counts.first;
      if (opt.verbose) std::cout << "ok   " << c.id << '\n';
    }
  }

  for (const auto& [area, counts] : per_area) {
    std::printf("%-24s %4ld passed, %4ld failed\n", area.c_str(), counts.first, counts.second);
  }
  const long baseline = read_baseline(opt.baseline);
  std::fprintf(stderr, "%s cases; baseline %ld; failures listed in %s\n",
               opt.query_language.c_str(), baseline, opt.failures.c_str());
  if (passed > baseline) {
    std::fprintf(stderr, "more cases pass than the baseline: raise %s to %ld\n",
                 opt.baseline.c_str(), passed);
  }
  std::printf("%ld passed, %ld failed\n", passed, failed);
  std::fflush(stdout);
  return passed < baseline ? 1 : 0;
}
