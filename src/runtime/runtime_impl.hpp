// The Runtime behind make_runtime: executions in memory, stepped one event at a time each on a
// worker pool, every step group-committed before its effects. Internal to src/runtime; the
// pieces live in runtime_impl.cpp (start/stop/shutdown), execution_step.cpp (stepping and
// effects), activities.cpp (tasks, tokens, long polls) and recovery.cpp.
#pragma once

#include "common/arns.hpp"
#include "common/work_pool.hpp"
#include "engine/iteration_helpers.hpp"
#include "integrations/mock/mock_config.hpp"
#include "runtime/cluster_node.hpp"
#include "runtime/committer.hpp"
#include "runtime/execution.hpp"
#include "runtime/execution_log.hpp"
#include "runtime/machine_cache.hpp"
#include "runtime/nested_executions.hpp"
#include "runtime/runtime.hpp"
#include "runtime/timer_service.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace stepline::runtime {

class RuntimeImpl final : public Runtime {
 public:
  explicit RuntimeImpl(const RuntimeOptions& options);
  ~RuntimeImpl() override;

  void recover() override;
  void start(StartRequest request, std::function<void(StartResult)> done) override;
  void start_sync(StartRequest request, std::function<void(SyncResult)> done) override;
  void stop(const std::string& execution_arn, StatesError reason,
            std::function<void(StopResult)> done) override;
  void send_task_success(const std::string& token, std::string output_text,
                         std::function<void(TokenStatus)> done) override;
  void send_task_failure(const std::string& token, StatesError error,
                         std::function<void(TokenStatus)> done) override;
  void send_task_heartbeat(const std::string& token,
                           std::function<void(TokenStatus)> done) override;
  void get_activity_task(const std::string& activity_arn, std::optional<std::string> worker_name,
                         std::function<void(std::optional<ActivityTask>)> done) override;
  void shutdown() override;

 private:
  using ExecutionPtr = std::shared_ptr<Execution>;

  // ---- runtime_impl.cpp ----
  // `parent`: a `.sync` child, which reports its close to that Task.
  void start_now(StartRequest request, std::function<void(StartResult)> done,
                 std::function<void(SyncResult)> sync_done,
                 std::optional<NestedParent> parent = std::nullopt);
  ExecutionPtr find(const std::string& arn);
  // Queues an event for the execution; false when it is not running in memory.
  bool post_event(const std::string& arn, Inbound inbound);
  bool post_event(const ExecutionPtr& x, Inbound inbound);
  // An inbound event that cannot be delivered (its execution closed) hears so.
  void answer_closed(Inbound inbound);
  void ensure_revision(const MachineRef& machine);
  // Takes the execution out of memory; `report`: it has ended (observer, StartSync answer).
  void close_execution(const ExecutionPtr& x, bool report = true);
  // StopExecution of an execution not running here: NotFound or NotRunning from the store.
  void stop_stored(const std::string& execution_arn, std::function<void(StopResult)> done,
                   bool on_worker);
  SyncResult sync_result(const Execution& x) const;

  // ---- execution_step.cpp ----
  void drain(ExecutionPtr x);
  void continue_drain(const ExecutionPtr& x);
  // Steps the event and commits the step; then `after` runs the effects.
  void process(const ExecutionPtr& x, Inbound inbound);
  struct PlannedStep;
  PlannedStep plan(const ExecutionPtr& x, engine::Step step, const engine::Event& event);
  void after_commit(const ExecutionPtr& x, PlannedStep planned, Reply reply,
                    store::CommitStatus status);
  store::ExecutionStep to_store_step(const Execution& x, PlannedStep& planned);
  json::Object summary_attributes(const Execution& x, const engine::Frame* closed) const;
  void arm_timer(const ExecutionPtr& x, const store::TimerRecord& timer);

  // ---- activities.cpp ----
  void dispatch(const ExecutionPtr& x, long long effect_id, const OpenTask& task,
                integrations::TaskRequest request);
  void activity_queued(const std::string& activity_arn);
  // The interpreter's check that a Task's activity exists (a deleted one fails the execution).
  engine::Interpreter::ActivityCheck activity_check();
  // Claims the activity's oldest queued task for the poller on a claim thread (claim_now).
  void try_claim(std::string activity_arn, std::optional<std::string> worker,
                 std::chrono::steady_clock::time_point deadline,
                 std::function<void(std::optional<ActivityTask>)> done);
  void claim_now(std::string activity_arn, std::optional<std::string> worker,
                 std::chrono::steady_clock::time_point deadline,
                 std::function<void(std::optional<ActivityTask>)> done);
  void wait_for_task(const std::string& activity_arn, std::optional<std::string> worker,
                     std::chrono::steady_clock::time_point deadline,
                     std::function<void(std::optional<ActivityTask>)> done);
  void poll_expired(const std::string& activity_arn, long long poller_id);
  void token_event(const std::string& token, engine::Event event,
                   std::function<void(TokenStatus)> done);
  // A SendTask* answer for a callback task whose invocation is still out waits for it (true).
  bool park_callback_answer(const ExecutionPtr& x, const std::string& token, Inbound& inbound);
  void release_callback_answers(const ExecutionPtr& x, const std::string& token);

