// libFuzzer target: compiles arbitrary text as JSONata and evaluates it against a small
// document under tight depth and time limits. Any outcome but a crash, a sanitizer report or an
// exception other than jsonata::Error is a bug.
#include "common/json.hpp"
#include "query/jsonata/jsonata.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const stepline::json::Value document = stepline::json::parse(
      R"({"a":1,"b":[1,2,{"c":"x","d":[true,null,2.5]}],"s":"hello","o":{"k":"v","n":-3}})");
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto expression = stepline::jsonata::Expression::compile(text);
    stepline::jsonata::EvaluateOptions options;
    options.limits.max_depth = 200;
    options.limits.time_limit_ms = 200;
    (void)expression.evaluate(&document, nullptr, options);
  } catch (const stepline::jsonata::Error&) {
  }
  return 0;
}
