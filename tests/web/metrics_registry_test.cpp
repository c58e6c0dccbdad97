#include "observability/metrics_registry.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace stepline::observability {
namespace {

TEST(MetricsRegistry, CountersExposeHelpTypeAndEscapedLabels) {
  MetricsRegistry registry;
  auto& requests = registry.counter("http_requests_total", "Requests.\nBy path", {"path"});
  requests.inc({"/a\"b\\c"});
  requests.inc({"/a\"b\\c"}, 2);
  requests.inc({"/x"}, -5);  // ignored: counters never go down
  EXPECT_EQ(requests.value({"/a\"b\\c"}), 3);
  EXPECT_EQ(requests.value({"/x"}), 0);
  EXPECT_EQ(registry.exposition(),
            "# HELP http_requests_total Requests.\\nBy path\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{path=\"/a\\\"b\\\\c\"} 3\n");
}

TEST(MetricsRegistry, GaugesGoBothWays) {
  MetricsRegistry registry;
  auto& running = registry.gauge("running", "Running things.");
  running.add({}, 2);
  running.add({}, -0.5);
  EXPECT_EQ(running.value({}), 1.5);
  EXPECT_NE(registry.exposition().find("running 1.5\n"), std::string::npos);
  running.set({}, 7);
  EXPECT_NE(registry.exposition().find("running 7\n"), std::string::npos);
}

TEST(MetricsRegistry, HistogramBucketsAreCumulative) {
  MetricsRegistry registry;
  auto& latency = registry.histogram("latency_seconds", "Latency.", {"op"}, {0.1, 1});
  latency.observe({"Start"}, 0.05);
  latency.observe({"Start"}, 0.5);
  latency.observe({"Start"}, 3);
  EXPECT_EQ(latency.count({"Start"}), 3u);
  EXPECT_DOUBLE_EQ(latency.sum({"Start"}), 3.55);
  const std::string text = registry.exposition();
  EXPECT_NE(text.find("# TYPE latency_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_bucket{op=\"Start\",le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_bucket{op=\"Start\",le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_bucket{op=\"Start\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_sum{op=\"Start\"} 3.55\n"), std::string::npos);
  EXPECT_NE(text.find("latency_seconds_count{op=\"Start\"} 3\n"), std::string::npos);
}

TEST(MetricsRegistry, SameNameGivesTheSameFamilyAndMismatchesAreRefused) {
  MetricsRegistry registry;
  auto& first = registry.counter("events_total", "Events.", {"kind"});
  auto& second = registry.counter("events_total", "Events.", {"kind"});
  EXPECT_EQ(&first, &second);
  EXPECT_THROW(registry.gauge("events_total", "Events."), std::logic_error);
  EXPECT_THROW(first.inc({"a", "b"}), std::logic_error);
  EXPECT_THROW(registry.histogram("bad", "Bad.", {}, {1, 1}), std::logic_error);
}

TEST(MetricsRegistry, ConcurrentIncrementsAreAllCounted) {
  MetricsRegistry registry;
  auto& counter = registry.counter("hits_total", "Hits.", {"t"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&counter, t] {
      for (int i = 0; i < 1000; ++i) {
        counter.inc({"shared"});
        counter.inc({std::to_string(t)});
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.value({"shared"}), 4000);
  EXPECT_EQ(counter.value({"3"}), 1000);
}

}  // namespace
}  // namespace stepline::observability
