// A measuring tool, not a test: starts many small executions on a durable store through the
// runtime and reports executions, state transitions and group commits per second.
//   runtime_throughput [executions=20000] [workflow=pass|task]
//                      [store=normal|full|memory|postgresql://...] [threads=0]
// normal/full: SQLite synchronous=NORMAL/FULL in a temporary folder; a PostgreSQL URL (e.g. from
// scripts/pg_cluster start DIR): a fresh schema of its own, dropped at the end.
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "runtime/runtime.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/store.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace {

using namespace stepline;

class Counting final : public runtime::ExecutionObserver {
 public:
  void execution_started(const std::string&, bool) override {}
  void execution_closed(const std::string&, bool, const std::string&,
                        std::chrono::microseconds) override {
    if (++closed == target) {
      std::lock_guard lock(mutex);
      done.notify_all();
    }
  }
  void state_transitions(const std::string&, long long count) override { transitions += count; }
  void task_event(const std::string&, const char*) override {}
  void store_commit(std::size_t steps, std::chrono::microseconds) override {
    ++commits;
    committed_steps += static_cast<long long>(steps);
  }
  std::atomic<long long> closed{0}, transitions{0}, commits{0}, committed_steps{0};
  long long target = 0;
  std::mutex mutex;
  std::condition_variable done;
};

class InstantInvoker final : public integrations::TaskInvoker {
 public:
  integrations::TaskOutcome invoke(const integrations::TaskRequest& request) override {
    return integrations::TaskOutcome::succeeded(request.input);
  }
};

const char* kPass = R"({"StartAt":"A","States":{
  "A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Pass","Next":"D"},
  "D":{"Type":"Pass","Next":"E"},"E":{"Type":"Pass","End":true}}})";
const char* kTask = R"({"StartAt":"A","States":{
  "A":{"Type":"Pass","Next":"T"},
  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"B"},
  "B":{"Type":"Pass","End":true}}})";

}  // namespace

int main(int argc, char** argv) {
  const long long count = argc > 1 ? std::stoll(argv[1]) : 20000;
  const std::string workflow = argc > 2 ? argv[2] : "pass";
  const std::string kind = argc > 3 ? argv[3] : "normal";
  const bool full = kind == "full";
  const bool postgres = kind.rfind("postgres", 0) == 0;
  const unsigned threads = argc > 4 ? static_cast<unsigned>(std::stoul(argv[4])) : 0;

  std::string dir_pattern =
      (std::filesystem::temp_directory_path() / "stepline-tp-XXXXXX").string();
  if (!::mkdtemp(dir_pattern.data())) return 1;
  const std::filesystem::path dir = dir_pattern;
  const std::string schema = "bench_" + std::to_string(::getpid());
  {
    std::unique_ptr<store::Store> durable;
    std::string described;
    if (kind == "memory") {
      durable = store::open_memory_store();
      described = "memory store";
    } else if (postgres) {
      store::PostgresOptions pg;
      pg.url = kind;
      pg.schema = schema;
      durable = store::open_postgres_store(pg);
      described = "PostgreSQL";
    } else {
      store::SqliteOptions sqlite;
      sqlite.path = (dir / "stepline.db").string();
      sqlite.synchronous_full = full;
      durable = store::open_sqlite_store(sqlite);
      described = full ? "SQLite synchronous=FULL" : "SQLite synchronous=NORMAL";
    }
    SystemClock clock;
    RandomIdSource ids;
    InstantInvoker invoker;
    Counting observer;
    observer.target = count;
    runtime::RuntimeOptions options;
    options.durable = durable.get();
    options.clock = &clock;
    options.ids = &ids;
    options.invoker = &invoker;
    options.observer = &observer;
    options.node_id = "bench";
    options.threads = threads;
    auto rt = runtime::make_runtime(options);

    runtime::MachineRef m;
    m.state_machine_name = "bench";
    m.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:bench";
    m.revision_arn = m.state_machine_arn + ":revision:1";
    m.definition = workflow == "task" ? kTask : kPass;
    m.role_arn = "arn:aws:iam::123456789012:role/bench";

    std::atomic<long long> answered{0};
    const auto began = std::chrono::steady_clock::now();
    for (long long i = 0; i < count; ++i) {
      runtime::StartRequest request;
      request.machine = m;
      request.input_text = R"({"i":1})";
      rt->start(std::move(request), [&answered](runtime::StartResult) { ++answered; });
    }
    {
      std::unique_lock lock(observer.mutex);
      observer.done.wait(lock, [&] { return observer.closed.load() >= count; });
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    rt->shutdown();
    std::printf(
        "%lld %s executions (%s, %u worker threads): %.2f s, %.0f executions/s, "
        "%.0f transitions/s, %lld group commits carrying %lld steps (%.1f per commit)\n",
        count, workflow.c_str(), described.c_str(), threads, seconds, count / seconds,
        observer.transitions.load() / seconds, observer.commits.load(),
        observer.committed_steps.load(),
        observer.commits ? double(observer.committed_steps.load()) / observer.commits.load() : 0.0);
  }
  std::filesystem::remove_all(dir);
  if (postgres) store::postgres::Connection(kind, "").exec("DROP SCHEMA " + schema + " CASCADE");
  return 0;
}
