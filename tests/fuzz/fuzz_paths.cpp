// Feeds arbitrary text to the JSONPath, ResultPath, intrinsic, payload template and Choice rule
// compilers and evaluates whatever compiles against a small document. Compile errors
// (SyntaxError) and evaluation errors (StatesException) are expected; crashes, leaks and
// sanitizer reports are not.
#include "asl/choice/choice_rule.hpp"
#include "common/errors.hpp"
#include "common/ids.hpp"
#include "common/json.hpp"
#include "query/intrinsics/intrinsic_call.hpp"
#include "query/jsonpath/path.hpp"
#include "query/jsonpath/result_path.hpp"
#include "query/syntax_error.hpp"
#include "query/template/payload_template.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace {

using namespace stepline;

class FixedVariables final : public query::VariableLookup {
 public:
  FixedVariables() {
    values_["x"] = json::parse(R"({"a":[1,2,{"b":"c"}],"s":"text"})");
    values_["n"] = 7;
  }
  const json::Value* find(std::string_view name) const override {
    auto it = values_.find(std::string(name));
    return it == values_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, json::Value> values_;
};

const json::Value& document() {
  static const json::Value doc = json::parse(
      R"({"a":{"b":[1,2.5,"x",null,true,{"c":[]}],"d":"2016-03-14T01:59:00Z"},
          "l":[{"p":1},{"p":5,"q":"s"},{"p":"7"}],"s":"a,b,,c","e":"","n":-3,
          "o":{"k":{"k":{"k":1}}},"arr":[[1,2],[1,2],3]})");
  return doc;
}

const json::Value& context() {
  static const json::Value ctx = json::parse(
      R"({"Execution":{"Id":"arn:x","Input":{"a":1},"Name":"n-1"},"State":{"Name":"S"}})");
  return ctx;
}

void run(std::uint8_t mode, std::string_view text) {
  static FixedVariables variables;
  static RandomIdSource ids(7);
  query::EvalContext ctx{&document(), &context(), &variables, &ids};
  switch (mode % 5) {
    case 0: {
      auto path = query::jsonpath::Path::compile(text);
      auto result = path.evaluate(ctx);
      if (result.found()) (void)json::dump(result.value());
      (void)path.is_reference();
      break;
    }
    case 1: {
      auto rp = query::jsonpath::ResultPath::compile(json::Value(json::String(text)));
      (void)json::dump(rp.apply(document(), json::parse(R"({"r":[1]})")));
      break;
    }
    case 2: {
      auto call = query::intrinsics::IntrinsicCall::compile(text);
      (void)json::dump(call.evaluate(ctx, "f.$"));
      break;
    }
    case 3: {
      auto tmpl = query::PayloadTemplate::compile(json::parse(text));
      (void)json::dump(tmpl.evaluate(ctx));
      break;
    }
    case 4: {
      auto rule = asl::choice::compile_rule(json::parse(text));
      (void)rule->evaluate(ctx);
      break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    run(data[0], text);
  } catch (const query::SyntaxError&) {
  } catch (const StatesException&) {
  } catch (const json::ParseError&) {
  }
  return 0;
}
