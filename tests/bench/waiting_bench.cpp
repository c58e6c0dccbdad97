// A measuring tool, not a test: starts N durable Standard executions that all wait at once (on a
// long Wait timer, or on a `.waitForTaskToken` callback), measures the growth of the process's
// resident memory per waiting execution, then fires the timers (the ManualClock jumps a day) or
// answers every token, and checks that every execution SUCCEEDED with the right output.
//   waiting_bench [N=100000] [wait|callback] [sqlite|memory] [evict|keep]
// Exit code 0 when every execution resumed and succeeded, 1 otherwise.
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "common/json.hpp"
#include "runtime/execution_attributes.hpp"
#include "runtime/runtime.hpp"
#include "store/store.hpp"

#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

// mimalloc, when the build links it (not under the sanitizers), keeps freed pages until asked.
extern "C" void mi_collect(bool force) __attribute__((weak));

namespace {

using namespace stepline;

// Gives freed memory back to the system, so the resident set counts what is still in use.
void release_free_memory() {
  if (mi_collect) mi_collect(true);
  ::malloc_trim(0);
}

long resident_kib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

// Counts answers and closed executions; wait() blocks until a count is reached.
class Progress final : public runtime::ExecutionObserver {
 public:
  void execution_started(const std::string&, bool) override {}
  void execution_closed(const std::string&, bool, const std::string&,
                        std::chrono::microseconds) override {
    bump(closed);
  }
  void state_transitions(const std::string&, long long) override {}
  void task_event(const std::string&, const char*) override {}
  void store_commit(std::size_t, std::chrono::microseconds) override {}
  void execution_evicted(const std::string&) override { bump(evicted); }

  void bump(long long& counter) {
    std::lock_guard lock(mutex);
    ++counter;
    changed.notify_all();
  }
  void wait(const long long& counter, long long target) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return counter >= target; });
  }
  std::mutex mutex;
  std::condition_variable changed;
  // Waits at most `limit` for the count; false when it was not reached.
  bool wait_for(const long long& counter, long long target, std::chrono::seconds limit) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, limit, [&] { return counter >= target; });
  }
  long long closed = 0, answered = 0, invoked = 0, accepted = 0, evicted = 0;
};

// The `.waitForTaskToken` side: keeps every token; the answer comes through SendTaskSuccess.
class TokenKeeper final : public integrations::TaskInvoker {
 public:
  explicit TokenKeeper(Progress& progress) : progress_(progress) {}
  integrations::TaskOutcome invoke(const integrations::TaskRequest& request) override {
    {
      std::lock_guard lock(mutex_);
      if (request.task_token) tokens_.push_back(*request.task_token);
    }
    progress_.bump(progress_.invoked);
    return integrations::TaskOutcome{};  // Pending
  }
  std::vector<std::string> take() {
    std::lock_guard lock(mutex_);
    return std::move(tokens_);
  }

 private:
  Progress& progress_;
  std::mutex mutex_;
  std::vector<std::string> tokens_;
};

const char* kWait = R"({"StartAt":"W","States":{
  "W":{"Type":"Wait","Seconds":86400,"Next":"D"},
  "D":{"Type":"Pass","Parameters":{"n.$":"$.n","resumed":true},"End":true}}})";
const char* kCallback = R"({"StartAt":"C","States":{
  "C":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
       "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},
       "ResultPath":"$.answer","Next":"D"},
  "D":{"Type":"Pass","Parameters":{"n.$":"$.n","resumed.$":"$.answer.resumed"},"End":true}}})";

}  // namespace

