// Results the evaluator's fast paths must leave unchanged: single-result path steps kept
// unwrapped, signatures matched without coercion, ASCII case mapping, integer stringification,
// and grouping past the size where groups get a hash index.
#include "common/json.hpp"
#include "query/jsonata/jsonata.hpp"

#include <gtest/gtest.h>

#include <string>

namespace stepline::jsonata {
namespace {

std::string run(const std::string& expr, const std::string& input = "null") {
  json::Value doc = json::parse(input);
  auto r = Expression::compile(expr).evaluate(&doc);
  return r ? json::dump(*r) : "undefined";
}

TEST(JsonataFastPaths, SingleResultStepsKeepSequenceRules) {
  const char* doc = R"({"a":{"b":[1,2],"c":5,"d":[[7]]},"e":[{"f":1}]})";
  EXPECT_EQ(run("a.c", doc), "5");
  EXPECT_EQ(run("a.c[]", doc), "[5]");
  EXPECT_EQ(run("a[].c", doc), "[5]");
  EXPECT_EQ(run("a.b", doc), "[1,2]");
  EXPECT_EQ(run("a.d", doc), "[[7]]");
  EXPECT_EQ(run("a.d.$", doc), "[7]");
  EXPECT_EQ(run("e.f", doc), "1");
  EXPECT_EQ(run("e.f[]", doc), "[1]");
  EXPECT_EQ(run("a.missing", doc), "undefined");
  EXPECT_EQ(run("a.(c + 1)", doc), "6");
  EXPECT_EQ(run("$count(a.c)", doc), "1");
}

TEST(JsonataFastPaths, SignaturesWithOptionalAndContextArguments) {
  EXPECT_EQ(run("$string(12)"), "\"12\"");
  EXPECT_EQ(run("$string({'a': 1}, true)"), "\"{\\n  \\\"a\\\": 1\\n}\"");
  EXPECT_EQ(run("('abc').$uppercase()"), "\"ABC\"");
  EXPECT_EQ(run("$substringBefore('a@b', '@')"), "\"a\"");
  EXPECT_EQ(run("$sum(5)"), "5");
  EXPECT_THROW(run("$uppercase(1)"), Error);
  EXPECT_THROW(run("$substringBefore('a', 'b', 'c')"), Error);
  EXPECT_EQ(run("$reduce([1, 2, 3], function($a, $b) { $a + $b })"), "6");
  EXPECT_EQ(run("$map([1, 2], function($v, $i) { $v * 10 + $i })"), "[10,21]");
  EXPECT_EQ(run("($string := function($x) { 'mine' }; $string(1))"), "\"mine\"");
}

TEST(JsonataFastPaths, CaseMappingAsciiAndBeyond) {
  EXPECT_EQ(run("$uppercase('ada.lovelace9@x')"), "\"ADA.LOVELACE9@X\"");
  EXPECT_EQ(run("$lowercase('MiXeD 1-2')"), "\"mixed 1-2\"");
  EXPECT_EQ(run("$uppercase('straße')"), "\"STRASSE\"");
  EXPECT_EQ(run("$lowercase('ÄÖÜ Ab')"), "\"äöü ab\"");
  EXPECT_EQ(run("$uppercase('élan')"), "\"ÉLAN\"");
}

TEST(JsonataFastPaths, NumbersStringifyAsJavaScript) {
  EXPECT_EQ(run("$string(-42)"), "\"-42\"");
  EXPECT_EQ(run("$string(9007199254740991)"), "\"9007199254740991\"");
  EXPECT_EQ(run("$string(1e21)"), "\"1e+21\"");
  EXPECT_EQ(run("$string(123456789012345680000)"), "\"123456789012345680000\"");
  EXPECT_EQ(run("$string(0.5)"), "\"0.5\"");
  EXPECT_EQ(run("'n' & 7"), "\"n7\"");
}

TEST(JsonataFastPaths, GroupingKeepsFirstSeenOrderPastTheIndexThreshold) {
  std::string items = "[";
  for (int i = 0; i < 30; ++i) {
    if (i) items += ',';
    items += R"({"k":"g)" + std::to_string((i * 7) % 12) + R"(","v":)" + std::to_string(i) + "}";
  }
  items += "]";
  EXPECT_EQ(run("$keys(${k: $count(v)})", items),
            R"(["g0","g7","g2","g9","g4","g11","g6","g1","g8","g3","g10","g5"])");
  EXPECT_EQ(run("${k: $sum(v)}.g0", items), "36");
  EXPECT_THROW(run("{'a': 1, 'b': 2}.{'x': 1, 'x': 2}"), Error);
  EXPECT_EQ(run("[]{'a': 1}"), "{\"a\":1}");
}

}  // namespace
}  // namespace stepline::jsonata
