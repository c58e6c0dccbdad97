// SigV4 against AWS's published test suite (aws-sig-v4-test-suite: get-vanilla, post-vanilla,
// get-vanilla-query-order-key-case), credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z.
#include "integrations/aws/sigv4.hpp"

#include <gtest/gtest.h>

namespace stepline::integrations::aws {
namespace {

const Credentials kExample{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

std::chrono::system_clock::time_point at_2015_08_30_12_36() {
  using namespace std::chrono;
  return sys_days{year{2015} / 8 / 30} + hours{12} + minutes{36};
}

std::string authorization(const SignableRequest& r) {
  for (const auto& [k, v] : sign(r, kExample, "us-east-1", "service", at_2015_08_30_12_36())) {
    if (k == "Authorization") return v;
  }
  return "";
}

TEST(SigV4, GetVanilla) {
  SignableRequest r{"GET", "/", "", {{"Host", "example.amazonaws.com"}}, ""};
  EXPECT_EQ(amz_date(at_2015_08_30_12_36()), "20150830T123600Z");
  EXPECT_EQ(authorization(r),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4, PostVanilla) {
  SignableRequest r{"POST", "/", "", {{"Host", "example.amazonaws.com"}}, ""};
  EXPECT_EQ(authorization(r),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(SigV4, GetVanillaQueryOrderKeyCase) {
  SignableRequest r{
      "GET", "/", "Param2=value2&Param1=value1", {{"Host", "example.amazonaws.com"}}, ""};
  EXPECT_EQ(authorization(r),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4, CanonicalRequestSortsHeadersAndEncodesThePathAgain) {
  SignableRequest r{"POST",
                    "/2015-03-31/functions/f%3A1/invocations",
                    "",
                    {{"Host", "h"}, {"X-Amz-Date", "20150830T123600Z"}, {"Content-Type", " a  b "}},
                    "{}"};
  EXPECT_EQ(canonical_request(r, true),
            "POST\n/2015-03-31/functions/f%253A1/invocations\n\ncontent-type:a b\nhost:h\n"
            "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
}

TEST(SigV4, TemporaryCredentialsSignTheSessionToken) {
  Credentials temporary = kExample;
  temporary.session_token = "token";
  SignableRequest r{"GET", "/", "", {{"Host", "example.amazonaws.com"}}, ""};
  auto added = sign(r, temporary, "us-east-1", "service", at_2015_08_30_12_36());
  ASSERT_EQ(added.size(), 3u);
  EXPECT_EQ(added[1], std::make_pair(std::string("X-Amz-Security-Token"), std::string("token")));
  EXPECT_NE(added[2].second.find("SignedHeaders=host;x-amz-date;x-amz-security-token"),
            std::string::npos);
}

}  // namespace
}  // namespace stepline::integrations::aws
