#include "asl/choice/choice_rule.hpp"
#include "asl/choice/string_pattern.hpp"
#include "common/errors.hpp"
#include "common/json.hpp"
#include "query/syntax_error.hpp"
#include "query/test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl::choice {
namespace {

using query::testing::Documents;

bool eval(std::string_view rule, std::string_view input) {
  Documents d(input, R"({"Execution":{"Name":"exec"}})");
  d.variables.values["limit"] = json::parse("10");
  return compile_rule(json::parse(rule))->evaluate(d.ctx());
}

TEST(ChoiceRule, StringComparisons) {
  EXPECT_TRUE(eval(R"({"Variable":"$.v","StringEquals":"a","Next":"X"})", R"({"v":"a"})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","StringEquals":"a"})", R"({"v":"a "})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","StringLessThan":"AB"})", R"({"v":"A"})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","StringGreaterThan":"A "})", R"({"v":"A"})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","StringGreaterThanEquals":""})", R"({"v":""})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","StringLessThanEquals":"b"})", R"({"v":"a"})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","StringEquals":"1"})", R"({"v":1})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","StringEqualsPath":"$.w"})", R"({"v":"x","w":"x"})"));
  EXPECT_TRUE(eval(R"({"Variable":"$$.Execution.Name","StringEquals":"exec"})", R"({})"));
}

TEST(ChoiceRule, NumericComparisons) {
  EXPECT_TRUE(eval(R"({"Variable":"$.v","NumericEquals":0})", R"({"v":0.0})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","NumericEquals":0})", R"({"v":null})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","NumericEquals":0})", R"({"v":"0"})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","NumericLessThan":1.5})", R"({"v":1})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","NumericGreaterThan":0})", R"({"v":0})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","NumericGreaterThanEquals":0})", R"({"v":0})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","NumericLessThanEquals":-1})", R"({"v":-2})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","NumericLessThanPath":"$limit"})", R"({"v":9})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","NumericEqualsPath":"$.w"})", R"({"v":1,"w":"1"})"));
  // Compared as doubles, as AWS does: both round to 2^53.
  EXPECT_TRUE(
      eval(R"({"Variable":"$.v","NumericEquals":9007199254740993})", R"({"v":9007199254740992})"));
}

TEST(ChoiceRule, BooleanAndTimestamps) {
  EXPECT_TRUE(eval(R"({"Variable":"$.v","BooleanEquals":true})", R"({"v":true})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","BooleanEquals":false})", R"({"v":0})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","BooleanEqualsPath":"$.w"})", R"({"v":false,"w":false})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"})",
                   R"({"v":"2012-10-09T21:00:55+02:00"})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","TimestampLessThan":"2012-10-09T19:00:55.5Z"})",
                   R"({"v":"2012-10-09T19:00:55.000001Z"})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","TimestampGreaterThan":"2012-10-09T19:00:55Z"})",
                    R"({"v":"not a time"})"));
  EXPECT_FALSE(
      eval(R"({"Variable":"$.v","TimestampEquals":"2012-10-09T19:00:55Z"})", R"({"v":{}})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","TimestampGreaterThanEqualsPath":"$.w"})",
                   R"({"v":"2020-01-01T00:00:00Z","w":"2019-12-31T23:59:59Z"})"));
}

TEST(ChoiceRule, TypeTests) {
  EXPECT_TRUE(eval(R"({"Variable":"$.v","IsNull":true})", R"({"v":null})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","IsNull":true})", R"({"v":""})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","IsPresent":true})", R"({"v":null})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.w","IsPresent":true})", R"({"v":null})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.w.x","IsPresent":false})", R"({"v":null})"));
  EXPECT_TRUE(eval(R"({"Variable":"$nope","IsPresent":false})", R"({})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","IsNumeric":false})", R"({"v":" "})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","IsNumeric":true})", R"({"v":1.5})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","IsString":true})", R"({"v":"2016-03-14T01:59:00Z"})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","IsBoolean":true})", R"({"v":false})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","IsTimestamp":true})", R"({"v":"2016-03-14T01:59:00Z"})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","IsTimestamp":true})", R"({"v":"2016-03-14 01:59:00Z"})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","IsTimestamp":true})", R"({"v":"2016-13-14T01:59:00Z"})"));
}

