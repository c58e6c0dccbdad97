#include "common/errors.hpp"
#include "common/ids.hpp"
#include "common/json.hpp"
#include "query/intrinsics/intrinsic_call.hpp"
#include "query/syntax_error.hpp"
#include "query/test_support.hpp"

#include <gtest/gtest.h>

#include <set>

namespace stepline::query::intrinsics {
namespace {

using testing::Documents;

// The result as compact JSON, or "!<error>" when the call fails at run time.
std::string call(std::string_view text, std::string_view input = "{}") {
  Documents d(input, R"({"StateMachine":{"Name":"alpha-beta-gamma"}})");
  d.variables.values["v"] = json::parse(R"({"list":[1,2,2],"name":"x"})");
  RandomIdSource ids(42);
  EvalContext ctx = d.ctx();
  ctx.ids = &ids;
  try {
    return json::dump(IntrinsicCall::compile(text).evaluate(ctx, "f.$"));
  } catch (const StatesException& e) {
    return "!" + e.error();
  }
}

TEST(Intrinsics, Format) {
  EXPECT_EQ(call("States.Format('Hello, {}!', $.n)", R"({"n":"World"})"), R"("Hello, World!")");
  EXPECT_EQ(call("States.Format('{} {} {} {}', $.a, $.b, $.c, $.d)",
                 R"({"a":null,"b":1,"c":1.1,"d":true})"),
            R"("null 1 1.1 true")");
  EXPECT_EQ(call("States.Format('{}', $.o)", R"({"o":{"Arg1":1,"Arg2":[]}})"),
            R"("{Arg1=1, Arg2=[]}")");
  EXPECT_EQ(call("States.Format('{}', $.o)", R"({"o":{"a":"s","b":[1,"t"]}})"),
            R"("{a=s, b=[1, t]}")");
  EXPECT_EQ(call("States.Format('{}', $.l)", R"({"l":[1,2]})"), R"("[1,2]")");
  EXPECT_EQ(call("States.Format('\\{\\} {} it\\'s \\\\', 'x')"), R"("{} x it's \\")");
  EXPECT_EQ(call("States.Format('no placeholders')"), R"("no placeholders")");
  EXPECT_EQ(call("States.Format('{} {}', 'one')"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.Format('{}', 'one', 'two')"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.Format($.t, 'a')", R"({"t":"<{}>"})"), R"("<a>")");
  EXPECT_EQ(call("States.Format(1)"), "!States.IntrinsicFailure");
}

TEST(Intrinsics, StringToJsonAndBack) {
  EXPECT_EQ(call("States.StringToJson($.s)", R"({"s":""})"), "null");
  EXPECT_EQ(call("States.StringToJson($.s)", R"({"s":" "})"), "null");
  EXPECT_EQ(call("States.StringToJson($.s)", R"({"s":"-0"})"), "0");
  EXPECT_EQ(call("States.StringToJson($.s)", R"({"s":"1.1"})"), "1.1");
  EXPECT_EQ(call("States.StringToJson($.s)", R"({"s":"null"})"), "null");
  EXPECT_EQ(call("States.StringToJson($.s)", R"({"s":"{\"a\": [1, \"x\"]}"})"), R"({"a":[1,"x"]})");
  EXPECT_EQ(call("States.StringToJson($.s)", R"({"s":"{bad"})"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.StringToJson($.s)", R"({"s":1})"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.JsonToString($.o)", R"({"o":{"Arg1":1,"Arg2":[]}})"),
            R"("{\"Arg1\":1,\"Arg2\":[]}")");
  EXPECT_EQ(call("States.JsonToString($.o)", R"({"o":"HelloWorld"})"), R"("\"HelloWorld\"")");
  EXPECT_EQ(call("States.JsonToString($.o)", R"({"o":1.1})"), R"("1.1")");
}

TEST(Intrinsics, Arrays) {
  EXPECT_EQ(call("States.Array()"), "[]");
  EXPECT_EQ(call("States.Array('a', 1, true, null, $.x, States.Array(2))", R"({"x":{"k":1}})"),
            R"(["a",1,true,null,{"k":1},[2]])");
  EXPECT_EQ(call("States.ArrayPartition($.a, 2)", R"({"a":[0,1,2]})"), "[[0,1],[2]]");
  EXPECT_EQ(call("States.ArrayPartition($.a, 5)", R"({"a":[]})"), "[]");
  EXPECT_EQ(call("States.ArrayPartition($.a, 0)", R"({"a":[1]})"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.ArrayPartition($.a, 1.5)", R"({"a":[1]})"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.ArrayPartition('x', 1)"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.ArrayContains($.a, $.b)", R"({"a":[[1,2,3],2],"b":[1,2,3]})"), "true");
  EXPECT_EQ(call("States.ArrayContains($.a, $.b)", R"({"a":[{}],"b":[]})"), "false");
  EXPECT_EQ(call("States.ArrayContains($.a, 1.0)", R"({"a":[1]})"), "true");
  EXPECT_EQ(call("States.ArrayRange(0, 10, 3)"), "[0,3,6,9]");
  EXPECT_EQ(call("States.ArrayRange(1, 9, 9)"), "[1]");
  EXPECT_EQ(call("States.ArrayRange(1, 9, 2)"), "[1,3,5,7,9]");
  EXPECT_EQ(call("States.ArrayRange(5, 1, 1)"), "[]");
  EXPECT_EQ(call("States.ArrayRange(5, 1, -2)"), "[5,3,1]");
  EXPECT_EQ(call("States.ArrayRange(1, 2, 0)"), "!States.IntrinsicFailure");
  EXPECT_EQ(json::parse(call("States.ArrayRange(1, 1000, 1)")).as_array().size(), 1000u);
  EXPECT_EQ(call("States.ArrayRange(0, 1000, 1)"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.ArrayRange(-9223372036854775807, 9223372036854775807, 1)"),
            "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.ArrayGetItem($.a, 1)", R"({"a":["x","y"]})"), R"("y")");
  EXPECT_EQ(call("States.ArrayGetItem($.a, 2)", R"({"a":["x","y"]})"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.ArrayGetItem($.a, -1)", R"({"a":["x"]})"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.ArrayLength($.a)", R"({"a":[1,2,3]})"), "3");
  EXPECT_EQ(call("States.ArrayLength($.a)", R"({"a":"abc"})"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.ArrayUnique($.a)", R"({"a":[1,1.0,"1",[1],[1],{"a":1},{"a":1},null]})"),
            R"([1,"1",[1],{"a":1},null])");
}

TEST(Intrinsics, NestedCallsAndContext) {
  EXPECT_EQ(call("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)"),
            R"("alpha")");
  EXPECT_EQ(call("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), "
                 "States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, "
                 "'-')), -1))"),
            R"("gamma")");
  EXPECT_EQ(call("States.ArrayLength($v.list)"), "3");
  EXPECT_EQ(call("States.ArrayUnique($v.list)"), "[1,2]");
}

TEST(Intrinsics, Encoding) {
  EXPECT_EQ(call("States.Base64Encode('Data to encode')"), R"("RGF0YSB0byBlbmNvZGU=")");
  EXPECT_EQ(call("States.Base64Encode('')"), R"("")");
  EXPECT_EQ(call("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')"), R"("Data to encode")");
  EXPECT_EQ(call("States.Base64Decode('')"), R"("")");
  EXPECT_EQ(call("States.Base64Decode('%%%')"), "!States.IntrinsicFailure");
  // Bytes that are not UTF-8 (0xFF, a truncated 3-byte sequence) decode to U+FFFD.
  EXPECT_EQ(call("States.Base64Decode('/w==')"), "\"\xEF\xBF\xBD\"");
  EXPECT_EQ(call("States.Base64Decode('YeKC')"), "\"a\xEF\xBF\xBD\"");
  EXPECT_EQ(call("States.Base64Decode('4oKs')"), "\"\xE2\x82\xAC\"");
  EXPECT_EQ(call("States.Base64Encode(1)"), "!States.IntrinsicFailure");
  std::string big(10001, 'a');
  EXPECT_EQ(call("States.Base64Encode($.s)", R"({"s":")" + big + "\"}"),
            "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.Base64Decode($.s)", R"({"s":")" + big + "\"}"),
            "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.Hash('input data', 'MD5')"), R"("812f45842bc6d66ee14572ce20db8e86")");
  EXPECT_EQ(call("States.Hash('input data', 'SHA-1')"),
            R"("aaff4a450a104cd177d28d18d74485e8cae074b7")");
  EXPECT_EQ(call("States.Hash('input data', 'SHA-256')"),
            R"("b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3")");
  EXPECT_EQ(call("States.Hash('input data', 'sha-256')"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.Hash($.s, 'MD5')", R"({"s":")" + big + "\"}"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.Hash(1, 'MD5')"), R"("c4ca4238a0b923820dcc509a6f75849b")");
}

TEST(Intrinsics, StringSplit) {
  EXPECT_EQ(call("States.StringSplit('1,2,3', ',')"), R"(["1","2","3"])");
  EXPECT_EQ(call("States.StringSplit(' , ', ',')"), R"([" "," "])");
  EXPECT_EQ(call("States.StringSplit(', , ,', ',')"), R"([" "," "])");
  EXPECT_EQ(call("States.StringSplit(',,,,', ',')"), "[]");
  EXPECT_EQ(call("States.StringSplit('This.is+a,test=string', '.+,=')"),
            R"(["This","is","a","test","string"])");
  EXPECT_EQ(call("States.StringSplit('Hello\nWorld', '\n')"), R"(["Hello","World"])");
  EXPECT_EQ(call("States.StringSplit('aéb', 'é')"), R"(["a","b"])");
  EXPECT_EQ(call("States.StringSplit(1, ',')"), "!States.IntrinsicFailure");
}

TEST(Intrinsics, Math) {
  EXPECT_EQ(call("States.MathAdd(-9, 3)"), "-6");
  EXPECT_EQ(call("States.MathAdd(1.49, 1.5)"), "3");
  EXPECT_EQ(call("States.MathAdd(-1.5, -1.51)"), "-3");
  EXPECT_EQ(call("States.MathAdd(-0.5, 0.5)"), "1");
  EXPECT_EQ(call("States.MathAdd(-2.5, 0)"), "-2");
  EXPECT_EQ(call("States.MathAdd(2.5, 0)"), "3");
  EXPECT_EQ(call("States.MathAdd('1', 0)"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.MathAdd(1e300, 0)"), "!States.IntrinsicFailure");
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string r = call("States.MathRandom(12.5, 14.51)");
    EXPECT_TRUE(r == "12" || r == "13") << r;  // end exclusive, as AWS documents
  }
  EXPECT_EQ(call("States.MathRandom(0, 999, 3)"), call("States.MathRandom(0, 999, 3)"));
  EXPECT_EQ(call("States.MathRandom(5, 6)"), "5");
  EXPECT_EQ(call("States.MathRandom(5, 5)"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.MathRandom(6, 5)"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.MathRandom('a', 5)"), "!States.IntrinsicFailure");
  std::string uuid = call("States.UUID()");
  EXPECT_EQ(uuid.size(), 38u);
  EXPECT_EQ(uuid[15], '4');
}

TEST(Intrinsics, JsonMerge) {
  EXPECT_EQ(
      call("States.JsonMerge($.a, $.b, false)",
           R"({"a":{"a":{"a1":1,"a2":2},"b":2,"d":3},"b":{"a":{"a3":1,"a4":2},"c":3,"d":4}})"),
      R"({"a":{"a3":1,"a4":2},"b":2,"d":4,"c":3})");
  EXPECT_EQ(call("States.JsonMerge($.a, $.a, true)", R"({"a":{}})"), "!States.IntrinsicFailure");
  EXPECT_EQ(call("States.JsonMerge($.a, 1, false)", R"({"a":{}})"), "!States.IntrinsicFailure");
}

TEST(Intrinsics, MissingArgumentPathsAreRuntimeErrors) {
  Documents d(R"({"a":1})");
  try {
    IntrinsicCall::compile("States.Array($.nope)").evaluate(d.ctx(), "x.$");
    ADD_FAILURE();
  } catch (const StatesException& e) {
    EXPECT_EQ(e.error(), errors::kRuntime);
    EXPECT_EQ(e.cause(),
              "The JSONPath '$.nope' specified for the field 'x.$' could not be found in the "
              "input '{\"a\":1}'");
  }
  EXPECT_EQ(call("States.Array($undefined)"), "!States.Runtime");
}

TEST(Intrinsics, DefinitionErrors) {
  for (const char* text : {"States.Nope()",
                           "States.UUID(1)",
                           "States.MathAdd(1)",
                           "States.ArrayRange(1,2)",
                           "States.Hash('a')",
                           "States.MathRandom(1)",
                           "States.MathRandom(1,2,3,4)",
                           "States.JsonMerge($.a, $.b)",
                           "States.StringToJson()",
                           "States.Format()",
                           "States.Format('x'",
                           "States.Format('x') extra",
                           "States.Format('unterminated)",
                           R"(States.StringToJson('{"text":"An \"escaped\" quote"}'))",
                           "States.Format('a\\')",
                           "States.Format('x', foo)",
                           "States.Format('x',)",
                           "States.Array(,)",
                           "Format('x')",
                           "States.Array($..[)"}) {
    EXPECT_THROW(IntrinsicCall::compile(text), SyntaxError) << text;
  }
}

TEST(Intrinsics, DeepNestingIsADefinitionError) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "States.Array(";
  text += std::string(200, ')');
  EXPECT_THROW(IntrinsicCall::compile(text), SyntaxError);
}

TEST(Intrinsics, ArgumentsMayContainDelimitersInsidePaths) {
  EXPECT_EQ(call("States.Array($['a,b'], $['c)'])", R"j({"a,b":1,"c)":2})j"), "[1,2]");
  EXPECT_EQ(call("States.Array( 1 ,  'x' )"), R"([1,"x"])");
  EXPECT_EQ(call("States.ArrayLength($.l[?(@.v > 1)])", R"({"l":[{"v":1},{"v":2},{"v":3}]})"), "2");
}

TEST(Intrinsics, ReportsVariablesItReads) {
  std::vector<std::string> refs;
  IntrinsicCall::compile("States.Format('{}{}', $a.x, States.Array($b))")
      .add_variable_references(refs);
  EXPECT_EQ(refs, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(IntrinsicCall::compile("States.UUID()").function_name(), "States.UUID");
  EXPECT_TRUE(IntrinsicCall::looks_like_call("States.Format('x')"));
  EXPECT_FALSE(IntrinsicCall::looks_like_call("States.Format"));
  EXPECT_FALSE(IntrinsicCall::looks_like_call("$.x"));
}

}  // namespace
}  // namespace stepline::query::intrinsics
