#include "common/errors.hpp"
#include "common/json.hpp"
#include "query/jsonpath/path.hpp"
#include "query/syntax_error.hpp"
#include "query/test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::query::jsonpath {
namespace {

using testing::Documents;

const char* kDoc = R"({"a":{"b":[1,2,3],"c":"x","n":null},
  "books":[{"title":"A","price":5,"tags":["x"]},{"title":"B","price":12},{"title":"C","price":8.5}],
  "key with space":1,"we.ird":2,"Test\\\"\"Name\"":"v"})";

std::string eval(std::string_view path, const char* doc = kDoc) {
  Documents d(doc);
  auto result = Path::compile(path).evaluate(d.ctx());
  if (!result.found()) return "!" + result.failure;
  return json::dump(result.value());
}

TEST(JsonPath, DefinitePathsPointIntoTheDocument) {
  Documents d(kDoc);
  auto result = Path::compile("$.a.b[1]").evaluate(d.ctx());
  ASSERT_TRUE(result.found());
  EXPECT_EQ(result.node, &d.input.at("a").at("b").at(1));
  EXPECT_EQ(eval("$"), json::dump(d.input));
  EXPECT_EQ(eval("$.a.c"), "\"x\"");
  EXPECT_EQ(eval("$['a']['c']"), "\"x\"");
  EXPECT_EQ(eval("$[\"a\"].n"), "null");
  EXPECT_EQ(eval("$['key with space']"), "1");
  EXPECT_EQ(eval("$.we\\.ird"), "2");
  EXPECT_EQ(eval("$.a.b[-1]"), "3");
  EXPECT_EQ(eval("$.a.b[0]"), "1");
}

TEST(JsonPath, BackslashesInQuotedNamesStayLiteral) {
  // Recorded on AWS: $['Test\""Name"'] reads the key Test\""Name".
  EXPECT_EQ(eval("$['Test\\\"\"Name\"']"), "\"v\"");
}

TEST(JsonPath, MissingNodesUseJaywayWording) {
  EXPECT_EQ(eval("$.x"), "!No results for path: $['x']");
  EXPECT_EQ(eval("$.no.such.result.path"), "!Missing property in path $['no']");
  EXPECT_EQ(eval("$.a.zz"), "!No results for path: $['a']['zz']");
  EXPECT_EQ(eval("$.a.b[7]"), "!No results for path: $['a']['b'][7]");
  EXPECT_EQ(eval("$.a.c.d").substr(0, 47), "!Expected to find an object with property ['d']");
  EXPECT_EQ(eval("$.a[0]").substr(0, 37), "!Filter: [0] can only be applied to a");
}

TEST(JsonPath, DefinitePrefixesFailAsInJayway) {
  // Definite paths fail with Jayway's wording; indefinite ones never fail (recorded on AWS:
  // `$.item.items[*]` and `$.items[1:]` on {} give []).
  EXPECT_EQ(eval("$.missing[*]"), "[]");
  EXPECT_EQ(eval("$.item.items[1:5].itemValue", "{}"), "[]");
  EXPECT_EQ(eval("$.a.n[*]"), "[]");
  EXPECT_EQ(eval("$.a.n[0]"), "!The path $['a']['n'] is null");
  EXPECT_EQ(eval("$.a.n[1:]"), "[]");
  EXPECT_EQ(eval("$.a.c[0,1]"), "[]");
  EXPECT_EQ(eval("$.a.c[?(@.x)]"), "[]");
  EXPECT_EQ(eval("$.a.c[0]"),
            "!Filter: [0] can only be applied to arrays. Current context is: \"x\"");
  EXPECT_EQ(eval("$.a.c['p','q']"),
            "!Expected to find an object with property ['p','q'] in path $['a']['c'] but found "
            "'java.lang.String'");
  EXPECT_EQ(eval("$.a.b[9].x"), "!No results for path: $['a']['b'][9]['x']");
}

TEST(JsonPath, IndefinitePathsCollectMatches) {
  EXPECT_EQ(eval("$.a.b[*]"), "[1,2,3]");
  EXPECT_EQ(eval("$.a.*"), R"([[1,2,3],"x",null])");
  EXPECT_EQ(eval("$[*]", "{}"), "[]");
  EXPECT_EQ(eval("$.books[*].title"), R"(["A","B","C"])");
  EXPECT_EQ(eval("$.a.b[1:]"), "[2,3]");
  EXPECT_EQ(eval("$.a.b[:2]"), "[1,2]");
  EXPECT_EQ(eval("$.a.b[-2:]"), "[2,3]");
  EXPECT_EQ(eval("$.a.b[0,2]"), "[1,3]");
  EXPECT_EQ(eval("$.a.b[5:9]"), "[]");
  // Jayway merges a final multi-name selection into one object (present names only).
  EXPECT_EQ(eval("$.a['c','n','zz']"), R"({"c":"x","n":null})");
  EXPECT_TRUE(Path::compile("$.a['c','n']").is_definite());
  EXPECT_FALSE(Path::compile("$.a['c','n']").is_reference());
  EXPECT_EQ(eval("$.books[*]['title','price']"),
            R"([{"title":"A","price":5},{"title":"B","price":12},{"title":"C","price":8.5}])");
  EXPECT_EQ(eval("$['books','a'][0]"), R"([{"title":"A","price":5,"tags":["x"]}])");
  EXPECT_EQ(eval("$..price"), "[5,12,8.5]");
  EXPECT_EQ(eval("$..tags[0]"), R"(["x"])");
  EXPECT_EQ(eval("$.books[*].missing"), "[]");
  EXPECT_EQ(eval("$.books[*].tags[0]"), R"(["x"])");
  EXPECT_EQ(eval("$..missing"), "[]");
}

