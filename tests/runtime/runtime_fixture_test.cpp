// The fixture's helpers (runtime_fixture.hpp). Named *_test.cpp so the test glob picks it up.
#include "runtime_fixture.hpp"

#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

namespace stepline::runtime::testing {

namespace {

template <typename T>
T await(std::future<T>& f) {
  if (f.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    throw std::runtime_error("the runtime did not answer within 20 s");
  }
  return f.get();
}

}  // namespace

void ScriptedInvoker::on(const std::string& state, Script script) {
  std::lock_guard lock(mutex_);
  scripts_[state] = std::move(script);
}

integrations::TaskOutcome ScriptedInvoker::invoke(const integrations::TaskRequest& request) {
  Script script;
  int n = 0;
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    n = counts_[request.state_name]++;
    auto it = scripts_.find(request.state_name);
    if (it == scripts_.end()) {
      return integrations::TaskOutcome::succeeded(json::Object{{"echo", request.input}});
    }
    script = it->second;
  }
  return script(request, n);
}

std::vector<integrations::TaskRequest> ScriptedInvoker::requests() {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::string ScriptedInvoker::wait_token(const std::string& state) {
  for (int i = 0; i < 20000; ++i) {
    {
      std::lock_guard lock(mutex_);
      for (auto it = requests_.rbegin(); it != requests_.rend(); ++it) {
        if (it->state_name == state && it->task_token) return *it->task_token;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  throw std::runtime_error("no task token for " + state);
}

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "stepline-runtime-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string machine_arn(const std::string& name) {
  return std::string("arn:aws:states:us-east-1:") + kAccount + ":stateMachine:" + name;
}

std::string activity_arn(const std::string& name) {
  return std::string("arn:aws:states:us-east-1:") + kAccount + ":activity:" + name;
}

std::string execution_arn(const std::string& machine, const std::string& name) {
  return std::string("arn:aws:states:us-east-1:") + kAccount + ":execution:" + machine + ":" + name;
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::Memory ? "Memory" : "Sqlite";
}

void RuntimeTest::SetUp() {
  clock = std::make_unique<ManualClock>(TimePoint(Millis(1'700'000'000'000)));
  ids = std::make_unique<RandomIdSource>(42);
  options.clock = clock.get();
  options.ids = ids.get();
  options.invoker = &invoker;
  options.node_id = "node-1";
  options.threads = 2;
  options.dispatch_threads = 4;
  options.activity_poll = std::chrono::seconds(20);
  open_store();
  open_runtime();
}

void RuntimeTest::TearDown() {
  if (runtime) runtime->shutdown();
  runtime.reset();
  store.reset();
}

std::string RuntimeTest::activity(const std::string& name) {
  store::Resource resource;
  resource.kind = store::ResourceKind::Activity;
  resource.arn = activity_arn(name);
  resource.name = name;
  resource.document = json::Object{{"activityArn", resource.arn}, {"name", name}};
  if (!store->get_resource(resource.kind, resource.arn)) {
    EXPECT_TRUE(store->write_resources({{resource, 0, false}}).ok);
  }
  return resource.arn;
}

void RuntimeTest::open_store() {
  if (GetParam() == Backend::Memory) {
    if (!store) store = store::open_memory_store();
  } else {
    store.reset();
    store::SqliteOptions sqlite;
    sqlite.path = (dir.path() / "stepline.db").string();
    sqlite.synchronous_full = false;
    store = store::open_sqlite_store(sqlite);
  }
  options.durable = store.get();
}

void RuntimeTest::open_runtime() {
  if (runtime) runtime->shutdown();
  runtime.reset();
  runtime = make_runtime(options);
}

void RuntimeTest::restart() {
  runtime->shutdown();
  runtime.reset();
  open_store();
  open_runtime();
  runtime->recover();
}

MachineRef RuntimeTest::machine(const std::string& name, const std::string& definition,
                                bool express) {
  MachineRef m;
  m.state_machine_arn = machine_arn(name);
  m.state_machine_name = name;
  m.revision_arn = m.state_machine_arn + ":revision:1";
  m.definition = definition;
  m.role_arn = std::string("arn:aws:iam::") + kAccount + ":role/test";
  m.express = express;
  return m;
}

StartResult RuntimeTest::start(const MachineRef& m, const std::string& name,
                               const std::string& input) {
  std::promise<StartResult> p;
  auto f = p.get_future();
  StartRequest request;
  request.machine = m;
  request.name = name;
  request.input_text = input;
  runtime->start(std::move(request), [&p](StartResult r) { p.set_value(std::move(r)); });
  return await(f);
}

SyncResult RuntimeTest::start_sync(const MachineRef& m, const std::string& input) {
  std::promise<SyncResult> p;
  auto f = p.get_future();
  StartRequest request;
  request.machine = m;
  request.input_text = input;
  runtime->start_sync(std::move(request), [&p](SyncResult r) { p.set_value(std::move(r)); });
  return await(f);
}

StopResult RuntimeTest::stop(const std::string& arn, StatesError reason) {
  std::promise<StopResult> p;
  auto f = p.get_future();
  runtime->stop(arn, std::move(reason), [&p](StopResult r) { p.set_value(r); });
  return await(f);
}

TokenStatus RuntimeTest::succeed(const std::string& token, const std::string& output) {
  std::promise<TokenStatus> p;
  auto f = p.get_future();
  runtime->send_task_success(token, output, [&p](TokenStatus s) { p.set_value(s); });
  return await(f);
}

TokenStatus RuntimeTest::fail(const std::string& token, StatesError error) {
  std::promise<TokenStatus> p;
  auto f = p.get_future();
  runtime->send_task_failure(token, std::move(error), [&p](TokenStatus s) { p.set_value(s); });
  return await(f);
}

TokenStatus RuntimeTest::heartbeat(const std::string& token) {
  std::promise<TokenStatus> p;
  auto f = p.get_future();
  runtime->send_task_heartbeat(token, [&p](TokenStatus s) { p.set_value(s); });
  return await(f);
}

std::optional<ActivityTask> RuntimeTest::poll(const std::string& activity,
                                              const std::string& worker) {
  std::promise<std::optional<ActivityTask>> p;
  auto f = p.get_future();
  runtime->get_activity_task(activity, worker,
                             [&p](std::optional<ActivityTask> t) { p.set_value(std::move(t)); });
  return await(f);
}

store::ExecutionSummary RuntimeTest::wait_status(const std::string& arn,
                                                 const std::string& status) {
  std::string last = "(absent)";
  for (int i = 0; i < 20000; ++i) {
    if (auto record = store->load_execution(arn)) {
      last = record->summary.status;
      if (last == status) return record->summary;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ADD_FAILURE() << arn << ": status " << last << ", expected " << status;
  return {};
}

void RuntimeTest::wait_event(const std::string& arn, const std::string& type) {
  for (int i = 0; i < 20000; ++i) {
    for (const auto& t : event_types(arn)) {
      if (t == type) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ADD_FAILURE() << arn << ": no " << type << " event";
}

json::Array RuntimeTest::history(const std::string& arn) {
  json::Array out;
  store::PageRequest page;
  page.limit = 1000;
  for (;;) {
    auto got = store->read_history(arn, page);
    for (auto& e : got.items) out.push_back(std::move(e));
    if (got.next_token.empty()) return out;
    page.token = got.next_token;
  }
}

std::vector<std::string> RuntimeTest::event_types(const std::string& arn) {
  std::vector<std::string> types;
  for (const auto& e : history(arn)) types.emplace_back(e.at("type").as_string());
  return types;
}

void RuntimeTest::advance(long long seconds) {
  clock->advance(std::chrono::seconds(seconds));
}

void RuntimeTest::settle() {
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

}  // namespace stepline::runtime::testing
