// Runs every tests/asl/*.asltest case through engine::run_definition under a manual clock and
// fails on any mismatch, printing what differed. Cases marked "skip" are counted and listed.
#include "asltest_case.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "engine/run.hpp"
#include "integrations/mock/mock_invoker.hpp"
#include "isolated_run.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#ifndef STEPLINE_ASLTEST_DIR
#define STEPLINE_ASLTEST_DIR "tests/asl"
#endif

namespace {

using namespace stepline;

// Answers the states a case marks `never_answer` with "pending" (a task whose result never
// comes: only its TimeoutSeconds/HeartbeatSeconds can end it); everything else goes to the mocks.
class PendingInvoker final : public integrations::TaskInvoker {
 public:
  PendingInvoker(std::set<std::string> states, integrations::TaskInvoker& rest)
      : states_(std::move(states)), rest_(rest) {}
  integrations::TaskOutcome invoke(const integrations::TaskRequest& request) override {
    if (states_.count(request.state_name)) return integrations::TaskOutcome{};
    return rest_.invoke(request);
  }

 private:
  std::set<std::string> states_;
  integrations::TaskInvoker& rest_;
};

json::Value run_case(const asltest::AslTest& t) {
  integrations::mock::MockTestCase mocks;
  mocks.name = t.name;
  for (const auto& kv : t.mocks) {
    mocks.responses.emplace(
        std::string(kv.key()),
        integrations::mock::MockedResponse::parse(kv.value(), "mocks." + std::string(kv.key())));
  }
  integrations::mock::MockInvoker mock_invoker(std::move(mocks));
  PendingInvoker invoker({t.never_answer.begin(), t.never_answer.end()}, mock_invoker);
  ManualClock clock(asltest::asltest_start_time());
  RandomIdSource ids(t.seed);
  engine::RunOptions options;
  options.input = t.input;
  options.type = t.type == "EXPRESS" ? asl::MachineType::Express : asl::MachineType::Standard;
  options.state_machine_name = "AslTest";
  options.execution_name = t.name;
  options.clock = &clock;
  options.ids = &ids;
  options.invoker = &invoker;
  return harness::result_to_json(engine::run_definition(t.definition, options));
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = STEPLINE_ASLTEST_DIR, filter;
  bool isolate = true;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--filter" && i + 1 < argc) {
      filter = argv[++i];
    } else if (arg == "--no-isolate") {
      isolate = false;
    } else if (!arg.empty() && arg[0] != '-') {
      dir = arg;
    } else {
      std::cerr << "usage: asltest_runner [DIR] [--filter SUBSTRING] [--no-isolate]\n";
      return 2;
    }
  }
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".asltest") files.push_back(entry.path());
  }
  if (ec || files.empty()) {
    std::cerr << "asltest_runner: no .asltest files in " << dir << '\n';
    return 2;
  }
  std::sort(files.begin(), files.end());
  int passed = 0, failed = 0, skipped = 0;
  std::vector<std::string> skip_list;
  for (const auto& file : files) {
    const std::string name = file.stem().string();
    if (!filter.empty() && name.find(filter) == std::string::npos) continue;
    asltest::AslTest test;
    try {
      test = asltest::load_asltest(file.string());
    } catch (const std::exception& e) {
      ++failed;
      std::cout << "FAIL " << name << "\n     malformed case: " << e.what() << '\n';
      continue;
    }
    if (test.skip) {
      ++skipped;
      skip_list.push_back(name + ": " + *test.skip);
      continue;
    }
    std::vector<std::string> problems;
    try {
      auto outcome = harness::run_isolated([&] { return run_case(test); }, isolate);
      if (auto* failure = std::get_if<harness::RunFailure>(&outcome)) {
        problems.push_back(failure->reason);
      } else {
        problems = asltest::check_asltest(test, std::get<json::Value>(outcome));
      }
    } catch (const std::exception& e) {
      problems.push_back(std::string("malformed case: ") + e.what());
    }
    if (problems.empty()) {
      ++passed;
      std::cout << "ok   " << name << '\n';
    } else {
      ++failed;
      std::cout << "FAIL " << name << " — " << test.description << '\n';
      for (const std::string& p : problems) std::cout << "     " << p << '\n';
    }
  }
  for (const std::string& s : skip_list) std::cout << "SKIP " << s << '\n';
  std::cout << passed << " passed, " << failed << " failed, " << skipped << " skipped\n";
  return failed == 0 ? 0 : 1;
}
