// The runtime as one node of a cluster (see store::Cluster): a thread that renews the node's
// lease, takes over the executions of dead nodes, runs the API calls other nodes wrote to the
// inboxes of executions this node owns, and lets activity pollers here claim tasks that
// executions on other nodes queued. Outside a cluster (cluster_ null) all of it is inert.
#include "runtime/runtime_impl.hpp"

#include <condition_variable>
#include <cstdio>
#include <map>
#include <thread>

namespace stepline::runtime {

struct RuntimeImpl::ClusterState {
  ClusterOptions options;
  std::string node;
  std::thread thread;
  std::atomic<bool> stopping{false};
  std::chrono::steady_clock::time_point next_heartbeat{};
  std::mutex mutex;
  std::set<long long> in_flight;  // inbox entries posted to an execution, awaiting their step
};

namespace {

std::string string_at(const json::Value& v, const char* key) {
  const auto* o = v.if_object();
  const auto* s = o ? o->if_contains(key) : nullptr;
  return s && s->is_string() ? std::string(s->as_string()) : std::string();
}

std::optional<std::string> optional_at(const json::Value& v, const char* key) {
  const auto* o = v.if_object();
  const auto* s = o ? o->if_contains(key) : nullptr;
  if (!s || !s->is_string()) return std::nullopt;
  return std::string(s->as_string());
}

void put_optional(json::Object& o, const char* key, const std::optional<std::string>& value) {
  if (value) o[key] = *value;
}

}  // namespace

std::unique_ptr<Runtime> make_cluster_runtime(const RuntimeOptions& options,
                                              const ClusterOptions& cluster) {
  if (!cluster.cluster) throw std::invalid_argument("make_cluster_runtime needs a cluster");
  if (options.node_id.empty()) throw std::invalid_argument("a cluster node needs a node id");
  auto runtime = std::make_unique<RuntimeImpl>(options);  // checks the rest of the options
  runtime->join_cluster(cluster);
  return runtime;
}

void RuntimeImpl::join_cluster(const ClusterOptions& options) {
  cluster_ = std::make_shared<ClusterState>();
  cluster_->options = options;
  cluster_->node = options_.node_id;
  const auto now = clock_.now();
  options.cluster->heartbeat(cluster_->node, now, now + options.lease);
  cluster_->next_heartbeat = std::chrono::steady_clock::now() + options.lease / 3;
  cluster_->thread = std::thread([this] { cluster_loop(); });
}

void RuntimeImpl::leave_cluster() {
  if (!cluster_) return;
  cluster_->stopping = true;
  cluster_->options.cluster->interrupt();
  if (cluster_->thread.joinable()) cluster_->thread.join();
  try {
    cluster_->options.cluster->leave(cluster_->node);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stepline cluster: leaving failed: %s\n", e.what());
  }
}

void RuntimeImpl::cluster_loop() {
  auto& cluster = *cluster_->options.cluster;
  while (!cluster_->stopping) {
    try {
      cluster_tick();
    } catch (const std::exception& e) {
      // The database is unreachable for now: the lease may lapse, and fencing keeps what this
      // node still holds from being written once another node has taken it.
      std::fprintf(stderr, "stepline cluster: %s\n", e.what());
    }
    cluster.wait_wake(cluster_->node, cluster_->options.tick);
  }
}

void RuntimeImpl::cluster_tick() {
  auto& cluster = *cluster_->options.cluster;
  const std::string& node = cluster_->node;

  if (std::chrono::steady_clock::now() >= cluster_->next_heartbeat) {
    const auto now = clock_.now();
    const bool kept = cluster.heartbeat(node, now, now + cluster_->options.lease);
    cluster_->next_heartbeat = std::chrono::steady_clock::now() + cluster_->options.lease / 3;
    if (!kept) {
      // The lease lapsed: other nodes may be running some of these executions now. Nothing here
      // could commit for them anyway (fencing); drop everything and reload what is still ours.
      std::fprintf(stderr, "stepline cluster: %s lost its lease; reloading its executions\n",
                   node.c_str());
      std::vector<ExecutionPtr> held;
      {
        std::shared_lock lock(executions_mutex_);
        for (const auto& [arn, x] : executions_) {
          if (!x->express()) held.push_back(x);
        }
      }
      for (const auto& x : held) close_execution(x, false);
      recover();
    }
  }

  // Executions of dead nodes, a bounded batch per tick so heartbeats stay on time.
  for (const auto& arn : cluster.claim_orphans(node, clock_.now(), 256)) {
    workers_->post([this, arn] { resume(arn); });
  }

  // API calls other nodes forwarded to executions owned here: one job per execution posts its
  // entries in inbox order (an activity's start before its result).
  std::map<std::string, std::vector<store::InboxEntry>> by_execution;
  for (auto& entry : cluster.inbox(node, 512)) {
    std::lock_guard lock(cluster_->mutex);
    if (!cluster_->in_flight.insert(entry.seq).second) continue;
    by_execution[entry.execution_arn].push_back(std::move(entry));
  }
  for (auto& [arn, entries] : by_execution) {
    workers_->post([this, arn, entries = std::move(entries)]() mutable {
      if (!find(arn)) resume(arn);
      for (auto& entry : entries) deliver_entry(std::move(entry));
    });
  }

  // Pollers waiting here may find tasks that executions on other nodes queued: each tries the
  // store once per tick (claims are atomic, so the nodes never hand out one task twice).
  std::vector<std::pair<std::string, Poller>> pollers;
  {
    std::lock_guard lock(activities_mutex_);
    for (auto& [arn, queue] : activities_) {
      for (auto& p : queue.waiting) pollers.emplace_back(arn, std::move(p));
      queue.waiting.clear();
    }
  }
  for (auto& [arn, poller] : pollers) {
    poll_deadlines_->cancel(poller.deadline_id);
    workers_->post([this, arn, poller = std::move(poller)]() mutable {
      try_claim(arn, std::move(poller.worker), poller.deadline, std::move(poller.done));
    });
  }
}

void RuntimeImpl::deliver_entry(store::InboxEntry entry) {
  auto handled = [this, seq = entry.seq] {
    try {
      cluster_->options.cluster->remove_entry(seq);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "stepline cluster: inbox entry %lld: %s\n", seq, e.what());
    }
    std::lock_guard lock(cluster_->mutex);
    cluster_->in_flight.erase(seq);
  };
  const std::string token = string_at(entry.payload, "token");
  engine::Event event;
  Reply reply;
  if (entry.kind == "stop") {
    event.kind = engine::Event::Kind::Stop;
    event.error = {optional_at(entry.payload, "error"), optional_at(entry.payload, "cause")};
    reply = StopReply{entry.execution_arn, [handled](StopResult) { handled(); }};
  } else {
    if (entry.kind == "task_success") {
      event.kind = engine::Event::Kind::TaskCompleted;
      const auto* o = entry.payload.if_object();
      const auto* output = o ? o->if_contains("output") : nullptr;
      event.outcome = integrations::TaskOutcome::succeeded(output ? *output : json::Value(nullptr));
    } else if (entry.kind == "task_failure") {
      event.kind = engine::Event::Kind::TaskCompleted;
      event.outcome = integrations::TaskOutcome::failed(optional_at(entry.payload, "error"),
                                                        optional_at(entry.payload, "cause"));
    } else if (entry.kind == "task_heartbeat") {
      event.kind = engine::Event::Kind::Heartbeat;
    } else if (entry.kind == "activity_started") {
      event.kind = engine::Event::Kind::TaskStarted;
      event.worker = optional_at(entry.payload, "worker");
    } else {
      std::fprintf(stderr, "stepline cluster: inbox entry %lld of unknown kind '%s'\n", entry.seq,
                   entry.kind.c_str());
      return handled();
    }
    // Found by token as SendTask* calls are; a task that has ended meanwhile is answered
    // without a step, so a replayed entry changes nothing.
    reply = TokenReply{token, [handled](TokenStatus) { handled(); }};
  }
  post_event(entry.execution_arn, Inbound{std::move(event), std::move(reply)});
}

