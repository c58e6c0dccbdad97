// The fixture of the runtime tests: a store (memory or SQLite, reopenable as after a restart), a
// ManualClock, seeded ids, a scripted TaskInvoker, and blocking helpers over the runtime's
// callbacks. Tests wait for outcomes by polling the store with a generous real-time limit; no
// test asserts on timing.
#pragma once

#include "integrations/invoker.hpp"
#include "runtime/runtime.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace stepline::runtime::testing {

enum class Backend { Memory, Sqlite };

// Answers Task states by state name with a script; records every request it saw.
class ScriptedInvoker final : public integrations::TaskInvoker {
 public:
  using Script =
      std::function<integrations::TaskOutcome(const integrations::TaskRequest&, int invocation)>;
  void on(const std::string& state, Script script);
  integrations::TaskOutcome invoke(const integrations::TaskRequest& request) override;
  std::vector<integrations::TaskRequest> requests();
  // The token of the latest `.waitForTaskToken` request of `state`, waiting up to 10 s.
  std::string wait_token(const std::string& state);

 private:
  std::mutex mutex_;
  std::map<std::string, Script> scripts_;
  std::map<std::string, int> counts_;
  std::vector<integrations::TaskRequest> requests_;
};

// The machines a nested Task may start (`states:startExecution`): the test registers them, the
// runtime finds them through RuntimeOptions::resolve_machine as through the API's resolver.
class MachineDirectory {
 public:
  void add(const MachineRef& m) {
    std::lock_guard lock(mutex_);
    machines_[m.state_machine_arn] = m;
  }
  // Valid as long as the directory is.
  MachineResolver resolver() {
    return [this](const std::string& arn, MachineLookupError& error) {
      std::lock_guard lock(mutex_);
      auto it = machines_.find(arn);
      if (it != machines_.end()) return std::optional<MachineRef>(it->second);
      error.code = "StateMachineDoesNotExist";
      error.message = "State Machine Does Not Exist: '" + arn + "'";
      return std::optional<MachineRef>();
    };
  }

 private:
  std::mutex mutex_;
  std::map<std::string, MachineRef> machines_;
};

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline constexpr const char* kAccount = "123456789012";
std::string machine_arn(const std::string& name);
std::string activity_arn(const std::string& name);
std::string execution_arn(const std::string& machine, const std::string& name);

class RuntimeTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // (Re)opens the store and a new runtime on it; the old runtime is shut down first.
  void open_store();
  void open_runtime();
  void restart();  // runtime and store closed, store reopened, new runtime, recover()

  MachineRef machine(const std::string& name, const std::string& definition, bool express = false);
  // Creates the activity in the store (a Task on a missing activity fails, as on AWS); its ARN.
  std::string activity(const std::string& name);
  StartResult start(const MachineRef& m, const std::string& name, const std::string& input = "{}");
  SyncResult start_sync(const MachineRef& m, const std::string& input = "{}");
  StopResult stop(const std::string& arn, StatesError reason = {});
  TokenStatus succeed(const std::string& token, const std::string& output);
  TokenStatus fail(const std::string& token, StatesError error);
  TokenStatus heartbeat(const std::string& token);
  std::optional<ActivityTask> poll(const std::string& activity, const std::string& worker);

  // Waits (real time, up to 20 s) until the execution has `status`; returns the summary.
  store::ExecutionSummary wait_status(const std::string& arn, const std::string& status);
  // Waits until the execution's history has an event of `type`.
  void wait_event(const std::string& arn, const std::string& type);
  json::Array history(const std::string& arn);
  std::vector<std::string> event_types(const std::string& arn);
  void advance(long long seconds);
  // Gives the runtime a moment to act on what it was told (never needed for correctness of an
  // assertion that waits; used before asserting that something did NOT happen).
  static void settle();

  TempDir dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<ManualClock> clock;
  std::unique_ptr<RandomIdSource> ids;
  ScriptedInvoker invoker;
  RuntimeOptions options;
  std::unique_ptr<Runtime> runtime;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

}  // namespace stepline::runtime::testing

#define STEPLINE_RUNTIME_BACKENDS(Fixture)                                                   \
  INSTANTIATE_TEST_SUITE_P(Backends, Fixture,                                                \
                           ::testing::Values(::stepline::runtime::testing::Backend::Memory,  \
                                             ::stepline::runtime::testing::Backend::Sqlite), \
                           ::stepline::runtime::testing::backend_name)