int main(int argc, char** argv) {
  long long count = 100000;
  if (argc > 1) {
    char* end = nullptr;
    count = std::strtoll(argv[1], &end, 10);
    if (*end != '\0' || count <= 0) {
      std::fprintf(
          stderr, "usage: waiting_bench [N=100000] [wait|callback] [sqlite|memory] [evict|keep]\n");
      return 2;
    }
  }
  const std::string kind = argc > 2 ? argv[2] : "wait";
  const bool sqlite = !(argc > 3 && std::string(argv[3]) == "memory");
  // "keep": no eviction (every waiting execution stays in memory), to compare with.
  const bool keep = argc > 4 && std::string(argv[4]) == "keep";
  if (count <= 0 || (kind != "wait" && kind != "callback")) {
    std::fprintf(stderr, "usage: waiting_bench [N] [wait|callback] [sqlite|memory] [evict|keep]\n");
    return 2;
  }

  std::string dir_pattern =
      (std::filesystem::temp_directory_path() / "stepline-waiting-XXXXXX").string();
  if (!::mkdtemp(dir_pattern.data())) return 1;
  const std::filesystem::path dir = dir_pattern;
  long long wrong = 0;
  {
    store::SqliteOptions options;
    options.path = (dir / "stepline.db").string();
    auto durable = sqlite ? store::open_sqlite_store(options) : store::open_memory_store();
    ManualClock clock(TimePoint(std::chrono::milliseconds(1'800'000'000'000)));
    RandomIdSource ids;
    Progress progress;
    TokenKeeper keeper(progress);
    runtime::RuntimeOptions runtime_options;
    runtime_options.durable = durable.get();
    runtime_options.clock = &clock;
    runtime_options.ids = &ids;
    runtime_options.invoker = &keeper;
    runtime_options.observer = &progress;
    runtime_options.node_id = "bench";
    if (keep) runtime_options.max_idle_in_memory = static_cast<std::size_t>(count) + 1;
    auto rt = runtime::make_runtime(runtime_options);

    runtime::MachineRef machine;
    machine.state_machine_name = "waiting";
    machine.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:waiting";
    machine.revision_arn = machine.state_machine_arn + ":revision:1";
    machine.definition = kind == "wait" ? kWait : kCallback;
    machine.role_arn = "arn:aws:iam::123456789012:role/bench";

    std::vector<std::string> arns(static_cast<std::size_t>(count));
    auto start = [&](long long k) {
      runtime::StartRequest request;
      request.machine = machine;
      request.input_text = "{\"n\":" + std::to_string(k) + "}";
      rt->start(std::move(request), [&, k](runtime::StartResult result) {
        arns[static_cast<std::size_t>(k)] = std::move(result.execution_arn);
        progress.bump(progress.answered);
      });
    };

    release_free_memory();
    const long before = resident_kib();
    const auto began = std::chrono::steady_clock::now();
    // As clients on a bounded number of connections would: at most kInFlight starts unanswered.
    // (All N at once would measure N executions in flight before their first commit instead.)
    constexpr long long kInFlight = 2000;
    for (long long k = 0; k < count; ++k) {
      if (k >= kInFlight) progress.wait(progress.answered, k - kInFlight);
      start(k);
    }
    progress.wait(progress.answered, count);
    if (kind == "callback") progress.wait(progress.invoked, count);
    const double start_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    // Idle executions leave memory a sweep or two later; all but the last max_idle_in_memory.
    const auto kept = static_cast<long long>(runtime_options.max_idle_in_memory);
    if (count > kept) progress.wait_for(progress.evicted, count - kept, std::chrono::seconds(30));
    long long evicted = 0;
    {
      std::lock_guard lock(progress.mutex);
      evicted = progress.evicted;
    }
    release_free_memory();
    const long waiting = resident_kib();

    std::printf(
        "%lld executions waiting (%s, %s store): started in %.1f s, %lld evicted from memory; "
        "resident %ld -> %ld KiB, %.0f bytes per waiting execution\n",
        count, kind.c_str(), sqlite ? "SQLite" : "memory", start_seconds, evicted, before, waiting,
        static_cast<double>(waiting - before) * 1024.0 / static_cast<double>(count));
    std::fflush(stdout);

    const auto resumed = std::chrono::steady_clock::now();
    if (kind == "wait") {
      clock.advance(std::chrono::hours(25));
    } else {
      for (const auto& token : keeper.take()) {
        rt->send_task_success(token, R"({"resumed":true})", [&](runtime::TokenStatus status) {
          if (status == runtime::TokenStatus::Accepted) progress.bump(progress.accepted);
        });
      }
    }
    progress.wait(progress.closed, count);
    const double resume_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - resumed).count();
    rt->shutdown();

    for (long long k = 0; k < count; ++k) {
      auto record = arns[k].empty() ? std::nullopt : durable->load_execution(arns[k]);
      const json::Value* output =
          record ? record->summary.attributes.if_contains(runtime::attributes::kOutput) : nullptr;
      const std::string expected = "{\"n\":" + std::to_string(k) + ",\"resumed\":true}";
      if (!record || record->summary.status != "SUCCEEDED" || !output || !output->is_string() ||
          !json::equal(json::parse(output->get_string()), json::parse(expected))) {
        if (++wrong <= 3) {
          std::fprintf(stderr, "execution %lld: %s\n", k,
                       record ? record->summary.status.c_str() : "missing");
        }
      }
    }
    std::printf("resumed and closed in %.1f s; %lld of %lld SUCCEEDED with the right output\n",
                resume_seconds, count - wrong, count);
  }
  std::filesystem::remove_all(dir);
  return wrong == 0 ? 0 : 1;
}
