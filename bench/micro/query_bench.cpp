// Micro-benchmarks of JSONPath-mode evaluation: compiled paths (InputPath, Choice variables,
// `.$` fields) and payload templates (Parameters with paths and an intrinsic), each compiled
// once and evaluated many times, as the interpreter does.
#include "common/ids.hpp"
#include "common/json.hpp"
#include "query/eval_context.hpp"
#include "query/jsonpath/path.hpp"
#include "query/template/payload_template.hpp"

#include <benchmark/benchmark.h>

namespace json = stepline::json;
namespace query = stepline::query;
using query::jsonpath::Path;

namespace {

const json::Value& input_document() {
  static const json::Value doc = json::parse(
      R"({"orderId":"o-1","amount":250,"order":{"id":"o-1","amount":250,"currency":"EUR"},)"
      R"("items":[{"sku":"a","qty":1},{"sku":"b","qty":2},{"sku":"c","qty":3}],"n":7})");
  return doc;
}

const json::Value& context_document() {
  static const json::Value doc = json::parse(
      R"({"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:m:e","Name":"e"},)"
      R"("State":{"Name":"S","EnteredTime":"2026-01-01T00:00:00.000Z"},)"
      R"("Map":{"Item":{"Index":3,"Value":{"k":1}}}})");
  return doc;
}

query::EvalContext context(stepline::IdSource* ids) {
  query::EvalContext ctx;
  ctx.input = &input_document();
  ctx.context = &context_document();
  ctx.ids = ids;
  return ctx;
}

void BM_PathEvaluate(benchmark::State& state, const char* text) {
  stepline::RandomIdSource ids(1);
  const Path path = Path::compile(text);
  const query::EvalContext ctx = context(&ids);
  for (auto _ : state) {
    auto result = path.evaluate(ctx);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK_CAPTURE(BM_PathEvaluate, root, "$");
BENCHMARK_CAPTURE(BM_PathEvaluate, member2, "$.order.amount");
BENCHMARK_CAPTURE(BM_PathEvaluate, index, "$.items[1].sku");
BENCHMARK_CAPTURE(BM_PathEvaluate, context, "$$.Map.Item.Value");
BENCHMARK_CAPTURE(BM_PathEvaluate, wildcard, "$.items[*].qty");
BENCHMARK_CAPTURE(BM_PathEvaluate, filter, "$.items[?(@.qty > 1)].sku");

void BM_PathSelect(benchmark::State& state) {
  stepline::RandomIdSource ids(1);
  const Path path = Path::compile("$.order");
  const query::EvalContext ctx = context(&ids);
  for (auto _ : state) benchmark::DoNotOptimize(path.select(ctx));
}
BENCHMARK(BM_PathSelect);

void BM_PathCompile(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Path::compile("$.items[1].sku"));
}
BENCHMARK(BM_PathCompile);

void BM_TemplateEvaluate(benchmark::State& state, const char* definition) {
  stepline::RandomIdSource ids(1);
  const auto tmpl = query::PayloadTemplate::compile(json::parse(definition));
  const query::EvalContext ctx = context(&ids);
  for (auto _ : state) benchmark::DoNotOptimize(tmpl.evaluate(ctx));
}
// The small_execs Init state's Parameters.
const char* const kPathsTemplate = R"({"id.$":"$.orderId","amount.$":"$.amount","currency":"EUR"})";
// The chain workload's shape: a path, a literal and States.Format.
const char* const kFormatTemplate =
    R"j({"n.$":"$.n","label.$":"States.Format('step {} of {}', $.n, $.orderId)","kind":"c"})j";
const char* const kMathAddTemplate = R"j({"n.$":"States.MathAdd($.n, 1)"})j";
// The map workload's ItemSelector shape.
const char* const kMapItemTemplate =
    R"({"index.$":"$$.Map.Item.Index","value.$":"$$.Map.Item.Value","c":1})";
const char* const kNestedTemplate = R"({"a":{"b":{"c":[1,2,3],"d":"x"}},"e.$":"$.order"})";
BENCHMARK_CAPTURE(BM_TemplateEvaluate, paths, kPathsTemplate);
BENCHMARK_CAPTURE(BM_TemplateEvaluate, format, kFormatTemplate);
BENCHMARK_CAPTURE(BM_TemplateEvaluate, math_add, kMathAddTemplate);
BENCHMARK_CAPTURE(BM_TemplateEvaluate, map_item, kMapItemTemplate);
BENCHMARK_CAPTURE(BM_TemplateEvaluate, nested_literal, kNestedTemplate);

}  // namespace
