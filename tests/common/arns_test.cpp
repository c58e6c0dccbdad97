#include "common/arns.hpp"

#include <gtest/gtest.h>

namespace stepline::arns {
namespace {

TEST(Arns, ExpressExecutionJoinsItsParts) {
  EXPECT_EQ(express_execution(Location{}, "bench", "name-1", "id-2"),
            "arn:aws:states:us-east-1:123456789012:express:bench:name-1:id-2");
  EXPECT_EQ(express_execution(Location{"eu-west-3", "000000000000"}, "m", "", ""),
            "arn:aws:states:eu-west-3:000000000000:express:m::");
  auto parsed = parse(express_execution(Location{}, "machine", "n", "i"));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->service, "states");
  EXPECT_EQ(parsed->resource, "express:machine:n:i");
}

}  // namespace
}  // namespace stepline::arns
