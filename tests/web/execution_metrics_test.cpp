#include "observability/execution_metrics.hpp"
#include "observability/http_metrics.hpp"

#include <gtest/gtest.h>

namespace stepline::observability {
namespace {

const std::string kMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:orders";

TEST(ExecutionMetrics, CountsExecutionsByOutcomeAndTracksRunning) {
  MetricsRegistry registry;
  ExecutionMetrics metrics(registry);
  metrics.execution_started(kMachine, false);
  metrics.execution_started(kMachine, false);
  metrics.execution_started(kMachine, true);
  metrics.execution_closed(kMachine, false, "SUCCEEDED", std::chrono::milliseconds(250));
  metrics.execution_closed(kMachine, true, "FAILED", std::chrono::seconds(2));
  metrics.state_transitions(kMachine, 5);
  metrics.state_transitions(kMachine, 0);

  EXPECT_EQ(registry.counter("stepline_executions_started_total", "", {"state_machine", "type"})
                .value({"orders", "STANDARD"}),
            2);
  auto& closed =
      registry.counter("stepline_executions_closed_total", "", {"state_machine", "type", "status"});
  EXPECT_EQ(closed.value({"orders", "STANDARD", "SUCCEEDED"}), 1);
  EXPECT_EQ(closed.value({"orders", "EXPRESS", "FAILED"}), 1);
  auto& running = registry.gauge("stepline_executions_running", "", {"state_machine", "type"});
  EXPECT_EQ(running.value({"orders", "STANDARD"}), 1);
  EXPECT_EQ(running.value({"orders", "EXPRESS"}), 0);
  auto& duration =
      registry.histogram("stepline_execution_duration_seconds", "", {"state_machine", "type"}, {});
  EXPECT_EQ(duration.count({"orders", "STANDARD"}), 1u);
  EXPECT_DOUBLE_EQ(duration.sum({"orders", "STANDARD"}), 0.25);
  EXPECT_EQ(
      registry.counter("stepline_state_transitions_total", "", {"state_machine"}).value({"orders"}),
      5);
}

TEST(ExecutionMetrics, TaskEventsAndStoreCommits) {
  MetricsRegistry registry;
  ExecutionMetrics metrics(registry);
  const std::string activity = "arn:aws:states:us-east-1:123456789012:activity:review";
  metrics.task_event(activity, "dispatched");
  metrics.task_event(activity, "succeeded");
  metrics.task_event("arn:aws:states:::lambda:invoke", "failed");
  metrics.store_commit(3, std::chrono::microseconds(1500));
  auto& tasks =
      registry.counter("stepline_task_events_total", "", {"integration", "resource", "event"});
  EXPECT_EQ(tasks.value({"activity", activity, "dispatched"}), 1);
  EXPECT_EQ(tasks.value({"lambda", "arn:aws:states:::lambda:invoke", "failed"}), 1);
  EXPECT_EQ(registry.histogram("stepline_store_commit_batch_steps", "", {}, {}).sum({}), 3);
  EXPECT_DOUBLE_EQ(registry.histogram("stepline_store_commit_seconds", "", {}, {}).sum({}), 0.0015);
}

TEST(ExecutionMetrics, Labels) {
  EXPECT_EQ(state_machine_label(kMachine), "orders");
  EXPECT_EQ(state_machine_label(kMachine + ":3"), "orders:3");
  EXPECT_EQ(state_machine_label("not an arn"), "not an arn");
  EXPECT_EQ(integration_label("arn:aws:lambda:us-east-1:123456789012:function:f"), "lambda");
  EXPECT_EQ(integration_label("arn:aws:states:::sqs:sendMessage.waitForTaskToken"), "sqs");
  EXPECT_EQ(integration_label("arn:aws:states:::http:invoke"), "http");
  EXPECT_EQ(integration_label("something"), "other");
}

TEST(HttpMetrics, OperationLabelsAreBounded) {
  MetricsRegistry registry;
  HttpMetrics http(registry);
  EXPECT_EQ(http.operation_label("POST", "/", "AWSStepFunctions.StartExecution"), "StartExecution");
  EXPECT_EQ(http.operation_label("GET", "/metrics", ""), "GET /metrics");
  EXPECT_EQ(http.operation_label("GET", "/assets/x.js", ""), "GET console");
  EXPECT_EQ(http.operation_label("POST", "/", ""), "unknown");
  EXPECT_EQ(http.operation_label("POST", "/", "AWSStepFunctions.{bad}"), "unknown");
  for (int i = 0; i < 200; ++i)
    http.operation_label("POST", "/", "AWSStepFunctions.Op" + std::to_string(i));
  EXPECT_EQ(http.operation_label("POST", "/", "AWSStepFunctions.Op199"), "other");
  EXPECT_EQ(http.operation_label("POST", "/", "AWSStepFunctions.StartExecution"), "StartExecution");
  http.record("StartExecution", 200, std::chrono::milliseconds(3));
  EXPECT_EQ(registry.counter("stepline_http_requests_total", "", {"operation", "code"})
                .value({"StartExecution", "200"}),
            1);
}

}  // namespace
}  // namespace stepline::observability
