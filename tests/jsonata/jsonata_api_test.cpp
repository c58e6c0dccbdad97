// The public API of the JSONata engine: compile/evaluate, inputs and bindings, errors, limits,
// host functions and $eval control.
#include "common/json.hpp"
#include "query/jsonata/jsonata.hpp"

#include <gtest/gtest.h>

namespace stepline::jsonata {
namespace {

std::optional<json::Value> eval(const std::string& expr, const std::string& input = "null",
                                const EvaluateOptions& options = {}) {
  json::Value doc = json::parse(input);
  return Expression::compile(expr).evaluate(&doc, nullptr, options);
}

std::string eval_text(const std::string& expr, const std::string& input = "null") {
  auto r = eval(expr, input);
  return r ? json::dump(*r) : "undefined";
}

std::string error_code(const std::string& expr, const std::string& input = "null") {
  try {
    eval(expr, input);
  } catch (const Error& e) {
    return e.code();
  }
  return "none";
}

TEST(JsonataApi, PathsOverInput) {
  EXPECT_EQ(eval_text("a.b", R"({"a":[{"b":1},{"b":[2,3]}]})"), "[1,2,3]");
  EXPECT_EQ(eval_text("a.b[]", R"({"a":{"b":1}})"), "[1]");
  EXPECT_EQ(eval_text("missing", R"({"a":1})"), "undefined");
}

TEST(JsonataApi, IntegralResultsComeBackAsIntegers) {
  auto r = eval("1 + 2");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->is_int64());
  EXPECT_EQ(r->get_int64(), 3);
  auto d = eval("0.1 + 0.2");
  ASSERT_TRUE(d && d->is_double());
  EXPECT_DOUBLE_EQ(d->get_double(), 0.30000000000000004);
}

TEST(JsonataApi, StringsFollowJavaScript) {
  EXPECT_EQ(eval_text("$string(1e21)"), "\"1e+21\"");
  EXPECT_EQ(eval_text("$string(0.1 + 0.2)"), "\"0.3\"");
  EXPECT_EQ(eval_text("$length('\xF0\x9F\x92\xA9x')"), "2");
  EXPECT_EQ(eval_text("$uppercase('stra\xC3\x9F"
                      "e')"),
            "\"STRASSE\"");
}

TEST(JsonataApi, UndefinedInputDiffersFromNull) {
  auto compiled = Expression::compile("$type($)");
  EXPECT_FALSE(compiled.evaluate(nullptr).has_value());
  json::Value null_doc = nullptr;
  EXPECT_EQ(json::dump(*compiled.evaluate(&null_doc)), "\"null\"");
}

TEST(JsonataApi, BindingsAreVariables) {
  auto compiled = Expression::compile("$x * 2 + a");
  json::Value input = json::parse(R"({"a":1})");
  json::Object bindings;
  bindings["x"] = 20;
  EXPECT_EQ(json::dump(*compiled.evaluate(&input, &bindings)), "41");
}

TEST(JsonataApi, CompileOnceEvaluateMany) {
  auto compiled = Expression::compile("$sum(items.price)");
  for (int i = 1; i <= 3; ++i) {
    json::Value input =
        json::parse(R"({"items":[{"price":)" + std::to_string(i) + R"(},{"price":1}]})");
    EXPECT_EQ(json::dump(*compiled.evaluate(&input)), std::to_string(i + 1));
  }
}

TEST(JsonataApi, SyntaxErrorsCarryCodeTokenAndPosition) {
  try {
    Expression::compile("a + ]");
    FAIL() << "expected a syntax error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "S0211");
    EXPECT_EQ(e.token.value_or(""), "]");
    EXPECT_EQ(e.position(), 5);
    EXPECT_EQ(e.message(), "The symbol \"]\" cannot be used as a unary operator");
  }
  EXPECT_EQ(error_code("\"unterminated"), "S0101");
  EXPECT_EQ(error_code("1 ="), "S0207");
}

TEST(JsonataApi, EvaluationErrorsCarryTheReferenceMessage) {
  try {
    eval("1 + 'a'");
    FAIL() << "expected T2002";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "T2002");
    EXPECT_EQ(e.message(), "The right side of the \"+\" operator must evaluate to a number");
    EXPECT_EQ(e.token.value_or(""), "+");
  }
  EXPECT_EQ(error_code("$error('boom')"), "D3137");
  EXPECT_EQ(error_code("$sum('a')"), "T0412");
  EXPECT_EQ(error_code("$substring('a', 'b')"), "T0410");
}

TEST(JsonataApi, DepthLimitRaisesU1001) {
  const std::string factorial = "($f := function($n){$n = 0 ? 1 : $n * $f($n - 1)}; $f(N))";
  EvaluateOptions options;
  options.limits.max_depth = 302;
  options.limits.time_limit_ms = 10000;
  auto run = [&](int n) {
    std::string expr = factorial;
    expr.replace(expr.find('N'), 1, std::to_string(n));
    json::Value doc = nullptr;
    return Expression::compile(expr).evaluate(&doc, nullptr, options);
  };
  EXPECT_NO_THROW(run(99));
  try {
    run(100);
    FAIL() << "expected U1001";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "U1001");
  }
}

TEST(JsonataApi, TimeLimitRaisesU1001) {
  EvaluateOptions options;
  options.limits.time_limit_ms = 50;
  try {
    eval("($inf := function(){$inf()}; $inf())", "null", options);
    FAIL() << "expected U1001";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "U1001");
  }
}

