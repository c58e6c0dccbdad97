#include "common/time.hpp"
#include "common/clock.hpp"

#include <gtest/gtest.h>

namespace stepline {
namespace {

TEST(Time, FormatsWithMilliseconds) {
  TimePoint t{Millis{1704103200123}};
  EXPECT_EQ(format_iso8601(t), "2024-01-01T10:00:00.123Z");
}

TEST(Time, ParsesRfc3339AsStepFunctionsDoes) {
  EXPECT_TRUE(parse_rfc3339("2016-03-14T01:59:00Z"));
  EXPECT_TRUE(parse_rfc3339("2016-03-14T01:59:00.000000Z"));
  EXPECT_TRUE(parse_rfc3339("2016-03-14T01:59:00.00+02:00"));
  EXPECT_FALSE(parse_rfc3339("2016-03-14T01:59:00"));
  EXPECT_FALSE(parse_rfc3339("2016-12-05 21:29:29Z"));
  EXPECT_FALSE(parse_rfc3339("2016-13-05T21:29:29Z"));
  EXPECT_FALSE(parse_rfc3339("2016-12-05T25:29:29Z"));
  EXPECT_FALSE(parse_rfc3339("05-12-2016T21:29:29Z"));
  EXPECT_EQ(*parse_rfc3339("2016-03-14T03:59:00+02:00"), *parse_rfc3339("2016-03-14T01:59:00Z"));
  // Far-future years AWS accepts must not overflow.
  ASSERT_TRUE(parse_rfc3339("9999-12-31T23:59:59.999999999Z"));
  EXPECT_GT(*parse_rfc3339("9999-12-31T23:59:59Z"), *parse_rfc3339("2262-04-12T00:00:00Z"));
}

TEST(Clock, ManualClockJumpsWhenSleeping) {
  ManualClock clock(TimePoint{Millis{0}});
  clock.sleep_until(TimePoint{Millis{3600000}});
  EXPECT_EQ(clock.now(), TimePoint{Millis{3600000}});
  clock.advance(Millis{5});
  EXPECT_EQ(clock.now(), TimePoint{Millis{3600005}});
}

TEST(Clock, ZeroScaleNeverWaits) {
  SystemClock clock(0.0);
  TimePoint start = clock.now();
  clock.sleep_until(start + Millis{3600000});
  EXPECT_GE(clock.now(), start + Millis{3600000});
}

}  // namespace
}  // namespace stepline