bool RuntimeImpl::claim_for_node(const std::string& arn) {
  try {
    return cluster_->options.cluster->claim_execution(arn, cluster_->node, clock_.now());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stepline cluster: claiming %s failed: %s\n", arn.c_str(), e.what());
    return false;
  }
}

bool RuntimeImpl::forward_to_owner(const std::string& arn, Inbound& inbound) {
  if (!cluster_ || stopping_) return false;
  if (find(arn)) return false;
  auto& cluster = *cluster_->options.cluster;
  const auto now = clock_.now();
  std::optional<store::Cluster::Owner> owner;
  try {
    owner = cluster.owner(arn, now);
    if (!owner) return false;  // closed or unknown: the caller answers from the store
    if (owner->node == cluster_->node || !owner->alive) {
      // Ours, or its owner is dead: run it here.
      if (!resume(arn)) return false;
      post_event(arn, std::move(inbound));
      return true;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stepline cluster: %s: %s\n", arn.c_str(), e.what());
    return false;
  }

  store::InboxEntry entry;
  entry.execution_arn = arn;
  json::Object payload;
  const engine::Event& event = inbound.event;
  if (std::holds_alternative<StopReply>(inbound.reply)) {
    entry.kind = "stop";
    put_optional(payload, "error", event.error.error);
    put_optional(payload, "cause", event.error.cause);
  } else if (const auto* claim = std::get_if<ClaimReply>(&inbound.reply)) {
    entry.kind = "activity_started";
    payload["token"] = claim->token;
    put_optional(payload, "worker", event.worker);
  } else if (const auto* token = std::get_if<TokenReply>(&inbound.reply)) {
    payload["token"] = token->token;
    if (event.kind == engine::Event::Kind::Heartbeat) {
      entry.kind = "task_heartbeat";
    } else if (event.outcome.kind == integrations::TaskOutcome::Kind::Succeeded) {
      entry.kind = "task_success";
      payload["output"] = event.outcome.output;
    } else {
      entry.kind = "task_failure";
      put_optional(payload, "error", event.outcome.error.error);
      put_optional(payload, "cause", event.outcome.error.cause);
    }
  } else {
    return false;  // internal events (timers, task outcomes) never leave their node
  }
  entry.payload = std::move(payload);
  long long seq = 0;
  try {
    seq = cluster.forward(entry, owner->node);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stepline cluster: forwarding to %s failed: %s\n", owner->node.c_str(),
                 e.what());
    return false;
  }
  if (auto* claim = std::get_if<ClaimReply>(&inbound.reply)) {
    // The worker may answer the task at once, maybe on the owner itself: it learns the token only
    // once the owner has recorded ActivityStarted (or after a lease, when the owner may be dead
    // and the node taking over reads the entry first). The wait blocks a dispatch thread.
    const auto give_up = std::chrono::steady_clock::now() + cluster_->options.lease;
    dispatchers_->post([this, seq, give_up, reply = std::move(*claim)]() mutable {
      try {
        while (!cluster_->stopping && std::chrono::steady_clock::now() < give_up &&
               cluster_->options.cluster->in_inbox(seq)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "stepline cluster: %s\n", e.what());
      }
      reply.done(ActivityTask{reply.token, reply.input});
    });
    return true;
  }
  // Written durably: the owner (or whoever takes the execution over) will run it.
  std::visit(
      [&](auto& reply) {
        using T = std::decay_t<decltype(reply)>;
        if constexpr (std::is_same_v<T, TokenReply>) {
          reply.done(TokenStatus::Accepted);
        } else if constexpr (std::is_same_v<T, StopReply>) {
          reply.done(StopResult{StopResult::Status::Stopped, now});
        }
      },
      inbound.reply);
  return true;
}

}  // namespace stepline::runtime
