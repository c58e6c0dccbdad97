#include "engine_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::engine::testing {
namespace {

TEST(WaitState, SecondsAdvanceTheClock) {
  Harness h;
  auto r = h.run(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":90,"End":true}}})",
                 R"({"a":1})");
  EXPECT_EQ(r.status, "SUCCEEDED");
  EXPECT_TRUE(json::equal(*r.output, json::parse(R"({"a":1})")));
  EXPECT_EQ(h.clock.now(), test_start() + std::chrono::seconds(90));
  EXPECT_EQ(types(r), (std::vector<std::string>{"ExecutionStarted", "WaitStateEntered",
                                                "WaitStateExited", "ExecutionSucceeded"}));
}

TEST(WaitState, NegativeSecondsPathIsARuntimeError) {
  Harness h;
  auto r = h.run(R"({"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}})",
                 R"({"s":-1})");
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_EQ(r.cause,
            "An error occurred while executing the state 'W' (entered at the event id #2). The "
            "SecondsPath parameter references a negative value: $.s == -1");
}

TEST(WaitState, PastTimestampCompletesImmediately) {
  Harness h;
  auto r = h.run(R"({"StartAt":"W","States":{"W":{"Type":"Wait",
      "Timestamp":"2016-03-14T01:59:00Z","End":true}}})");
  EXPECT_EQ(r.status, "SUCCEEDED");
  EXPECT_EQ(h.clock.now(), test_start());
}

}  // namespace
}  // namespace stepline::engine::testing
