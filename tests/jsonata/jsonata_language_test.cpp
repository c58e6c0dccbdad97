// Language features beyond the suite's spot checks: sequences, tuples, grouping, transforms,
// regexes and higher-order functions.
#include "common/json.hpp"
#include "query/jsonata/jsonata.hpp"

#include <gtest/gtest.h>

namespace stepline::jsonata {
namespace {

std::string run(const std::string& expr, const std::string& input = "null") {
  json::Value doc = json::parse(input);
  auto r = Expression::compile(expr).evaluate(&doc);
  return r ? json::dump(*r) : "undefined";
}

const char* kLibrary = R"({"books":[{"title":"A","author":"x","price":10},
  {"title":"B","author":"y","price":5},{"title":"C","author":"x","price":7}],
  "loans":[{"book":"A","who":"p"},{"book":"C","who":"q"}]})";

TEST(JsonataLanguage, SequencesFlattenAndCollapse) {
  EXPECT_EQ(run("[1, [2, 3], [[4]]]"), "[1,[2,3],[[4]]]");
  EXPECT_EQ(run("[1..3].[$, $ * 10]"), "[[1,10],[2,20],[3,30]]");
  EXPECT_EQ(run("books[price > 6].title", kLibrary), "[\"A\",\"C\"]");
  EXPECT_EQ(run("books[price > 9].title", kLibrary), "\"A\"");
  EXPECT_EQ(run("books[-1].title", kLibrary), "\"C\"");
}

TEST(JsonataLanguage, SortGroupAndAggregate) {
  EXPECT_EQ(run("books^(price).title", kLibrary), "[\"B\",\"C\",\"A\"]");
  EXPECT_EQ(run("books{author: $sum(price)}", kLibrary), "{\"x\":17,\"y\":5}");
  EXPECT_EQ(run("$sort(books, function($a, $b){$a.price < $b.price}).title", kLibrary),
            "[\"A\",\"C\",\"B\"]");
}

TEST(JsonataLanguage, JoinsWithFocusAndIndexBindings) {
  EXPECT_EQ(run("books@$b.loans@$l[$l.book = $b.title].{'t': $b.title, 'who': $l.who}", kLibrary),
            "[{\"t\":\"A\",\"who\":\"p\"},{\"t\":\"C\",\"who\":\"q\"}]");
  EXPECT_EQ(run("books#$i[$i > 0].title", kLibrary), "[\"B\",\"C\"]");
  EXPECT_EQ(run("books.author.%.title", kLibrary), "[\"A\",\"B\",\"C\"]");
}

TEST(JsonataLanguage, TransformsCopyTheirInput) {
  std::string updated = run("$ ~> |books[price < 8]|{'cheap': true}, ['price']|", kLibrary);
  EXPECT_NE(updated.find("{\"title\":\"B\",\"author\":\"y\",\"cheap\":true}"), std::string::npos)
      << updated;
  EXPECT_NE(updated.find("{\"title\":\"A\",\"author\":\"x\",\"price\":10}"), std::string::npos)
      << updated;
  EXPECT_EQ(run("($x := {'a': 1}; $y := $x ~> |$|{'a': 2}|; [$x.a, $y.a])"), "[1,2]");
}

TEST(JsonataLanguage, FunctionsClosuresAndPartials) {
  EXPECT_EQ(run("($add := function($a, $b){$a + $b}; $inc := $add(?, 1); $map([1,2,3], $inc))"),
            "[2,3,4]");
  EXPECT_EQ(
      run("($twice := function($f){function($x){$f($f($x))}}; $twice(function($v){$v * 3})(2))"),
      "18");
  EXPECT_EQ(run("('abc' ~> $uppercase ~> $substring(1))"), "\"BC\"");
  EXPECT_EQ(run("($f := $uppercase ~> $trim; $f('  a  b '))"), "\"A B\"");
  EXPECT_EQ(run("$reduce([1,2,3,4], function($acc, $v){$acc * $v}, 1)"), "24");
}

TEST(JsonataLanguage, RegularExpressions) {
  EXPECT_EQ(run("$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')"), "\"Smith, John\"");
  EXPECT_EQ(run("$split('a1b22c', /[0-9]+/)"), "[\"a\",\"b\",\"c\"]");
  EXPECT_EQ(run("$match('ab12cd345', /[0-9]+/).match"), "[\"12\",\"345\"]");
  EXPECT_EQ(run("$contains('Hello', /^h/i)"), "true");
  EXPECT_EQ(run("['apple', 'Banana', 'cherry'][$ ~> /an/]"), "\"Banana\"");
}

TEST(JsonataLanguage, ConditionalsAndDefaults) {
  EXPECT_EQ(run("missing ?? 'd'"), "\"d\"");
  EXPECT_EQ(run("0 ?: 'd'"), "\"d\"");
  EXPECT_EQ(run("true ? 'y' : 'n'"), "\"y\"");
  EXPECT_EQ(run("false ? 'y'"), "undefined");
}

}  // namespace
}  // namespace stepline::jsonata
