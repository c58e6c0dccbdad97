// Many threads committing at once: every acknowledged commit is there, conflicts are clean.
// Meant to run under ThreadSanitizer as well (README.md here). Nothing here is timed.
#include "store_fixture.hpp"

#include <thread>

namespace stepline::store::testing {
namespace {

class ConcurrentStoreTest : public StoreTest {};
STEPLINE_STORE_BACKENDS(ConcurrentStoreTest);

TEST_P(ConcurrentStoreTest, WritersOnTheirOwnExecutionsAllSucceed) {
  constexpr int kWriters = 8;
  constexpr int kSteps = 40;
  const auto m = machine("busy").arn;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      const auto e = new_execution(m, "w" + std::to_string(w));
      ASSERT_EQ(store->create_execution(e).status, CreateStatus::Created);
      for (int i = 1; i <= kSteps; ++i) {
        auto s = step(e.summary.arn, i, i + 1);
        s.arm_timers = {{"", i, TimePoint(Millis(i)), {}}};
        if (i > 1) s.clear_timers = {i - 1};
        ASSERT_EQ(store->commit({"", {s}}).status, CommitStatus::Committed);
      }
    });
  }
  for (auto& t : writers) t.join();
  for (int w = 0; w < kWriters; ++w) {
    auto r = store->load_execution(new_execution(m, "w" + std::to_string(w)).summary.arn);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->version, kSteps + 1);
    EXPECT_EQ(r->history_length, kSteps + 1);
  }
  EXPECT_EQ(store->due_timers(TimePoint(Millis(1'000'000)), 100).size(),
            static_cast<std::size_t>(kWriters));
}

TEST_P(ConcurrentStoreTest, RacingWritersOnOneExecutionNeverLoseASteps) {
  // Each writer reads, then commits at the version it read; losers re-read and retry. The
  // history must end up with exactly one event per successful commit, in order.
  constexpr int kWriters = 4;
  constexpr int kWins = 15;
  const auto e = new_execution(machine("shared").arn, "shared");
  ASSERT_EQ(store->create_execution(e).status, CreateStatus::Created);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&] {
      int wins = 0;
      while (wins < kWins) {
        auto r = store->load_execution(e.summary.arn);
        auto s = step(e.summary.arn, r->version, r->history_length + 1);
        auto result = store->commit({"", {s}});
        if (result.status == CommitStatus::Committed) {
          ++wins;
        } else {
          ASSERT_EQ(result.status, CommitStatus::VersionConflict);
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  auto r = store->load_execution(e.summary.arn);
  EXPECT_EQ(r->version, 1 + kWriters * kWins);
  auto history = store->read_history(e.summary.arn, {1000, "", false});
  ASSERT_EQ(history.items.size(), static_cast<std::size_t>(1 + kWriters * kWins));
  for (std::size_t i = 0; i < history.items.size(); ++i) {
    EXPECT_EQ(history.items[i].at("id").as_int64(), static_cast<long long>(i + 1));
  }
}

}  // namespace
}  // namespace stepline::store::testing
