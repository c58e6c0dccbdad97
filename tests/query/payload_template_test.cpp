#include "query/template/payload_template.hpp"
#include "common/errors.hpp"
#include "common/json.hpp"
#include "query/syntax_error.hpp"
#include "query/template/expression.hpp"
#include "query/test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::query {
namespace {

using testing::Documents;

std::string render(std::string_view tmpl, std::string_view input, std::string_view context = "{}") {
  Documents d(input, context);
  d.variables.values["greeting"] = json::parse(R"j({"text":"hi"})j");
  return json::dump(PayloadTemplate::compile(json::parse(tmpl)).evaluate(d.ctx()));
}

TEST(PayloadTemplate, RenamesAndEvaluatesDollarKeys) {
  EXPECT_EQ(render(R"j({"a.$":"$.x","b":"$.x","c":{"d.$":"$$.Id"},"e":[{"f.$":"$greeting.text"},2],
                      "g.$":"States.Format('{}!', $.x)","h.$":"$.l[*].v"})j",
                   R"j({"x":"X","l":[{"v":1},{"v":2}]})j", R"j({"Id":"ctx"})j"),
            R"j({"a":"X","b":"$.x","c":{"d":"ctx"},"e":[{"f":"hi"},2],"g":"X!","h":[1,2]})j");
}

TEST(PayloadTemplate, LiteralsAreCopiedAsTheyAre) {
  EXPECT_EQ(render(R"j({"n":1,"s":"States.UUID()","o":{"k":[true,null]}})j", "{}"),
            R"j({"n":1,"s":"States.UUID()","o":{"k":[true,null]}})j");
  EXPECT_EQ(render(R"j([1,{"a.$":"$"}])j", "7"), R"j([1,{"a":7}])j");
  EXPECT_EQ(render(R"j({"whole.$":"$"})j", R"j({"k":1})j"), R"j({"whole":{"k":1}})j");
}

TEST(PayloadTemplate, MissingPathsAreRuntimeErrors) {
  auto tmpl = PayloadTemplate::compile(json::parse(R"j({"value.$":"$.no_such_jsonpath"})j"));
  Documents d(R"j({"a":1})j");
  try {
    tmpl.evaluate(d.ctx());
    ADD_FAILURE();
  } catch (const StatesException& e) {
    EXPECT_EQ(e.error(), errors::kRuntime);
    EXPECT_EQ(e.cause(),
              "The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be "
              "found in the input '{\"a\":1}'");
  }
  auto context_path =
      PayloadTemplate::compile(json::parse(R"j({"value.$":"$$.Execution.Input.nope"})j"));
  EXPECT_THROW(context_path.evaluate(d.ctx()), StatesException);
  auto variable = PayloadTemplate::compile(json::parse(R"j({"value.$":"$undefinedVar"})j"));
  try {
    variable.evaluate(d.ctx());
    ADD_FAILURE();
  } catch (const StatesException& e) {
    EXPECT_EQ(e.error(), errors::kRuntime);
    EXPECT_NE(e.cause().find("undefinedVar"), std::string::npos);
  }
}

TEST(PayloadTemplate, DefinitionErrors) {
  for (const char* bad :
       {R"j({"a.$":1})j", R"j({"a.$":"nope"})j", R"j({"a":1,"a.$":"$"})j",
        R"j({"x":{"a.$":"$["}})j", R"j({"a.$":"States.Nope()"})j", R"j([{"a.$":null}])j"}) {
    EXPECT_THROW(PayloadTemplate::compile(json::parse(bad)), SyntaxError) << bad;
  }
  try {
    PayloadTemplate::compile(json::parse(
        R"j({"parsed.$":"States.StringToJson('{\"text\":\"An \\\"escaped\\\" here\"}')"})j"));
    ADD_FAILURE();
  } catch (const SyntaxError& e) {
    EXPECT_STREQ(e.what(),
                 "The value for the field 'parsed.$' must be a valid JSONPath or a valid "
                 "intrinsic function call");
  }
}

TEST(PayloadTemplate, ReportsVariableReferences) {
  std::vector<std::string> refs;
  PayloadTemplate::compile(json::parse(R"j({"a.$":"$x","b":[{"c.$":"States.Array($y.z)"}]})j"))
      .add_variable_references(refs);
  EXPECT_EQ(refs, (std::vector<std::string>{"x", "y"}));
}

TEST(Expression, KindsAndFieldNames) {
  auto path = Expression::compile("$.a");
  EXPECT_TRUE(path.is_path());
  EXPECT_FALSE(path.is_intrinsic());
  auto call = Expression::compile("States.UUID()");
  EXPECT_TRUE(call.is_intrinsic());
  EXPECT_THROW(Expression::compile("plain"), SyntaxError);
  Documents d("{}");
  try {
    Expression::compile("$.ErrorX").evaluate(d.ctx(), "ErrorPath");
    ADD_FAILURE();
  } catch (const StatesException& e) {
    EXPECT_EQ(e.cause(),
              "The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in "
              "the input '{}'");
  }
}

}  // namespace
}  // namespace stepline::query
