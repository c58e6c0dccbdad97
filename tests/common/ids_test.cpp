#include "common/ids.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace stepline {
namespace {

TEST(Ids, UuidV4SetsVersionAndVariantBits) {
  EXPECT_EQ(format_uuid_v4(0x0123456789abcdefULL, 0xfedcba9876543210ULL),
            "01234567-89ab-4def-bedc-ba9876543210");
  EXPECT_EQ(format_uuid_v4(0, 0), "00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(format_uuid_v4(~0ULL, ~0ULL), "ffffffff-ffff-4fff-bfff-ffffffffffff");
}

TEST(Ids, RandomUuidsDiffer) {
  RandomIdSource ids(42);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = ids.uuid();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '4');
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace stepline
