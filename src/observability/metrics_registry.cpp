#include "observability/metrics_registry.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace stepline::observability {

namespace {

std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15)
    return fmt::format("{}", static_cast<long long>(value));
  return fmt::format("{}", value);
}

void escape_into(std::string& out, const std::string& text, bool quote_too) {
  for (const char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote_too)
      out += "\\\"";
    else
      out.push_back(c);
  }
}

}  // namespace

MetricFamily::MetricFamily(std::string name, std::string help, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

std::string MetricFamily::series_name(const std::string& suffix, const LabelValues& values,
                                      const std::string& extra_label,
                                      const std::string& extra_value) const {
  std::string out = name_ + suffix;
  if (label_names_.empty() && extra_label.empty()) return out;
  out.push_back('{');
  bool first = true;
  auto add = [&](const std::string& label, const std::string& value) {
    if (!first) out.push_back(',');
    first = false;
    out += label + "=\"";
    escape_into(out, value, true);
    out.push_back('"');
  };
  for (std::size_t i = 0; i < label_names_.size(); ++i) add(label_names_[i], values[i]);
  if (!extra_label.empty()) add(extra_label, extra_value);
  out.push_back('}');
  return out;
}

std::string MetricFamily::header(const char* type) const {
  std::string out = "# HELP " + name_ + " ";
  escape_into(out, help_, false);
  out += "\n# TYPE " + name_ + " " + type + "\n";
  return out;
}

void MetricFamily::check_arity(const LabelValues& values) const {
  if (values.size() != label_names_.size())
    throw std::logic_error("metric " + name_ + " takes " + std::to_string(label_names_.size()) +
                           " label values");
}

void CounterFamily::inc(const LabelValues& values, double by) {
  check_arity(values);
  if (!(by >= 0)) return;
  const std::lock_guard lock(mutex_);
  series_[values] += by;
}

CounterFamily::Handle CounterFamily::handle(const LabelValues& values) {
  check_arity(values);
  const std::lock_guard lock(mutex_);
  return &series_[values];  // map nodes never move and are never erased
}

void CounterFamily::inc_series(Handle series, double by) {
  if (!(by >= 0)) return;
  const std::lock_guard lock(mutex_);
  *series += by;
}

double CounterFamily::value(const LabelValues& values) const {
  const std::lock_guard lock(mutex_);
  const auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second;
}

void CounterFamily::expose(std::string& out) const {
  out += header("counter");
  const std::lock_guard lock(mutex_);
  for (const auto& [values, value] : series_)
    out += series_name("", values) + " " + format_number(value) + "\n";
}

void GaugeFamily::set(const LabelValues& values, double value) {
  check_arity(values);
  const std::lock_guard lock(mutex_);
  series_[values] = value;
}

void GaugeFamily::add(const LabelValues& values, double by) {
  check_arity(values);
  const std::lock_guard lock(mutex_);
  series_[values] += by;
}

GaugeFamily::Handle GaugeFamily::handle(const LabelValues& values) {
  check_arity(values);
  const std::lock_guard lock(mutex_);
  return &series_[values];
}

void GaugeFamily::add_series(Handle series, double by) {
  const std::lock_guard lock(mutex_);
  *series += by;
}

double GaugeFamily::value(const LabelValues& values) const {
  const std::lock_guard lock(mutex_);
  const auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second;
}

void GaugeFamily::expose(std::string& out) const {
  out += header("gauge");
  const std::lock_guard lock(mutex_);
  for (const auto& [values, value] : series_)
    out += series_name("", values) + " " + format_number(value) + "\n";
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> label_names, std::vector<double> bounds)
    : MetricFamily(std::move(name), std::move(help), std::move(label_names)),
      bounds_(std::move(bounds)) {
  for (std::size_t i = 1; i < bounds_.size(); ++i)
    if (!(bounds_[i - 1] < bounds_[i]))
      throw std::logic_error("histogram " + name_ + ": bucket bounds must ascend");
}

void HistogramFamily::observe(const LabelValues& values, double value) {
  check_arity(values);
  if (std::isnan(value)) return;
  const std::lock_guard lock(mutex_);
  observe_locked(series_[values], value);
}

HistogramFamily::Handle HistogramFamily::handle(const LabelValues& values) {
  check_arity(values);
  const std::lock_guard lock(mutex_);
  Series& series = series_[values];
  if (series.buckets.empty()) series.buckets.assign(bounds_.size(), 0);
  return &series;
}

void HistogramFamily::observe_series(Handle series, double value) {
  if (std::isnan(value)) return;
  const std::lock_guard lock(mutex_);
  observe_locked(*series, value);
}

void HistogramFamily::observe_locked(Series& series, double value) {
  if (series.buckets.empty()) series.buckets.assign(bounds_.size(), 0);
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) {
      ++series.buckets[i];
      break;
    }
  }
  ++series.count;
  series.sum += value;
}

std::uint64_t HistogramFamily::count(const LabelValues& values) const {
  const std::lock_guard lock(mutex_);
  const auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second.count;
}

double HistogramFamily::sum(const LabelValues& values) const {
  const std::lock_guard lock(mutex_);
  const auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second.sum;
}

void HistogramFamily::expose(std::string& out) const {
  out += header("histogram");
  const std::lock_guard lock(mutex_);
  for (const auto& [values, series] : series_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += series.buckets[i];
      out += series_name("_bucket", values, "le", format_number(bounds_[i])) + " " +
             std::to_string(cumulative) + "\n";
    }
    out += series_name("_bucket", values, "le", "+Inf") + " " + std::to_string(series.count) + "\n";
    out += series_name("_sum", values) + " " + format_number(series.sum) + "\n";
    out += series_name("_count", values) + " " + std::to_string(series.count) + "\n";
  }
}

template <typename Family, typename... Args>
Family& MetricsRegistry::family(const std::string& name, Args&&... args) {
  const std::lock_guard lock(mutex_);
  for (const auto& existing : families_) {
    if (existing->name() != name) continue;
    auto* typed = dynamic_cast<Family*>(existing.get());
    if (!typed) throw std::logic_error("metric " + name + " is registered with another type");
    return *typed;
  }
  auto created = std::make_unique<Family>(name, std::forward<Args>(args)...);
  Family& out = *created;
  families_.push_back(std::move(created));
  return out;
}

CounterFamily& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                        std::vector<std::string> label_names) {
  return family<CounterFamily>(name, help, std::move(label_names));
}

GaugeFamily& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                                    std::vector<std::string> label_names) {
  return family<GaugeFamily>(name, help, std::move(label_names));
}

HistogramFamily& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                            std::vector<std::string> label_names,
                                            std::vector<double> bounds) {
  return family<HistogramFamily>(name, help, std::move(label_names), std::move(bounds));
}

std::string MetricsRegistry::exposition() const {
  std::vector<const MetricFamily*> families;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& family : families_) families.push_back(family.get());
  }
  std::string out;
  for (const auto* family : families) family->expose(out);
  return out;
}

MetricsRegistry& default_registry() {
  static MetricsRegistry registry;
  return registry;
}

std::vector<double> latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

}  // namespace stepline::observability
