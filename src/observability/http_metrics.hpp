// HTTP request counts and latency per API operation, for the server: the operation is the
// X-Amz-Target's name (AWSStepFunctions.StartExecution -> StartExecution) or the GET route.
#pragma once

#include "observability/metrics_registry.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stepline::observability {

class HttpMetrics {
 public:
  explicit HttpMetrics(MetricsRegistry& registry = default_registry());

  void record(std::string_view operation, int status, std::chrono::steady_clock::duration latency);

  // The operation label of a request: the X-Amz-Target's operation name, "GET /metrics",
  // "GET console", or "unknown". Names that are not plain identifiers are "unknown", and past
  // a bound on distinct names everything new is "other", so clients cannot grow the registry.
  std::string operation_label(std::string_view method, std::string_view path,
                              std::string_view amz_target);

 private:
  // One operation label's series (found without building label vectors on every request).
  struct OperationSeries {
    HistogramFamily::Handle latency = nullptr;
    std::vector<std::pair<int, CounterFamily::Handle>> by_status;
  };

  CounterFamily& requests_;
  HistogramFamily& latency_;
  std::mutex mutex_;
  std::set<std::string, std::less<>> seen_;
  std::map<std::string, OperationSeries, std::less<>> series_;  // under mutex_
};

}  // namespace stepline::observability
