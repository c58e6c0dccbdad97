// The runtime's metrics: a runtime::ExecutionObserver that counts executions by state machine and
// outcome, times them, counts transitions and task events, and records store group commits.
// Hand one to RuntimeOptions::observer; it feeds the registry /metrics exposes.
#pragma once

#include "observability/metrics_registry.hpp"
#include "runtime/runtime.hpp"

#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace stepline::observability {

class ExecutionMetrics : public runtime::ExecutionObserver {
 public:
  explicit ExecutionMetrics(MetricsRegistry& registry = default_registry());

  void execution_started(const std::string& state_machine_arn, bool express) override;
  void execution_closed(const std::string& state_machine_arn, bool express,
                        const std::string& status, std::chrono::microseconds duration) override;
  void state_transitions(const std::string& state_machine_arn, long long count) override;
  void task_event(const std::string& resource, const char* kind) override;
  void store_commit(std::size_t steps, std::chrono::microseconds latency) override;

 private:
  // One state machine's (and type's) series, found by ARN without building label vectors: the
  // runtime reports every execution's start, transitions and close.
  struct MachineSeries {
    std::string label;  // state_machine_label(arn)
    CounterFamily::Handle started = nullptr;
    GaugeFamily::Handle running = nullptr;
    HistogramFamily::Handle duration = nullptr;
    CounterFamily::Handle transitions = nullptr;
    std::map<std::string, CounterFamily::Handle, std::less<>> closed;  // by status
  };
  // Under `mutex_`; the entry stays where it is (a node of the map).
  MachineSeries& machine(const std::string& state_machine_arn, bool express);

  std::mutex mutex_;
  std::unordered_map<std::string, MachineSeries> machines_[2];  // [express]
  CounterFamily& started_;
  CounterFamily& closed_;
  GaugeFamily& running_;
  HistogramFamily& duration_;
  CounterFamily& transitions_;
  CounterFamily& tasks_;
  HistogramFamily& commit_latency_;
  HistogramFamily& commit_steps_;
};

// The label a state machine ARN is counted under: its name (versions and aliases included, as
// `name:1`), or the whole text when it is not a state machine ARN.
std::string state_machine_label(const std::string& arn);
// What kind of integration a Task resource is: activity, lambda, or the service of an
// `arn:aws:states:::<service>:...` integration; "other" for anything else.
std::string integration_label(const std::string& resource);

}  // namespace stepline::observability
