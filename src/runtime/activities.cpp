// Tasks leaving the runtime and answers coming back: TaskInvoker calls on the dispatch pool,
// activity queues with GetActivityTask long polls, and SendTaskSuccess/Failure/Heartbeat.
#include "runtime/runtime_impl.hpp"
#include "runtime/task_tokens.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace stepline::runtime {

namespace {

// The name a claim is recorded under in the store (an empty one would read as unclaimed).
std::string claimant(const std::optional<std::string>& worker) {
  return worker && !worker->empty() ? *worker : std::string("(unnamed worker)");
}

}  // namespace

void RuntimeImpl::dispatch(const ExecutionPtr& x, long long effect_id, const OpenTask& task,
                           integrations::TaskRequest request) {
  if (options_.observer) options_.observer->task_event(task.resource, "dispatched");
  if (task.kind == TaskKind::Activity) return activity_queued(task.activity_arn);
  if (dispatch_nested(x, effect_id, task, request)) return;
  integrations::TaskInvoker* invoker =
      x->mock ? static_cast<integrations::TaskInvoker*>(x->mock.get()) : options_.invoker;
  std::optional<std::string> in_flight;
  if (task.kind == TaskKind::Callback && request.task_token) {
    in_flight = *request.task_token;
    std::lock_guard lock(x->mutex);
    x->callbacks_in_flight[*in_flight];
  }
  dispatchers_->post(
      [this, x, effect_id, invoker, in_flight, kind = task.kind, request = std::move(request)]() {
        integrations::TaskOutcome outcome = integrations::invoke_guarded(invoker, request);
        if (options_.observer && outcome.kind != integrations::TaskOutcome::Kind::Pending) {
          options_.observer->task_event(
              request.resource,
              outcome.kind == integrations::TaskOutcome::Kind::Succeeded ? "succeeded" : "failed");
        }
        // A callback task that is merely "sent" has nothing to record: SendTask* will answer it.
        if (kind != TaskKind::Callback ||
            outcome.kind != integrations::TaskOutcome::Kind::Pending || outcome.submitted) {
          engine::Event event;
          event.kind = engine::Event::Kind::TaskCompleted;
          event.effect_id = effect_id;
          event.outcome = std::move(outcome);
          post_event(x->arn, Inbound{std::move(event), {}});
        }
        if (in_flight) release_callback_answers(x, *in_flight);
      });
}

engine::Interpreter::ActivityCheck RuntimeImpl::activity_check() {
  return [this](const std::string& activity_arn) {
    return durable_.get_resource(store::ResourceKind::Activity, activity_arn).has_value();
  };
}

void RuntimeImpl::activity_queued(const std::string& activity_arn) {
  Poller poller;
  {
    std::lock_guard lock(activities_mutex_);
    auto& queue = activities_[activity_arn];
    if (queue.waiting.empty()) {
      ++queue.unclaimed;
      return;
    }
    poller = std::move(queue.waiting.front());
    queue.waiting.pop_front();
  }
  poll_deadlines_->cancel(poller.deadline_id);
  workers_->post([this, activity_arn, poller = std::move(poller)]() mutable {
    try_claim(activity_arn, std::move(poller.worker), poller.deadline, std::move(poller.done));
  });
}

void RuntimeImpl::get_activity_task(const std::string& activity_arn,
                                    std::optional<std::string> worker_name,
                                    std::function<void(std::optional<ActivityTask>)> done) {
  wait_for_task(activity_arn, std::move(worker_name),
                std::chrono::steady_clock::now() + options_.activity_poll, std::move(done));
}

void RuntimeImpl::wait_for_task(const std::string& activity_arn, std::optional<std::string> worker,
                                std::chrono::steady_clock::time_point deadline,
                                std::function<void(std::optional<ActivityTask>)> done) {
  if (stopping_ || std::chrono::steady_clock::now() >= deadline) return done(std::nullopt);
  {
    std::lock_guard lock(activities_mutex_);
    auto& queue = activities_[activity_arn];
    if (queue.unclaimed == 0) {
      Poller poller;
      poller.id = next_poller_++;
      poller.worker = std::move(worker);
      poller.deadline = deadline;
      poller.done = std::move(done);
      poller.deadline_id = poll_deadlines_->schedule(
          deadline, [this, activity_arn, id = poller.id] { poll_expired(activity_arn, id); });
      queue.waiting.push_back(std::move(poller));
      return;
    }
    --queue.unclaimed;
  }
  workers_->post(
      [this, activity_arn, worker = std::move(worker), deadline, done = std::move(done)]() mutable {
        try_claim(activity_arn, std::move(worker), deadline, std::move(done));
      });
}

void RuntimeImpl::poll_expired(const std::string& activity_arn, long long poller_id) {
  std::function<void(std::optional<ActivityTask>)> done;
  {
    std::lock_guard lock(activities_mutex_);
    auto it = activities_.find(activity_arn);
    if (it == activities_.end()) return;
    auto& waiting = it->second.waiting;
    for (auto p = waiting.begin(); p != waiting.end(); ++p) {
      if (p->id == poller_id) {
        done = std::move(p->done);
        waiting.erase(p);
        break;
      }
    }
  }
  if (done) done(std::nullopt);
}

