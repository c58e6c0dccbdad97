// The serialiser's string escaping against a byte-by-byte reference: strings and keys of every
// short length (the word-at-a-time checks read overlapping words) with each kind of byte at each
// position.
#include "common/json.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

namespace stepline::json {
namespace {

std::string reference_quoted(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

TEST(JsonEscape, EveryShortLengthAndPositionMatchesTheReference) {
  // Plain bytes, the escaped ones, and bytes next to the escape thresholds.
  const std::string specials = std::string("\"\\\n\x01\x1f\x7f/ !#[]a") + '\0' + "\xc3\xa9\x80\xff";
  for (std::size_t n = 0; n <= 40; ++n) {
    for (std::size_t at = 0; at < std::max<std::size_t>(n, 1); ++at) {
      for (char special : specials) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('a' + i % 26);
        if (n > 0) s[at] = special;
        const std::string expected = reference_quoted(s);
        const Value string_value(s);
        ASSERT_EQ(dump(string_value), expected) << "length " << n << " at " << at;
        ASSERT_EQ(dumped_size(string_value), expected.size());
        Object o;
        o[s] = 1;
        o["k"] = s;
        ASSERT_EQ(dump(o), "{" + expected + ":1,\"k\":" + expected + "}");
        ASSERT_EQ(dumped_size(o), dump(o).size());
        // Lone high bytes are not UTF-8: the parser refuses them (the serialiser copies them).
        if (static_cast<unsigned char>(special) < 0x80) {
          ASSERT_TRUE(equal(parse(dump(o)), o));
        }
      }
    }
  }
}

TEST(JsonEscape, TwoEscapesInOneShortString) {
  EXPECT_EQ(dump(Value("\"\"")), R"("\"\"")");
  EXPECT_EQ(dump(Value("a\nb\tc")), R"("a\nb\tc")");
  EXPECT_EQ(dump(Value("0123456789abcde\\")), R"("0123456789abcde\\")");
  EXPECT_EQ(dump(Value("\\0123456789abcdef")), R"("\\0123456789abcdef")");
}

}  // namespace
}  // namespace stepline::json
