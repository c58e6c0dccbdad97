// Micro-benchmarks of the JSON layer every state touches: parse (definitions, inputs), dump
// (history event payloads), deep copy (state input/output hand-over) and equality.
#include "common/json.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace json = stepline::json;

namespace {

// A state payload like the workloads carry: a few scalars, a nested object, a short array.
const char* const kSmallDocument =
    R"({"orderId":"o-1","amount":250,"order":{"id":"o-1","amount":250,"currency":"EUR"},)"
    R"("routing":{"lane":"auto","priority":5},"tags":["a","b","c"],"ratio":0.125})";

std::string big_document(int items) {
  std::string text = "{\"items\":[";
  for (int i = 0; i < items; ++i) {
    if (i) text += ',';
    text += R"({"id":)" + std::to_string(i) + R"(,"name":"item-)" + std::to_string(i) +
            R"(","price":)" + std::to_string(i) + ".25,\"ok\":true}";
  }
  return text + "]}";
}

void BM_JsonParseSmall(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(json::parse(kSmallDocument));
}
BENCHMARK(BM_JsonParseSmall);

void BM_JsonParseItems(benchmark::State& state) {
  const std::string text = big_document(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(json::parse(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_JsonParseItems)->Arg(100)->Arg(10000);

void BM_JsonDumpSmall(benchmark::State& state) {
  const json::Value v = json::parse(kSmallDocument);
  for (auto _ : state) benchmark::DoNotOptimize(json::dump(v));
}
BENCHMARK(BM_JsonDumpSmall);

void BM_JsonDumpItems(benchmark::State& state) {
  const json::Value v = json::parse(big_document(static_cast<int>(state.range(0))));
  for (auto _ : state) benchmark::DoNotOptimize(json::dump(v));
}
BENCHMARK(BM_JsonDumpItems)->Arg(100)->Arg(10000);

void BM_JsonDumpedSize(benchmark::State& state) {
  const json::Value v = json::parse(big_document(100));
  for (auto _ : state) benchmark::DoNotOptimize(json::dumped_size(v));
}
BENCHMARK(BM_JsonDumpedSize);

void BM_JsonCopySmall(benchmark::State& state) {
  const json::Value v = json::parse(kSmallDocument);
  for (auto _ : state) {
    json::Value copy = v;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_JsonCopySmall);

void BM_JsonCopyItems(benchmark::State& state) {
  const json::Value v = json::parse(big_document(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    json::Value copy = v;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_JsonCopyItems)->Arg(100)->Arg(10000);

void BM_JsonEqualSmall(benchmark::State& state) {
  const json::Value a = json::parse(kSmallDocument);
  const json::Value b = json::parse(kSmallDocument);
  for (auto _ : state) benchmark::DoNotOptimize(json::equal(a, b));
}
BENCHMARK(BM_JsonEqualSmall);

}  // namespace
