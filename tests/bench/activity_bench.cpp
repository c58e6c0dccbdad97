// A measuring tool, not a test: activity round trips through the runtime (no HTTP), as
// bench/http_load.sh `activity` drives them over the API: each of C clients loops
// StartExecution -> GetActivityTask -> SendTaskSuccess on one activity, on a SQLite store with
// synchronous=FULL, for S seconds; prints round trips per second and checks the executions.
//   activity_bench [clients=16] [seconds=10]
// Exit code 0 when every round trip was answered as expected and every execution SUCCEEDED.
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "runtime/runtime.hpp"
#include "store/store.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace stepline;

const char* kActivityArn = "arn:aws:states:us-east-1:123456789012:activity:bench";

}  // namespace

int main(int argc, char** argv) {
  const int clients = argc > 1 ? std::atoi(argv[1]) : 16;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 10;
  if (clients <= 0 || seconds <= 0) {
    std::fprintf(stderr, "usage: activity_bench [clients=16] [seconds=10]\n");
    return 2;
  }
  std::string dir_pattern =
      (std::filesystem::temp_directory_path() / "stepline-activity-XXXXXX").string();
  if (!::mkdtemp(dir_pattern.data())) return 1;
  const std::filesystem::path dir = dir_pattern;
  long long round_trips = 0, wrong = 0;
  double elapsed = 0;
  {
    store::SqliteOptions options;
    options.path = (dir / "stepline.db").string();
    auto durable = store::open_sqlite_store(options);
    store::Resource activity;
    activity.kind = store::ResourceKind::Activity;
    activity.arn = kActivityArn;
    activity.name = "bench";
    activity.document = json::Object{};
    durable->write_resources({{activity, 0, false}});

    SystemClock clock;
    RandomIdSource ids;
    runtime::RuntimeOptions runtime_options;
    runtime_options.durable = durable.get();
    runtime_options.clock = &clock;
    runtime_options.ids = &ids;
    runtime_options.node_id = "bench";
    auto rt = runtime::make_runtime(runtime_options);

    runtime::MachineRef machine;
    machine.state_machine_name = "activity";
    machine.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:activity";
    machine.revision_arn = machine.state_machine_arn + ":revision:1";
    machine.definition =
        std::string(R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":")") + kActivityArn +
        R"(","End":true}}})";
    machine.role_arn = "arn:aws:iam::123456789012:role/bench";

    std::atomic<long long> done{0}, bad{0};
    const auto began = std::chrono::steady_clock::now();
    const auto until = began + std::chrono::seconds(seconds);
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&] {
        while (std::chrono::steady_clock::now() < until) {
          std::promise<runtime::StartResult> started;
          runtime::StartRequest request;
          request.machine = machine;
          request.input_text = R"({"job":1})";
          rt->start(std::move(request),
                    [&](runtime::StartResult r) { started.set_value(std::move(r)); });
          if (started.get_future().get().status != runtime::StartResult::Status::Started) {
            ++bad;
            return;
          }
          std::promise<std::optional<runtime::ActivityTask>> polled;
          rt->get_activity_task(
              kActivityArn, std::string("worker"),
              [&](std::optional<runtime::ActivityTask> t) { polled.set_value(std::move(t)); });
          auto task = polled.get_future().get();
          if (!task) {
            ++bad;
            return;
          }
          std::promise<runtime::TokenStatus> answered;
          rt->send_task_success(task->token, R"({"ok":true})",
                                [&](runtime::TokenStatus s) { answered.set_value(s); });
          if (answered.get_future().get() != runtime::TokenStatus::Accepted) {
            ++bad;
            return;
          }
          ++done;
        }
      });
    }
    for (auto& t : threads) t.join();
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    rt->shutdown();
    round_trips = done.load();
    wrong = bad.load();
    store::ExecutionFilter filter;
    filter.status = "RUNNING";
    store::PageRequest page;
    page.limit = 1000;
    // Each client's last task may belong to another client's execution; none may be left open.
    const auto running = durable->list_executions(filter, page).items.size();
    if (running) {
      std::fprintf(stderr, "%zu executions still RUNNING\n", running);
      ++wrong;
    }
  }
  std::filesystem::remove_all(dir);
  std::printf(
      "%d clients, %.1f s: %lld round trips (StartExecution, GetActivityTask, "
      "SendTaskSuccess), %.0f round trips/s, %lld wrong\n",
      clients, elapsed, round_trips, static_cast<double>(round_trips) / elapsed, wrong);
  return wrong == 0 ? 0 : 1;
}
