#include "observability/http_metrics.hpp"

#include <algorithm>
#include <cctype>

namespace stepline::observability {

namespace {

constexpr std::size_t kMaxOperations = 128;  // the model has 37; room for typos, not for abuse

bool is_identifier(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

HttpMetrics::HttpMetrics(MetricsRegistry& registry)
    : requests_(registry.counter("stepline_http_requests_total",
                                 "HTTP requests answered, by operation and status code.",
                                 {"operation", "code"})),
      latency_(registry.histogram("stepline_http_request_duration_seconds",
                                  "Time from a request's arrival to its response, by operation.",
                                  {"operation"}, latency_buckets())) {}

void HttpMetrics::record(std::string_view operation, int status,
                         std::chrono::steady_clock::duration latency) {
  CounterFamily::Handle requests = nullptr;
  HistogramFamily::Handle latencies = nullptr;
  {
    const std::lock_guard lock(mutex_);
    auto it = series_.find(operation);
    if (it == series_.end()) {
      it = series_.emplace(std::string(operation), OperationSeries{}).first;
      it->second.latency = latency_.handle({it->first});
    }
    OperationSeries& s = it->second;
    for (const auto& [code, handle] : s.by_status)
      if (code == status) requests = handle;
    if (!requests) {
      requests = requests_.handle({it->first, std::to_string(status)});
      s.by_status.emplace_back(status, requests);
    }
    latencies = s.latency;
  }
  requests_.inc_series(requests);
  latency_.observe_series(latencies, std::chrono::duration<double>(latency).count());
}

std::string HttpMetrics::operation_label(std::string_view method, std::string_view path,
                                         std::string_view amz_target) {
  if (method == "GET" || method == "HEAD")
    return path == "/metrics" ? "GET /metrics" : "GET console";
  const auto dot = amz_target.find('.');
  const std::string_view name =
      dot == std::string_view::npos ? std::string_view() : amz_target.substr(dot + 1);
  if (!is_identifier(name)) return "unknown";
  const std::lock_guard lock(mutex_);
  if (seen_.contains(name)) return std::string(name);
  if (seen_.size() >= kMaxOperations) return "other";
  seen_.emplace(name);
  return std::string(name);
}

}  // namespace stepline::observability
