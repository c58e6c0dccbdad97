#include "query/jsonpath/result_path.hpp"
#include "common/errors.hpp"
#include "common/json.hpp"
#include "query/syntax_error.hpp"

#include <gtest/gtest.h>

namespace stepline::query::jsonpath {
namespace {

std::string apply(const char* path, const char* input, const char* result) {
  auto rp = ResultPath::compile(path ? json::Value(json::String(path)) : json::Value());
  return json::dump(rp.apply(json::parse(input), json::parse(result)));
}

TEST(ResultPath, ReplaceDiscardAndMerge) {
  EXPECT_EQ(apply("$", R"({"a":1})", R"({"r":2})"), R"({"r":2})");
  EXPECT_EQ(apply(nullptr, R"({"a":1})", R"({"r":2})"), R"({"a":1})");
  EXPECT_EQ(apply("$.r", R"({"a":1})", "2"), R"({"a":1,"r":2})");
  EXPECT_EQ(apply("$.a", R"({"a":1})", "[3]"), R"({"a":[3]})");
  EXPECT_EQ(apply("$.x.y.z", R"({"a":1})", "true"), R"({"a":1,"x":{"y":{"z":true}}})");
  EXPECT_EQ(apply("$.l[1]", R"({"l":[0,0]})", "5"), R"({"l":[0,5]})");
  EXPECT_EQ(apply("$['q r']", "{}", "1"), R"({"q r":1})");
  EXPECT_EQ(json::dump(ResultPath::replace().apply(json::parse("1"), json::parse("2"))), "2");
  EXPECT_EQ(json::dump(ResultPath::discard().apply(json::parse("1"), json::parse("2"))), "1");
}

TEST(ResultPath, FailsWhenTheInputCannotHoldTheResult) {
  for (auto [path, input] : {std::pair{"$.x", "\"text\""}, std::pair{"$.a.b", R"({"a":3})"},
                             std::pair{"$.l[5]", R"({"l":[]})"}, std::pair{"$[0]", "{}"}}) {
    try {
      apply(path, input, "1");
      ADD_FAILURE() << path;
    } catch (const StatesException& e) {
      EXPECT_EQ(e.error(), errors::kResultPathMatchFailure);
      EXPECT_NE(e.cause().find("Unable to apply step"), std::string::npos) << e.cause();
    }
  }
}

TEST(ResultPath, MustBeAReferencePathIntoTheInput) {
  for (const char* p : {"$.a[*]", "$$.Execution", "$var.x", "$..a", "x"}) {
    EXPECT_THROW(ResultPath::compile(json::Value(json::String(p))), SyntaxError) << p;
  }
  EXPECT_THROW(ResultPath::compile(json::Value(3)), SyntaxError);
}

}  // namespace
}  // namespace stepline::query::jsonpath
