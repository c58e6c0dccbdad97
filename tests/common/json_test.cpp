#include "common/json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace stepline::json {
namespace {

std::string round_trip(const char* text) {
  return dump(parse(text));
}

TEST(Json, NumbersRoundTripExactly) {
  EXPECT_EQ(round_trip("1"), "1");
  EXPECT_EQ(round_trip("-0"), "0");
  EXPECT_EQ(round_trip("1.0"), "1.0");
  EXPECT_EQ(round_trip("0.1"), "0.1");
  EXPECT_EQ(round_trip("3.3"), "3.3");
  EXPECT_EQ(round_trip("1e21"), "1.0E21");
  EXPECT_EQ(round_trip("1.5e-7"), "1.5E-7");
  EXPECT_EQ(round_trip("123456.789"), "123456.789");
  EXPECT_EQ(round_trip("18446744073709551615"), "18446744073709551615");
  EXPECT_EQ(round_trip("9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(round_trip("2.2250738585072014e-308"), "2.2250738585072014E-308");
  EXPECT_EQ(round_trip("0.30000000000000004"), "0.30000000000000004");
}

TEST(Json, HugeExponentsDoNotBecomeInfinity) {
  EXPECT_EQ(round_trip("1e400"), "null");
  EXPECT_EQ(round_trip("1e-400"), "0.0");
}

TEST(Json, DeepNestingBeyondBoostDefault) {
  std::string text(500, '[');
  text += std::string(500, ']');
  EXPECT_EQ(round_trip(text.c_str()), text);
}

TEST(Json, StringsEscapeAsAws) {
  EXPECT_EQ(round_trip(R"("a\"b\\c\nd\u0001é/")"), "\"a\\\"b\\\\c\\nd\\u0001é/\"");
}

TEST(Json, KeysKeepTheirOrder) {
  EXPECT_EQ(round_trip(R"({"b":1,"a":[true,null,{}]})"), R"({"b":1,"a":[true,null,{}]})");
}

TEST(Json, ParseErrorsCarryPosition) {
  try {
    parse("{\n  \"a\": }");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 2u);
  }
  EXPECT_THROW(parse("{} x"), ParseError);
  EXPECT_THROW(parse(""), ParseError);
}

TEST(Json, EqualityComparesNumbersByValue) {
  EXPECT_TRUE(equal(parse("[1,{\"a\":2.0}]"), parse("[1.0,{\"a\":2}]")));
  EXPECT_TRUE(equal(parse(R"({"a":1,"b":2})"), parse(R"({"b":2,"a":1})")));
  EXPECT_FALSE(equal(parse("{}"), parse("[]")));
  EXPECT_FALSE(equal(parse("\"1\""), parse("1")));
}

TEST(Json, DumpedSizeMatchesDump) {
  Value v = parse(R"({"k":["x\n",1.5,-3,null,{"é":true}]})");
  EXPECT_EQ(dumped_size(v), dump(v).size());
}

}  // namespace
}  // namespace stepline::json
