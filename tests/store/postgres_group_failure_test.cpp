// PostgreSQL only: a group commit is written set-wise for all its callers at once; a write whose
// statement fails there (an event id already in the history) must fail alone, its callers'
// neighbours in the same group committed as usual (the group is rerun one write at a time).
#include "store_fixture.hpp"

#include <atomic>
#include <barrier>
#include <thread>

namespace stepline::store::testing {
namespace {

class PostgresGroupFailureTest : public StoreTest {};
INSTANTIATE_TEST_SUITE_P(Postgres, PostgresGroupFailureTest, ::testing::Values(Backend::Postgres),
                         backend_name);

TEST_P(PostgresGroupFailureTest, AFailingWriteFailsAloneInItsGroup) {
  constexpr int kWriters = 6;
  constexpr int kRounds = 4;
  const auto m = machine("group").arn;
  std::vector<std::string> arns;
  for (int w = 0; w < kWriters; ++w) {
    const auto e = new_execution(m, "g" + std::to_string(w));
    ASSERT_EQ(store->create_execution(e).status, CreateStatus::Created);
    arns.push_back(e.summary.arn);
  }
  // Writer 0 repeats event id 1 (in the history since the create) every round; the others
  // commit good steps at the same moment, so they share group commits with it.
  std::barrier start(kWriters);
  std::atomic<int> failures{0}, wrong{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int round = 0; round < kRounds; ++round) {
        start.arrive_and_wait();
        if (w == 0) {
          try {
            store->commit({"", {step(arns[0], 1, 1)}});
            ++wrong;
          } catch (const StoreError&) {
            ++failures;
          }
        } else if (store->commit({"", {step(arns[w], round + 1, round + 2)}}).status !=
                   CommitStatus::Committed) {
          ++wrong;
        }
      }
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(failures.load(), kRounds);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(store->load_execution(arns[0])->version, 1);
  EXPECT_EQ(store->read_history(arns[0], {}).items.size(), 1u);
  for (int w = 1; w < kWriters; ++w) {
    EXPECT_EQ(store->load_execution(arns[w])->version, kRounds + 1);
    EXPECT_EQ(store->load_execution(arns[w])->history_length, kRounds + 1);
  }
}

TEST_P(PostgresGroupFailureTest, AMalformedEventFailsItsWholeBatchOnly) {
  const auto m = machine("bad").arn;
  auto good = new_execution(m, "good");
  auto bad = new_execution(m, "bad");
  bad.first_step.events.push_back(json::Object{{"type", "NoId"}});
  EXPECT_THROW(store->write_batch({{good, bad}, {}}), std::invalid_argument);
  EXPECT_FALSE(store->load_execution(good.summary.arn)) << "the batch is undone as a whole";
  EXPECT_FALSE(store->load_execution(bad.summary.arn));
  EXPECT_EQ(store->write_batch({{good}, {}}).creates.at(0).status, CreateStatus::Created);
}

}  // namespace
}  // namespace stepline::store::testing
