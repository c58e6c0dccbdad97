// Starting, stopping and closing executions; the registry of executions in memory; shutdown.
#include "runtime/runtime_impl.hpp"

#include "common/arns.hpp"
#include "engine/frame_codec.hpp"
#include "runtime/execution_attributes.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <thread>

namespace stepline::runtime {

namespace {

unsigned default_threads(unsigned requested) {
  if (requested) return requested;
  unsigned cores = std::thread::hardware_concurrency();
  return cores ? cores : 2;
}

// Express executions run at most five minutes (AWS quota).
constexpr std::chrono::minutes kExpressLimit{5};

// Activity claims in flight at once (each thread waits for the group commit of its claim).
constexpr unsigned kClaimThreads = 16;

}  // namespace

RuntimeImpl::RuntimeImpl(const RuntimeOptions& options)
    : options_(options),
      durable_(*options.durable),
      clock_(*options.clock),
      ids_(*options.ids),
      log_(options.log_dir) {
  location_.region = options.region;
  location_.account = options.account;
  if (!options.mock_config.empty()) {
    try {
      mock_config_ = integrations::mock::MockConfig::load(options.mock_config.string());
    } catch (const std::exception& e) {
      mock_config_error_ = e.what();
    }
  }
  const int helpers = options.map_helper_threads >= 0 ? options.map_helper_threads
                                                      : static_cast<int>(default_threads(0)) - 1;
  if (helpers > 0) map_helpers_ = std::make_unique<engine::HelperThreads>(helpers);
  workers_ = std::make_unique<WorkPool>(default_threads(options.threads));
  dispatchers_ =
      std::make_unique<WorkPool>(options.dispatch_threads ? options.dispatch_threads : 1);
  claimers_ = std::make_unique<WorkPool>(kClaimThreads);
  committer_ = std::make_unique<Committer>(durable_, options.observer);
  timers_ = std::make_unique<TimerService>(clock_, [this](const TimerKey& key) {
    engine::Event event;
    event.kind = key.id == 0 ? engine::Event::Kind::TimedOut : engine::Event::Kind::TimerFired;
    event.effect_id = key.id;
    post_event(key.execution_arn, Inbound{std::move(event), {}});
  });
  poll_deadlines_ = std::make_unique<SteadyDeadlines>();
  sweeper_ = std::thread([this] { sweep_loop(); });
}

RuntimeImpl::~RuntimeImpl() {
  shutdown();
}

void RuntimeImpl::shutdown() {
  std::call_once(shutdown_once_, [this] {
    stopping_ = true;
    {
      std::lock_guard lock(sweep_mutex_);
      sweep_stopping_ = true;
    }
    sweep_wake_.notify_all();
    if (sweeper_.joinable()) sweeper_.join();
    leave_cluster();  // first: its thread posts to the pools below
    // Long polls answer empty now rather than after their minute.
    std::vector<Poller> pollers;
    {
      std::lock_guard lock(activities_mutex_);
      for (auto& [arn, queue] : activities_) {
        for (auto& p : queue.waiting) pollers.push_back(std::move(p));
        queue.waiting.clear();
      }
    }
    for (auto& p : pollers) p.done(std::nullopt);
    poll_deadlines_->stop();
    timers_->stop();
    claimers_->stop();
    dispatchers_->stop();
    workers_->stop();
    committer_->stop();
  });
}

RuntimeImpl::ExecutionPtr RuntimeImpl::find(const std::string& arn) {
  std::shared_lock lock(executions_mutex_);
  auto it = executions_.find(arn);
  return it == executions_.end() ? nullptr : it->second;
}

bool RuntimeImpl::post_event(const std::string& arn, Inbound inbound) {
  if (auto x = find(arn)) return post_event(x, std::move(inbound));
  if (deliver_to_evicted(arn, inbound)) return true;
  answer_closed(std::move(inbound));
  return false;
}

bool RuntimeImpl::post_event(const ExecutionPtr& x, Inbound inbound) {
  bool schedule = false;
  bool closed = false;
  bool evicted = false;
  {
    std::lock_guard lock(x->mutex);
    closed = x->closed;
    evicted = x->evicted;
    if (!closed && !evicted) {
      x->inbox.push_back(std::move(inbound));
      schedule = !x->busy;
      x->busy = true;
    }
  }
  // A handle kept past the eviction (a dispatch job's): the event goes to the ARN instead.
  if (evicted) return post_event(x->arn, std::move(inbound));
  if (closed) {
    answer_closed(std::move(inbound));  // not moved from: the push did not happen
    return false;
  }
  if (schedule) workers_->post([this, x] { drain(x); });
  return true;
}

void RuntimeImpl::answer_closed(Inbound inbound) {
  std::visit(
      [&](auto& reply) {
        using T = std::decay_t<decltype(reply)>;
        if constexpr (std::is_same_v<T, TokenReply>) {
          reply.done(TokenStatus::TaskTimedOut);
        } else if constexpr (std::is_same_v<T, StopReply>) {
          // The execution closed before the stop got to it.
          stop_stored(reply.execution_arn, std::move(reply.done), false);
        } else if constexpr (std::is_same_v<T, ClaimReply>) {
          // The claimed task's execution is gone: keep polling for another one.
          wait_for_task(reply.activity_arn, reply.worker, reply.poll_deadline,
                        std::move(reply.done));
        }
      },
      inbound.reply);
}

void RuntimeImpl::start(StartRequest request, std::function<void(StartResult)> done) {
  if (stopping_) {
    done({StartResult::Status::Failed, "", {}, "the runtime is shutting down"});
    return;
  }
  // The job owns the callback; a pool that stopped meanwhile drops it unanswered, so keep a
  // second handle to answer from here in that case.
  auto answer = std::make_shared<std::function<void(StartResult)>>(std::move(done));
  if (!workers_->post([this, request = std::move(request), answer]() mutable {
        start_now(std::move(request), std::move(*answer), nullptr);
      })) {
    (*answer)({StartResult::Status::Failed, "", {}, "the runtime is shutting down"});
  }
}

void RuntimeImpl::start_sync(StartRequest request, std::function<void(SyncResult)> done) {
  if (stopping_) {
    SyncResult r;
    r.status = "FAILED";
    r.error = std::string(errors::kRuntime);
    r.cause = "the runtime is shutting down";
    done(std::move(r));
    return;
  }
  auto run = [this](StartRequest request, std::function<void(SyncResult)> done) {
    auto sync_done = done;
    start_now(
        std::move(request),
        [done = std::move(done)](StartResult started) {
          if (started.status == StartResult::Status::Started) return;  // answered at the end
          SyncResult r;
          r.execution_arn = started.execution_arn;
          r.status = "FAILED";
          r.error = std::string(errors::kRuntime);
          r.cause = started.message;
          done(std::move(r));
        },
        std::move(sync_done));
  };
  // An Express start step is CPU only (no store I/O): run on the caller's thread (the server's
  // I/O thread), which saves two thread hand-offs per StartSyncExecution. What it schedules
  // (tasks, timers, later steps) goes to the pools as before.
  if (request.machine.express) return run(std::move(request), std::move(done));
  auto shared_done = std::make_shared<std::function<void(SyncResult)>>(std::move(done));
  const bool posted = workers_->post([run, request = std::move(request), shared_done]() mutable {
    run(std::move(request), *shared_done);
  });
  if (!posted) {
    SyncResult r;
    r.status = "FAILED";
    r.error = std::string(errors::kRuntime);
    r.cause = "the runtime is shutting down";
    (*shared_done)(std::move(r));
  }
}

void RuntimeImpl::ensure_revision(const MachineRef& machine) {
  if (machine.revision_arn.empty()) return;
  {
    std::lock_guard lock(revisions_mutex_);
    if (known_revisions_.count(machine.revision_arn)) return;
  }
  if (!durable_.get_resource(store::ResourceKind::Revision, machine.revision_arn)) {
    // Recovery reads the definition from here: write it when the API has not (yet).
    store::Resource revision;
    revision.kind = store::ResourceKind::Revision;
    revision.arn = machine.revision_arn;
    revision.parent_arn = machine.state_machine_arn;
    revision.name = machine.state_machine_name;
    json::Object document;
    document["definition"] = machine.definition;
    document["roleArn"] = machine.role_arn;
    document["type"] = machine.express ? "EXPRESS" : "STANDARD";
    document["loggingConfiguration"] = machine.logging_configuration;
    revision.document = std::move(document);
    durable_.write_resources({{std::move(revision), 0, false}});  // lost race: someone wrote it
  }
  std::lock_guard lock(revisions_mutex_);
  known_revisions_.insert(machine.revision_arn);
}

void RuntimeImpl::start_now(StartRequest request, std::function<void(StartResult)> done,
                            std::function<void(SyncResult)> sync_done,
                            std::optional<NestedParent> parent) {
  auto fail = [&](StartResult::Status status, std::string message) {
    StartResult r;
    r.status = status;
    r.message = std::move(message);
    done(std::move(r));
  };
  MachineRef& m = request.machine;
  if (!m.express && open_standard_.load() >= options_.max_open_executions) {
    return fail(StartResult::Status::LimitExceeded, "");
  }
  auto x = std::make_shared<Execution>();
  if (!m.mock_test_case.empty()) {
    if (!mock_config_) {
      return fail(StartResult::Status::InvalidTestCase,
                  mock_config_error_.empty()
                      ? "No mock configuration is loaded (set SFN_MOCK_CONFIG)"
                      : "The mock configuration cannot be read: " + mock_config_error_);
    }
    try {
      auto test_case = mock_config_->test_case(m.state_machine_name, m.mock_test_case);
      for (const auto& [state, response] : test_case.responses) x->mocked_states.insert(state);
      x->mock =
          std::make_unique<integrations::mock::MockInvoker>(std::move(test_case), options_.invoker);
    } catch (const std::exception& e) {
      return fail(StartResult::Status::InvalidTestCase, e.what());
    }
  }
  std::shared_ptr<const asl::StateMachine> machine;
  json::Value input;
  try {
    machine = machines_.get(m.revision_arn, m.definition, m.express);
    input = json::parse(request.input_text.empty() ? "{}" : request.input_text);
    if (!m.express) ensure_revision(m);
  } catch (const std::exception& e) {
    return fail(StartResult::Status::Failed, e.what());
  }

  x->name = request.name.empty() ? ids_.uuid() : request.name;
  x->arn = m.express
               ? arns::express_execution(location_, m.state_machine_name, x->name, ids_.uuid())
               : arns::execution(location_, m.state_machine_name, x->name);
  x->trace_header = request.trace_header;
  x->lease = options_.node_id;
  x->input_text = request.input_text.empty() ? "{}" : request.input_text;
  x->sync_done = std::move(sync_done);
  x->parent = std::move(parent);
  m.definition.clear();
  x->machine = std::move(m);
  engine::ExecutionInfo info;
  info.execution_arn = x->arn;
  info.execution_name = x->name;
  info.state_machine_arn = x->machine.state_machine_arn;
  info.state_machine_name = x->machine.state_machine_name;
  info.role_arn = x->machine.role_arn;
  info.region = location_.region;
  info.account = location_.account;
  info.express = x->machine.express;
  info.started_sync = static_cast<bool>(x->sync_done);
  x->ids = std::make_unique<ExecutionIds>(ids_, x->arn);
  x->interpreter = std::make_unique<engine::Interpreter>(machine, std::move(info), x->ids.get());
  x->interpreter->set_activity_check(activity_check());
  x->interpreter->set_iteration_helpers(map_helpers_.get());
  x->busy = true;  // the start step is in progress: events wait in the inbox

  engine::Event start;
  start.kind = engine::Event::Kind::Start;
  start.now = clock_.now();
  start.input = std::move(input);
  x->start_date = start.now;
  // The answer comes once the first step is committed (Express: at once).
  x->start_done = std::move(done);
  process(x, Inbound{std::move(start), {}});
}

void RuntimeImpl::stop(const std::string& execution_arn, StatesError reason,
                       std::function<void(StopResult)> done) {
  engine::Event event;
  event.kind = engine::Event::Kind::Stop;
  event.error = std::move(reason);
  if (auto x = find(execution_arn)) {
    // A closed execution answers through answer_closed → stop_stored.
    post_event(x, Inbound{std::move(event), StopReply{execution_arn, std::move(done)}});
    return;
  }
  {
    Inbound inbound{event, StopReply{execution_arn, done}};
    if (deliver_to_evicted(execution_arn, inbound)) return;
  }
  workers_->post([this, execution_arn, event = std::move(event), done = std::move(done)]() mutable {
    if (auto record = durable_.load_execution(execution_arn);
        record && record->summary.status == "RUNNING" && resume(execution_arn)) {
      if (auto x = find(execution_arn)) {
        post_event(x, Inbound{std::move(event), StopReply{execution_arn, std::move(done)}});
        return;
      }
    }
    Inbound inbound{std::move(event), StopReply{execution_arn, std::move(done)}};
    if (forward_to_owner(execution_arn, inbound)) return;  // owned by another live node
    stop_stored(execution_arn, std::move(std::get<StopReply>(inbound.reply).done), true);
  });
}

void RuntimeImpl::stop_stored(const std::string& execution_arn,
                              std::function<void(StopResult)> done, bool on_worker) {
  auto answer = [this, execution_arn, done = std::move(done)] {
    StopResult r;
    auto record = durable_.load_execution(execution_arn);
    if (!record) {
      r.status = StopResult::Status::NotFound;
    } else {
      r.status = StopResult::Status::NotRunning;
      r.stop_date = record->summary.stop_date.value_or(TimePoint{});
    }
    done(r);
  };
  if (on_worker) {
    answer();
  } else {
    workers_->post(std::move(answer));
  }
}

void RuntimeImpl::close_execution(const ExecutionPtr& x, bool report) {
  std::deque<Inbound> left;
  {
    std::lock_guard lock(x->mutex);
    x->closed = true;
    x->busy = false;
    left.swap(x->inbox);
  }
  {
    std::unique_lock lock(executions_mutex_);
    if (auto it = executions_.find(x->arn); it != executions_.end() && it->second == x) {
      executions_.erase(it);
      if (!x->express()) --open_standard_;
    }
  }
  for (const auto& [id, timer] : x->timers) timers_->cancel({timer.due, x->arn, id});
  x->timers.clear();
  for (auto& inbound : left) answer_closed(std::move(inbound));
  if (!report) return;
  nested_closed(x);
  if (options_.observer) {
    const auto stop = clock_.now();
    options_.observer->execution_closed(
        x->machine.state_machine_arn, x->express(), x->frame.status,
        std::chrono::duration_cast<std::chrono::microseconds>(stop - x->start_date));
  }
  if (x->sync_done) x->sync_done(sync_result(*x));
}

SyncResult RuntimeImpl::sync_result(const Execution& x) const {
  SyncResult r;
  r.execution_arn = x.arn;
  r.name = x.name;
  r.start_date = x.start_date;
  r.stop_date = x.stop_date;
  r.status = x.frame.status;
  r.input = x.input_text;
  if (x.frame.status == "SUCCEEDED" && x.frame.output) r.output = json::dump(*x.frame.output);
  if (x.frame.status != "SUCCEEDED") {
    r.error = x.frame.error.error;
    r.cause = x.frame.error.cause;
  }
  return r;
}

std::unique_ptr<Runtime> make_runtime(const RuntimeOptions& options) {
  if (!options.durable || !options.clock || !options.ids) {
    throw std::invalid_argument("make_runtime needs a durable store, a clock and an id source");
  }
  return std::make_unique<RuntimeImpl>(options);
}

}  // namespace stepline::runtime
