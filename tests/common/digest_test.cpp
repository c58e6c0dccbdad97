#include "common/digest.hpp"

#include <gtest/gtest.h>

namespace stepline::digest {
namespace {

TEST(Digest, HashesAsAwsDocuments) {
  EXPECT_EQ(*hex("MD5", "input data"), "812f45842bc6d66ee14572ce20db8e86");
  EXPECT_EQ(*hex("SHA-1", "input data"), "aaff4a450a104cd177d28d18d74485e8cae074b7");
  EXPECT_FALSE(hex("sha-1", "x"));
}

TEST(Digest, Base64RoundTrips) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("Data to encode"), "RGF0YSB0byBlbmNvZGU=");
  EXPECT_EQ(*base64_decode("RGF0YSB0byBlbmNvZGU="), "Data to encode");
  EXPECT_EQ(*base64_decode("YWI="), "ab");
  EXPECT_FALSE(base64_decode("YWI"));
  EXPECT_FALSE(base64_decode("Y=WI"));
}

}  // namespace
}  // namespace stepline::digest