TEST(ChoiceRule, StringMatches) {
  EXPECT_TRUE(eval(R"({"Variable":"$.v","StringMatches":"*.log"})", R"({"v":"zebra.log"})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","StringMatches":"*.log"})", R"({"v":"a.log.txt"})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","StringMatches":"a*b*c"})", R"({"v":"abc"})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","StringMatches":"a\\*b"})", R"({"v":"a*b"})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","StringMatches":"a\\*b"})", R"({"v":"axb"})"));
  EXPECT_TRUE(eval(R"({"Variable":"$.v","StringMatches":"a\\\\b"})", R"({"v":"a\\b"})"));
  EXPECT_FALSE(eval(R"({"Variable":"$.v","StringMatches":"*"})", R"({"v":1})"));
  auto p = StringPattern::compile("*ab*ab*");
  EXPECT_TRUE(p.matches("abab"));
  EXPECT_FALSE(p.matches("aba"));
  EXPECT_TRUE(StringPattern::compile("").matches(""));
  EXPECT_TRUE(StringPattern::compile("**").matches("x"));
  EXPECT_FALSE(StringPattern::compile("a*a").matches("a"));
}

TEST(ChoiceRule, Combinators) {
  const char* rule = R"({"And":[{"Variable":"$.a","NumericGreaterThan":1},
                                {"Or":[{"Variable":"$.b","StringEquals":"x"},
                                       {"Not":{"Variable":"$.c","IsPresent":true}}]}],
                         "Next":"N","Comment":"c"})";
  EXPECT_TRUE(eval(rule, R"({"a":2,"b":"x","c":1})"));
  EXPECT_TRUE(eval(rule, R"({"a":2,"b":"y"})"));
  EXPECT_FALSE(eval(rule, R"({"a":2,"b":"y","c":1})"));
  EXPECT_FALSE(eval(rule, R"({"a":1,"b":"x"})"));
  // Short-circuit: the missing $.zz is never read.
  EXPECT_FALSE(
      eval(R"({"And":[{"Variable":"$.a","IsNull":true},{"Variable":"$.zz","IsNull":true}]})",
           R"({"a":1})"));
}

TEST(ChoiceRule, MissingVariableIsARuntimeError) {
  for (const char* rule : {R"({"Variable":"$.nope","StringEquals":"a"})",
                           R"({"Variable":"$.v","StringEqualsPath":"$.nope"})",
                           R"({"Variable":"$.nope","IsNull":false})",
                           R"({"Variable":"$undefined","NumericEquals":1})"}) {
    try {
      eval(rule, R"({"v":"a"})");
      ADD_FAILURE() << rule;
    } catch (const StatesException& e) {
      EXPECT_EQ(e.error(), errors::kRuntime);
      EXPECT_NE(e.cause().find("Invalid path"), std::string::npos);
    }
  }
}

TEST(ChoiceRule, DefinitionErrors) {
  for (const char* rule :
       {R"({"Variable":"$.v"})", R"({"Variable":"$.v","StringEquals":1})",
        R"({"Variable":"$.v","NumericEquals":"1"})", R"({"Variable":"$.v","BooleanEquals":1})",
        R"({"Variable":"$.v","TimestampEquals":"yesterday"})",
        R"({"Variable":"$.v","IsNull":"true"})", R"({"Variable":"$.v","StringMatches":"a\\b"})",
        R"({"Variable":"$.v","StringMatches":"a\\"})",
        R"({"Variable":"$.v","StringEquals":"a","NumericEquals":1})",
        R"({"Variable":"$.v[*]","IsNull":true})", R"({"Variable":"$.v","StringEqualsPath":"$..x"})",
        R"({"Variable":"$.v","Bogus":1})", R"({"StringEquals":"a"})", R"({"And":[]})",
        R"({"And":{}})", R"({"Not":[]})", R"({"Variable":"$.v","And":[]})", R"([])",
        R"({"Or":[{"Variable":"$.v","IsNull":true,"Next":"X"}]})"}) {
    EXPECT_THROW(compile_rule(json::parse(rule)), query::SyntaxError) << rule;
  }
}

TEST(ChoiceRule, DeepNestingIsADefinitionError) {
  std::string rule;
  for (int i = 0; i < 500; ++i) rule += R"({"Not":)";
  rule += R"({"Variable":"$.v","IsNull":true})" + std::string(500, '}');
  EXPECT_THROW(compile_rule(json::parse(rule)), query::SyntaxError);
}

TEST(ChoiceRule, ReportsVariables) {
  std::vector<std::string> refs;
  compile_rule(json::parse(R"({"Or":[{"Variable":"$a","NumericEqualsPath":"$b.c"},
                                     {"Not":{"Variable":"$.x","IsNull":true}}]})"))
      ->add_variable_references(refs);
  EXPECT_EQ(refs, (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace stepline::asl::choice
