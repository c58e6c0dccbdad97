#include "observability/execution_metrics.hpp"

#include <string_view>

namespace stepline::observability {

namespace {

const char* type_label(bool express) {
  return express ? "EXPRESS" : "STANDARD";
}

double seconds(std::chrono::microseconds duration) {
  return static_cast<double>(duration.count()) / 1e6;
}

}  // namespace

std::string state_machine_label(const std::string& arn) {
  constexpr std::string_view kMarker = ":stateMachine:";
  const auto at = arn.find(kMarker);
  return at == std::string::npos ? arn : arn.substr(at + kMarker.size());
}

std::string integration_label(const std::string& resource) {
  if (resource.find(":activity:") != std::string::npos) return "activity";
  if (resource.find(":lambda:") != std::string::npos &&
      resource.find(":function:") != std::string::npos)
    return "lambda";
  constexpr std::string_view kIntegration = "arn:aws:states:::";
  if (resource.rfind(kIntegration, 0) == 0) {
    const auto rest = std::string_view(resource).substr(kIntegration.size());
    return std::string(rest.substr(0, rest.find(':')));
  }
  return "other";
}

ExecutionMetrics::ExecutionMetrics(MetricsRegistry& registry)
    : started_(registry.counter("stepline_executions_started_total",
                                "Executions started, by state machine and type.",
                                {"state_machine", "type"})),
      closed_(registry.counter("stepline_executions_closed_total",
                               "Executions ended, by state machine, type and status (SUCCEEDED, "
                               "FAILED, TIMED_OUT, ABORTED).",
                               {"state_machine", "type", "status"})),
      running_(registry.gauge("stepline_executions_running",
                              "Executions started and not yet ended by this process.",
                              {"state_machine", "type"})),
      duration_(registry.histogram(
          "stepline_execution_duration_seconds", "Time from start to end of ended executions.",
          {"state_machine", "type"},
          {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 86400})),
      transitions_(registry.counter("stepline_state_transitions_total",
                                    "State transitions, by state machine.", {"state_machine"})),
      tasks_(registry.counter("stepline_task_events_total",
                              "Task and activity events (dispatched, succeeded, failed, "
                              "timed_out), by integration and resource.",
                              {"integration", "resource", "event"})),
      commit_latency_(registry.histogram("stepline_store_commit_seconds",
                                         "Latency of one store group commit.", {},
                                         latency_buckets())),
      commit_steps_(registry.histogram("stepline_store_commit_batch_steps",
                                       "Execution steps carried by one store group commit.", {},
                                       {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024})) {}

ExecutionMetrics::MachineSeries& ExecutionMetrics::machine(const std::string& state_machine_arn,
                                                           bool express) {
  auto& machines = machines_[express ? 1 : 0];
  auto it = machines.find(state_machine_arn);
  if (it == machines.end()) {
    it = machines.emplace(state_machine_arn, MachineSeries{}).first;
    it->second.label = state_machine_label(state_machine_arn);
  }
  return it->second;
}

void ExecutionMetrics::execution_started(const std::string& state_machine_arn, bool express) {
  const std::lock_guard lock(mutex_);
  MachineSeries& m = machine(state_machine_arn, express);
  if (!m.started) {
    const LabelValues labels{m.label, type_label(express)};
    m.started = started_.handle(labels);
    m.running = running_.handle(labels);
  }
  started_.inc_series(m.started);
  running_.add_series(m.running, 1);
}

void ExecutionMetrics::execution_closed(const std::string& state_machine_arn, bool express,
                                        const std::string& status,
                                        std::chrono::microseconds duration) {
  const std::lock_guard lock(mutex_);
  MachineSeries& m = machine(state_machine_arn, express);
  auto closed = m.closed.find(status);
  if (closed == m.closed.end())
    closed = m.closed.emplace(status, closed_.handle({m.label, type_label(express), status})).first;
  if (!m.running) m.running = running_.handle({m.label, type_label(express)});
  if (!m.duration) m.duration = duration_.handle({m.label, type_label(express)});
  closed_.inc_series(closed->second);
  running_.add_series(m.running, -1);
  duration_.observe_series(m.duration, seconds(duration));
}

void ExecutionMetrics::state_transitions(const std::string& state_machine_arn, long long count) {
  if (count <= 0) return;
  const std::lock_guard lock(mutex_);
  // The family has no type label: either entry's handle names the same series.
  MachineSeries& m = machine(state_machine_arn, false);
  if (!m.transitions) m.transitions = transitions_.handle({m.label});
  transitions_.inc_series(m.transitions, static_cast<double>(count));
}

void ExecutionMetrics::task_event(const std::string& resource, const char* kind) {
  tasks_.inc({integration_label(resource), resource, kind ? kind : "unknown"});
}

void ExecutionMetrics::store_commit(std::size_t steps, std::chrono::microseconds latency) {
  commit_latency_.observe({}, seconds(latency));
  commit_steps_.observe({}, static_cast<double>(steps));
}

}  // namespace stepline::observability