  // ---- nested_dispatch.cpp ----
  // Takes a `states:startExecution` Task (unless mocked); false for any other Task.
  bool dispatch_nested(const ExecutionPtr& x, long long effect_id, const OpenTask& task,
                       integrations::TaskRequest& request);
  void start_nested(const NestedParent& parent, bool submitted_before,
                    const std::string& parent_token, const integrations::TaskRequest& request);
  struct NestedStartContext;
  void nested_started(const NestedStartContext& context, const StartResult& started);
  // The execution closed: its waiting parent hears, its `.sync` children stop if it was
  // stopped or timed out.
  void nested_closed(const ExecutionPtr& x);
  void post_task_outcome(const NestedParent& parent, integrations::TaskOutcome outcome);

  // ---- recovery.cpp ----
  // Loads a RUNNING execution from the durable store into memory; false when it is not there
  // or cannot run (logged). An evicted execution comes back as it left (its timers are still
  // armed, its tasks still out) and then steps the events that arrived meanwhile.
  bool resume(const std::string& arn);
  // The execution as its record says (interpreter, frame, version); null when it cannot run.
  std::shared_ptr<Execution> load_execution_state(const store::ExecutionRecord& record);
  // An evicted execution's waits as they stand: timers still armed, tasks still out.
  void restore_waits(const ExecutionPtr& x, const std::vector<store::TimerRecord>& timers,
                     const std::vector<store::TaskRecord>& tasks);
  // After a restart or a takeover: timers armed again, tasks queued or dispatched again.
  void resume_waits(const ExecutionPtr& x, const std::vector<store::TimerRecord>& timers,
                    const std::vector<store::TaskRecord>& tasks);

  // ---- idle_eviction.cpp ----
  // The sweeper's thread: past `max_idle_in_memory` executions in memory, evicts those that were
  // idle at the same version on two sweeps in a row.
  void sweep_loop();
  void sweep_idle();
  void try_evict(const ExecutionPtr& x);
  // Queues the event for an evicted execution (scheduling its reload); when it is in memory
  // after all, posts it there. False (inbound untouched): neither here nor evicted.
  bool deliver_to_evicted(const std::string& arn, Inbound& inbound);
  // The evicted execution cannot come back here (closed, owned elsewhere): forget its stub.
  void drop_evicted(const std::string& arn);

  // ---- cluster_runtime.cpp: a node of a cluster (inert when cluster_ is null) ----
 public:
  // Joins the cluster: registers the node's lease and starts the thread that renews it, takes
  // over the executions of dead nodes and reads this node's inbox. Call before recover().
  void join_cluster(const ClusterOptions& options);

 private:
  // `inbound` is for an execution that may not be in memory here. When a live other node owns
  // it, the event goes to that execution's inbox and its reply is answered here; when its owner
  // is dead, this node takes it over and posts the event. Either way the result is true. False
  // (outside a cluster, already here, closed): the caller carries on as it would on one node.
  bool forward_to_owner(const std::string& arn, Inbound& inbound);
  // True when this node owns the RUNNING execution now (it did, or took it from a dead node).
  bool claim_for_node(const std::string& arn);
  void leave_cluster();
  void cluster_loop();
  void cluster_tick();
  void deliver_entry(store::InboxEntry entry);
  struct ClusterState;
  std::shared_ptr<ClusterState> cluster_;  // shared: its deleter is bound where it is complete

  RuntimeOptions options_;
  store::Store& durable_;
  Clock& clock_;
  IdSource& ids_;
  arns::Location location_;
  std::optional<integrations::mock::MockConfig> mock_config_;
  std::string mock_config_error_;
  MachineCache machines_;
  ExecutionLog log_;

  std::shared_mutex executions_mutex_;
  std::unordered_map<std::string, ExecutionPtr> executions_;
  // What is left in memory of an evicted execution (its timers stay in `timers_`; its tasks'
  // tokens name it). Guarded by executions_mutex_; an ARN is in at most one of the two maps.
  struct Evicted {
    store::Version version = 0;            // of its last committed step
    std::unique_ptr<NestedParent> parent;  // a `.sync` child started here
    std::vector<Inbound> pending;          // arrived while evicted, stepped once reloaded
    bool reloading = false;
  };
  std::unordered_map<std::string, Evicted> evicted_;
  std::mutex sweep_mutex_;
  std::condition_variable sweep_wake_;
  bool sweep_stopping_ = false;
  std::atomic<std::size_t> open_standard_{0};
  std::mutex revisions_mutex_;
  std::set<std::string> known_revisions_;

  struct Poller {
    long long id = 0;
    std::optional<std::string> worker;
    std::chrono::steady_clock::time_point deadline;
    long long deadline_id = 0;
    std::function<void(std::optional<ActivityTask>)> done;
  };
  struct ActivityQueue {
    std::deque<Poller> waiting;
    long long unclaimed = 0;  // tasks queued in the store that no poller has tried yet
  };
  std::mutex activities_mutex_;
  std::map<std::string, ActivityQueue> activities_;
  long long next_poller_ = 1;

  NestedLinks nested_;

  std::atomic<bool> stopping_{false};
  std::once_flag shutdown_once_;
  // Used by the workers' steps: destroyed after them.
  std::unique_ptr<engine::HelperThreads> map_helpers_;
  // Threads last: they stop (in shutdown) before anything above is destroyed.
  std::unique_ptr<WorkPool> workers_;
  std::unique_ptr<WorkPool> dispatchers_;
  // Activity claims, each waiting for the group commit that records it: as many in flight as
  // threads, all in the same commit.
  std::unique_ptr<WorkPool> claimers_;
  std::unique_ptr<Committer> committer_;
  std::unique_ptr<TimerService> timers_;
  std::unique_ptr<SteadyDeadlines> poll_deadlines_;
  std::thread sweeper_;
};

}  // namespace stepline::runtime