void RuntimeImpl::try_claim(std::string activity_arn, std::optional<std::string> worker,
                            std::chrono::steady_clock::time_point deadline,
                            std::function<void(std::optional<ActivityTask>)> done) {
  // The claim waits for its group commit: on a claim thread, never on an execution worker.
  auto answer = std::make_shared<std::function<void(std::optional<ActivityTask>)>>(std::move(done));
  if (!claimers_->post([this, activity_arn = std::move(activity_arn), worker = std::move(worker),
                        deadline, answer]() mutable {
        claim_now(std::move(activity_arn), std::move(worker), deadline, std::move(*answer));
      })) {
    (*answer)(std::nullopt);  // shutting down
  }
}

void RuntimeImpl::claim_now(std::string activity_arn, std::optional<std::string> worker,
                            std::chrono::steady_clock::time_point deadline,
                            std::function<void(std::optional<ActivityTask>)> done) {
  std::optional<store::TaskRecord> task;
  try {
    task = durable_.claim_activity_task(activity_arn, claimant(worker));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stepline runtime: claiming an activity task failed: %s\n", e.what());
    return done(std::nullopt);
  }
  // Someone else's step closed it first (stop, timeout): wait for the next one.
  if (!task) return wait_for_task(activity_arn, std::move(worker), deadline, std::move(done));
  std::string input = "{}";
  if (const auto* payload = task->payload.if_object()) {
    if (const auto* value = payload->if_contains("input")) input = json::dump(*value);
  }
  engine::Event event;
  event.kind = engine::Event::Kind::TaskStarted;
  event.effect_id = task->id;
  event.worker = worker;
  Inbound inbound{std::move(event), ClaimReply{task->token, std::move(input), activity_arn,
                                               std::move(worker), deadline, std::move(done)}};
  if (forward_to_owner(task->execution_arn, inbound)) return;  // owned by another live node
  post_event(task->execution_arn, std::move(inbound));
}

bool RuntimeImpl::park_callback_answer(const ExecutionPtr& x, const std::string& token,
                                       Inbound& inbound) {
  std::lock_guard lock(x->mutex);
  auto it = x->callbacks_in_flight.find(token);
  if (it == x->callbacks_in_flight.end()) return false;
  it->second.push_back(std::move(inbound));
  return true;
}

void RuntimeImpl::release_callback_answers(const ExecutionPtr& x, const std::string& token) {
  std::vector<Inbound> parked;
  {
    std::lock_guard lock(x->mutex);
    auto it = x->callbacks_in_flight.find(token);
    if (it == x->callbacks_in_flight.end()) return;
    parked = std::move(it->second);
    x->callbacks_in_flight.erase(it);
  }
  // After the invocation's own event: the inbox keeps this order.
  for (auto& inbound : parked) post_event(x, std::move(inbound));
}

void RuntimeImpl::token_event(const std::string& token, engine::Event event,
                              std::function<void(TokenStatus)> done) {
  auto arn = token_execution(token);
  if (!arn) return done(TokenStatus::InvalidToken);
  if (auto x = find(*arn)) {
    Inbound inbound{std::move(event), TokenReply{token, std::move(done)}};
    if (!park_callback_answer(x, token, inbound)) post_event(x, std::move(inbound));
    return;
  }
  {
    // Evicted while it waits: the answer reloads it. (Not evicted with an invocation out.)
    Inbound inbound{std::move(event), TokenReply{token, std::move(done)}};
    if (deliver_to_evicted(*arn, inbound)) return;
    event = std::move(inbound.event);
    done = std::move(std::get<TokenReply>(inbound.reply).done);
  }
  // Not running here: closed (TaskTimedOut), unknown (TaskDoesNotExist), or not loaded yet.
  workers_->post(
      [this, token, arn = *arn, event = std::move(event), done = std::move(done)]() mutable {
        auto record = durable_.load_execution(arn);
        if (!record) return done(TokenStatus::TaskDoesNotExist);
        if (record->summary.status == "RUNNING" && resume(arn)) {
          if (auto x = find(arn)) {
            Inbound inbound{std::move(event), TokenReply{token, std::move(done)}};
            if (!park_callback_answer(x, token, inbound)) post_event(x, std::move(inbound));
            return;
          }
        }
        Inbound inbound{std::move(event), TokenReply{token, std::move(done)}};
        if (record->summary.status == "RUNNING" && forward_to_owner(arn, inbound)) return;
        answer_closed(std::move(inbound));  // TaskTimedOut
      });
}

void RuntimeImpl::send_task_success(const std::string& token, std::string output_text,
                                    std::function<void(TokenStatus)> done) {
  engine::Event event;
  event.kind = engine::Event::Kind::TaskCompleted;
  try {
    event.outcome = integrations::TaskOutcome::succeeded(json::parse(output_text));
  } catch (const json::ParseError&) {
    // The API checks the output first; a text that still is not JSON names no valid answer.
    return done(TokenStatus::InvalidToken);
  }
  token_event(token, std::move(event), std::move(done));
}

void RuntimeImpl::send_task_failure(const std::string& token, StatesError error,
                                    std::function<void(TokenStatus)> done) {
  engine::Event event;
  event.kind = engine::Event::Kind::TaskCompleted;
  event.outcome = integrations::TaskOutcome::failed(std::move(error.error), std::move(error.cause));
  token_event(token, std::move(event), std::move(done));
}

void RuntimeImpl::send_task_heartbeat(const std::string& token,
                                      std::function<void(TokenStatus)> done) {
  engine::Event event;
  event.kind = engine::Event::Kind::Heartbeat;
  token_event(token, std::move(event), std::move(done));
}

}  // namespace stepline::runtime