TEST(JsonataApi, TailCallsRunInConstantDepth) {
  EvaluateOptions options;
  options.limits.max_depth = 100;
  auto r = eval(
      "($loop := function($n, $acc){$n = 0 ? $acc : $loop($n - 1, $acc + 1)}; $loop(10000, 0))",
      "null", options);
  ASSERT_TRUE(r);
  EXPECT_EQ(json::dump(*r), "10000");
}

TEST(JsonataApi, HostFunctionsAndEvalSwitch) {
  Environment env;
  env.define("double", "<n:n>", [](const std::vector<std::optional<json::Value>>& args) {
    double v = 0;
    json::as_double(*args[0], v);
    return std::optional<json::Value>(v * 2);
  });
  env.disable_eval();
  EvaluateOptions options;
  options.environment = &env;
  json::Value doc = nullptr;
  EXPECT_EQ(json::dump(*Expression::compile("$double(21)").evaluate(&doc, nullptr, options)), "42");
  EXPECT_EQ(json::dump(*Expression::compile("[1,2].$double($)").evaluate(&doc, nullptr, options)),
            "[2,4]");
  try {
    Expression::compile("$double('x')").evaluate(&doc, nullptr, options);
    FAIL() << "expected T0410";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "T0410");
  }
  try {
    Expression::compile("$eval('1')").evaluate(&doc, nullptr, options);
    FAIL() << "expected T1006";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "T1006");
  }
  // without the environment, $eval is the built-in
  EXPECT_EQ(json::dump(*Expression::compile("$eval('1 + 1')").evaluate(&doc)), "2");
}

// Large inputs go through filters, $reduce and $distinct correctly. Speed is measured by
// bench/jsonata, never asserted here.
TEST(JsonataApi, LargeArraysEvaluate) {
  json::Array items;
  for (int i = 0; i < 200000; ++i) items.push_back(i);
  json::Value doc = json::Object{{"items", items}};
  auto r = Expression::compile("$count(items[$ % 2 = 0].($ * 2))").evaluate(&doc);
  auto r2 = Expression::compile("$reduce(items, function($a, $b){$a + $b})").evaluate(&doc);
  auto r3 = Expression::compile("$count($distinct(items))").evaluate(&doc);
  EXPECT_EQ(json::dump(*r), "100000");
  EXPECT_EQ(json::dump(*r2), "19999900000");
  EXPECT_EQ(json::dump(*r3), "200000");
}

TEST(JsonataApi, DateTimeFunctionsUseTheFixedClock) {
  EvaluateOptions options;
  options.now_millis = 1700000000000;
  json::Value doc = nullptr;
  EXPECT_EQ(json::dump(*Expression::compile("$now()").evaluate(&doc, nullptr, options)),
            "\"2023-11-14T22:13:20.000Z\"");
  EXPECT_EQ(json::dump(*Expression::compile("$millis()").evaluate(&doc, nullptr, options)),
            "1700000000000");
  EXPECT_EQ(eval_text("$fromMillis(1510067557121, '[Y0001]-[M01]-[D01] [H01]:[m01]', '-0500')"),
            "\"2017-11-07 10:12\"");
  EXPECT_EQ(eval_text("$toMillis('2017-11-07T15:12:37.121Z')"), "1510067557121");
  EXPECT_EQ(eval_text("$formatNumber(1234.5678, '#,##0.00')"), "\"1,234.57\"");
  EXPECT_EQ(eval_text("$formatInteger(1999, 'I')"), "\"MCMXCIX\"");
}

}  // namespace
}  // namespace stepline::jsonata

namespace stepline::jsonata {
namespace {

TEST(JsonataApi, DeepRecursionWithoutLimitsFailsCleanly) {
  const std::string sum = "($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(N))";
  auto run = [&](int n) {
    std::string expr = sum;
    expr.replace(expr.find('N'), 1, std::to_string(n));
    return Expression::compile(expr).evaluate(nullptr);
  };
  EXPECT_EQ(json::dump(*run(200)), "200");
  try {
    run(100000);
    FAIL() << "expected U1001";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "U1001");
  }
  // deeply nested source text is rejected or evaluated, never a crash
  std::string nested(5000, '(');
  nested += "1";
  nested += std::string(5000, ')');
  try {
    Expression::compile(nested).evaluate(nullptr);
  } catch (const Error& e) {
    EXPECT_FALSE(e.code().empty());
  }
}

}  // namespace
}  // namespace stepline::jsonata

namespace stepline::jsonata {
namespace {

TEST(JsonataApi, DocumentsAreConvertedOnceAndReused) {
  Document input(json::parse(R"({"items":[{"p":2},{"p":3}]})"));
  DocumentBindings bindings{{"factor", Document(json::Value(10))}};
  auto sum = Expression::compile("$sum(items.p) * $factor");
  auto first = Expression::compile("items[0][]");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(json::dump(*sum.evaluate(input, bindings)), "50");
    EXPECT_EQ(json::dump(*first.evaluate(input, bindings)), "[{\"p\":2}]");
  }
  EXPECT_FALSE(Expression::compile("$").evaluate(Document()).has_value());
  EXPECT_TRUE(Document().undefined());
}

TEST(JsonataApi, ObjectKeysEnumerateLikeJavaScript) {
  json::Value doc = json::parse(R"({"b":1,"10":2,"a":3,"2":4})");
  EXPECT_EQ(json::dump(*Expression::compile("$keys($)").evaluate(&doc)),
            "[\"2\",\"10\",\"b\",\"a\"]");
  json::Value zero = json::parse("null");
  EXPECT_EQ(json::dump(*Expression::compile("-0").evaluate(&zero)), "0");
}

}  // namespace
}  // namespace stepline::jsonata