TEST(JsonPath, Filters) {
  EXPECT_EQ(eval("$.books[?(@.price >= 8.5)].title"), R"(["B","C"])");
  EXPECT_EQ(eval("$.books[?(@.price < 6)].title"), R"(["A"])");
  EXPECT_EQ(eval("$.books[?(@.title == 'B')].price"), "[12]");
  EXPECT_EQ(eval("$.books[?(@.title != 'B')].price"), "[5,8.5]");
  EXPECT_EQ(eval("$.books[?(@.tags)].title"), R"(["A"])");
  EXPECT_EQ(eval("$.books[?(!@.tags)].title"), R"(["B","C"])");
  EXPECT_EQ(eval("$.books[?(@.price > 6 && @.price < 10)].title"), R"(["C"])");
  EXPECT_EQ(eval("$.books[?(@.price == 5 || @.title == \"C\")].title"), R"(["A","C"])");
  EXPECT_EQ(eval("$.books[?((@.price <= 5))].title"), R"(["A"])");
  EXPECT_EQ(eval("$.books[?(@.price > $.books[0].price)].title"), R"(["B","C"])");
  EXPECT_EQ(eval(R"($.s[?(@.s == 0)])", R"({"s":[{"s":0},{"s":1},{"s":"0"}]})"), R"([{"s":0}])");
}

TEST(JsonPath, SelectThrowsAwsWording) {
  Documents d(R"({"a":1})");
  EXPECT_EQ(json::dump(Path::compile("$.a").select(d.ctx())), "1");
  EXPECT_EQ(json::dump(Path::compile("$.*").select(d.ctx())), "[1]");
  try {
    Path::compile("$.NoSuchInputPath").select(d.ctx());
    ADD_FAILURE();
  } catch (const StatesException& e) {
    EXPECT_EQ(e.error(), errors::kRuntime);
    EXPECT_EQ(e.cause(),
              "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']");
  }
  EXPECT_THROW(Path::compile("$undefined").select(d.ctx()), StatesException);
}

TEST(JsonPath, ClassifiesPaths) {
  EXPECT_TRUE(Path::compile("$.a['b'][0]").is_reference());
  EXPECT_TRUE(Path::compile("$.a[-1]").is_definite());
  for (const char* p : {"$.a[*]", "$..a", "$.a[0,1]", "$.a[1:2]", "$.a[?(@.x)]", "$.*"}) {
    EXPECT_FALSE(Path::compile(p).is_reference()) << p;
    EXPECT_FALSE(Path::compile(p).is_definite()) << p;
  }
  EXPECT_EQ(Path::compile("$$.Execution.Id").root(), Root::Context);
  auto var = Path::compile("$myVar.x[0]");
  EXPECT_EQ(var.root(), Root::Variable);
  EXPECT_EQ(var.variable(), "myVar");
  std::vector<std::string> refs;
  var.add_variable_references(refs);
  EXPECT_EQ(refs, std::vector<std::string>{"myVar"});
}

TEST(JsonPath, ContextAndVariables) {
  Documents d("{}", R"({"Execution":{"Name":"run-1"}})");
  d.variables.values["count"] = json::parse(R"({"n":[4,5]})");
  auto ctx = d.ctx();
  EXPECT_EQ(json::dump(Path::compile("$$.Execution.Name").evaluate(ctx).value()), "\"run-1\"");
  EXPECT_EQ(json::dump(Path::compile("$count.n[1]").evaluate(ctx).value()), "5");
  EXPECT_EQ(json::dump(Path::compile("$count").evaluate(ctx).value()), R"({"n":[4,5]})");
  auto unknown = Path::compile("$nope.x").evaluate(ctx);
  EXPECT_EQ(unknown.status, PathResult::Status::UnknownVariable);
  EXPECT_NE(unknown.failure.find("nope"), std::string::npos);
}

TEST(JsonPath, RejectsBadSyntax) {
  EXPECT_EQ(eval(" $.a.c "), "\"x\"");  // Jayway trims surrounding whitespace
  for (const char* p :
       {"", "a.b", "$.", "$..", "$.a.", "$[", "$['a'", "$[a]", "$.a[?(@.x =~ /a/)]", "$.length()",
        "$.a[?(@.x >)]", "$.a b", "$[1:2:3]", "$...a", "$[?(@.a]", "$[99999999999999999999]"}) {
    EXPECT_THROW(Path::compile(p), SyntaxError) << p;
  }
}

TEST(JsonPath, DeeplyNestedFiltersAreRejectedNotOverflowed) {
  std::string nested = "$[?(" + std::string(500, '(') + "@.a" + std::string(500, ')') + ")]";
  EXPECT_THROW(Path::compile(nested), SyntaxError);
  std::string nots = "$[?(" + std::string(500, '!') + "@.a)]";
  EXPECT_THROW(Path::compile(nots), SyntaxError);
}

TEST(JsonPath, DeepDocumentsDoNotExhaustTheStack) {
  std::string doc;
  for (int i = 0; i < 800; ++i) doc += "{\"a\":";
  doc += "1";
  for (int i = 0; i < 800; ++i) doc += "}";
  Documents d(doc);
  auto result = Path::compile("$..a").evaluate(d.ctx());
  ASSERT_TRUE(result.found());
  EXPECT_EQ(result.value().as_array().size(), 800u);
}

}  // namespace
}  // namespace stepline::query::jsonpath
