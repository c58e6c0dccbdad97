// A thread-safe Prometheus registry: counter, gauge and histogram families with labels, and their
// text exposition (format 0.0.4) for GET /metrics. Series are created on first use; updates take
// one short per-family lock, cheap enough for every transition and HTTP request.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace stepline::observability {

// Label values in the order of the family's label names.
using LabelValues = std::vector<std::string>;

class MetricFamily {
 public:
  MetricFamily(std::string name, std::string help, std::vector<std::string> label_names);
  virtual ~MetricFamily() = default;
  const std::string& name() const { return name_; }
  // Appends this family's HELP, TYPE and series lines.
  virtual void expose(std::string& out) const = 0;

 protected:
  std::string series_name(const std::string& suffix, const LabelValues& values,
                          const std::string& extra_label = {},
                          const std::string& extra_value = {}) const;
  std::string header(const char* type) const;
  void check_arity(const LabelValues& values) const;

  std::string name_;
  std::string help_;
  std::vector<std::string> label_names_;
  mutable std::mutex mutex_;
};

class CounterFamily : public MetricFamily {
 public:
  using MetricFamily::MetricFamily;
  void inc(const LabelValues& values, double by = 1);  // `by` < 0 is ignored: counters only rise
  // A series to update again without building its labels (created at 0): valid as long as the
  // family, for the hot paths that know their labels once (per state machine, per operation).
  using Handle = double*;
  Handle handle(const LabelValues& values);
  void inc_series(Handle series, double by = 1);  // named apart: inc({}) means no labels
  double value(const LabelValues& values) const;  // 0 for a series never touched
  void expose(std::string& out) const override;

 private:
  std::map<LabelValues, double> series_;
};

class GaugeFamily : public MetricFamily {
 public:
  using MetricFamily::MetricFamily;
  void set(const LabelValues& values, double value);
  void add(const LabelValues& values, double by);
  using Handle = double*;  // as CounterFamily::Handle
  Handle handle(const LabelValues& values);
  void add_series(Handle series, double by);
  double value(const LabelValues& values) const;
  void expose(std::string& out) const override;

 private:
  std::map<LabelValues, double> series_;
};

class HistogramFamily : public MetricFamily {
 public:
  // `bounds`: the upper bounds of the buckets, ascending (+Inf is implied).
  HistogramFamily(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> bounds);
  void observe(const LabelValues& values, double value);
  std::uint64_t count(const LabelValues& values) const;
  double sum(const LabelValues& values) const;
  void expose(std::string& out) const override;

  struct Series {
    std::vector<std::uint64_t> buckets;  // not cumulative; the exposition sums them
    std::uint64_t count = 0;
    double sum = 0;
  };
  using Handle = Series*;  // as CounterFamily::Handle
  Handle handle(const LabelValues& values);
  void observe_series(Handle series, double value);

 private:
  void observe_locked(Series& series, double value);
  std::vector<double> bounds_;
  std::map<LabelValues, Series> series_;
};

class MetricsRegistry {
 public:
  // Registering a name twice returns the first family (std::logic_error when its type differs):
  // subsystems can ask for the metrics they feed without coordinating.
  CounterFamily& counter(const std::string& name, const std::string& help,
                         std::vector<std::string> label_names = {});
  GaugeFamily& gauge(const std::string& name, const std::string& help,
                     std::vector<std::string> label_names = {});
  HistogramFamily& histogram(const std::string& name, const std::string& help,
                             std::vector<std::string> label_names, std::vector<double> bounds);

  // Every family, in registration order, in the Prometheus text format.
  std::string exposition() const;

 private:
  template <typename Family, typename... Args>
  Family& family(const std::string& name, Args&&... args);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<MetricFamily>> families_;
};

// The registry of this process: what `stepline serve` exposes on /metrics.
MetricsRegistry& default_registry();

// Bucket bounds in seconds from 0.5 ms to 60 s, for latencies and durations.
std::vector<double> latency_buckets();

// The content type of the exposition.
inline constexpr const char* kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace stepline::observability
