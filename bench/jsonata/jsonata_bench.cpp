// Throughput of the JSONata engine on the reference benchmark (shared/bench/jsonata_ref_bench.js):
// the same seeded 10,000-order document, the same expressions, compile once, warm up, then the
// median evaluations/second of --runs windows of --seconds. `check` is the FNV-1a digest of the
// result's JSON.stringify form, comparable with the reference's.
//
//   jsonata_bench [--seconds S] [--runs N] [--convert] [--data FILE] [--only NAME]
//
// --data reads the {big, small} document jsonata_ref_bench.js --write-data wrote (compare.sh),
// otherwise the same document is generated here.
#include "common/json.hpp"
#include "query/jsonata/jsonata.hpp"
#include "query/jsonata/value.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace json = stepline::json;
namespace jsonata = stepline::jsonata;

namespace {

// mulberry32, bit-for-bit as in the JavaScript generator
struct Prng {
  std::uint32_t seed;
  double next() {
    seed += 0x6D2B79F5u;
    std::uint32_t t = seed;
    t = static_cast<std::uint32_t>(static_cast<std::uint64_t>(t ^ (t >> 15)) * (1u | t));
    t = (t + static_cast<std::uint32_t>(static_cast<std::uint64_t>(t ^ (t >> 7)) * (61u | t))) ^ t;
    return static_cast<double>(t ^ (t >> 14)) / 4294967296.0;
  }
};

json::Value make_big(int n) {
  Prng rnd{42};
  const char* statuses[] = {"pending", "shipped", "delivered", "cancelled"};
  const char* first[] = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Ken", "Margaret"};
  const char* last[] = {"Lovelace", "Hopper", "Turing",   "Dijkstra",
                        "Liskov",   "Knuth",  "Thompson", "Hamilton"};
  const char* tags[] = {"red", "green", "blue", "urgent", "gift", "bulk"};
  auto pick = [&](int size) { return static_cast<int>(std::floor(rnd.next() * size)); };
  json::Array orders;
  for (int i = 0; i < n; ++i) {
    std::string f = first[pick(8)], l = last[pick(8)];
    json::Object o;
    o["id"] = i;
    o["status"] = statuses[pick(4)];
    double price = std::floor(rnd.next() * 10000 + 0.5) / 100;
    if (price == std::floor(price))
      o["price"] = static_cast<std::int64_t>(price);
    else
      o["price"] = price;
    o["qty"] = 1 + pick(9);
    std::string email = f + "." + l + std::to_string(i);
    for (auto& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    json::Object customer;
    customer["name"] = f + " " + l;
    customer["email"] = email + "@example.com";
    std::string region(1, 'R');  // not "R" + ...: GCC 12 -O3 warns falsely (-Wrestrict)
    region += std::to_string(pick(8));
    customer["region"] = region;
    o["customer"] = std::move(customer);
    json::Array t;
    t.emplace_back(tags[pick(6)]);
    t.emplace_back(tags[pick(6)]);
    o["tags"] = std::move(t);
    orders.push_back(std::move(o));
  }
  json::Object doc;
  doc["orders"] = std::move(orders);
  return doc;
}

json::Value make_small() {
  return json::parse(
      R"({"states":{"input":{"orderId":"o-123","customer":{"first":"Ada","last":"Lovelace","tier":"gold"},
    "items":[{"sku":"A1","price":12.5,"qty":2},{"sku":"B2","price":3.25,"qty":4},{"sku":"C3","price":99.99,"qty":1}]},
    "context":{"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:sm:run-1","StartTime":"2026-01-01T00:00:00Z"}}}})");
}

void js_stringify(std::string& out, const json::Value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      out += "null";
      break;
    case boost::json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case boost::json::kind::int64:
      out += std::to_string(v.get_int64());
      break;
    case boost::json::kind::uint64:
      out += std::to_string(v.get_uint64());
      break;
    case boost::json::kind::double_:
      out += jsonata::js_number_to_string(v.get_double());
      break;
    case boost::json::kind::string:
      out += json::dump(v);
      break;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        js_stringify(out, item);
      }
      out += ']';
      break;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::dump(json::Value(kv.key()));
        out += ':';
        js_stringify(out, kv.value());
      }
      out += '}';
      break;
    }
  }
}

std::string digest(const std::optional<json::Value>& v) {
  std::string s;
  if (v) js_stringify(s, *v);
  std::uint32_t h = 0x811c9dc5u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x01000193u;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "{\"bytes\":%zu,\"fnv1a\":\"%08x\"}", s.size(), h);
  return buf;
}

struct Bench {
  const char* name;
  const char* expr;
  bool big;
};

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  int runs = 3;
  bool convert = false;
  std::string data_file;
  std::string only;  // one benchmark, for profiling
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc)
      seconds = std::stod(argv[++i]);
    else if (a == "--runs" && i + 1 < argc)
      runs = std::stoi(argv[++i]);
    else if (a == "--convert")
      convert = true;
    else if (a == "--data" && i + 1 < argc)
      data_file = argv[++i];
    else if (a == "--only" && i + 1 < argc)
      only = argv[++i];
  }
  const Bench benches[] = {
      {"filter-path", "orders[price > 50 and status = 'shipped'].id", true},
      {"string-map",
       "$map(orders, function($o) { $uppercase($substringBefore($o.customer.email, '@')) & '-' & "
       "$string($o.id) })",
       true},
      {"reduce-sum", "$reduce(orders, function($acc, $o) { $acc + $o.price * $o.qty }, 0)", true},
      {"group-aggregate",
       "orders{status: {\"n\": $count(id), \"revenue\": $round($sum(price), 2)}}", true},
      {"sfn-small",
       "{ 'id': $states.input.orderId, 'name': $states.input.customer.first & ' ' & "
       "$states.input.customer.last, "
       "'total': $sum($states.input.items.(price * qty)), 'gold': $states.input.customer.tier = "
       "'gold', "
       "'exec': $substringAfter($states.context.Execution.Id, 'execution:') }",
       false},
  };
  json::Value big, small;
  if (data_file.empty()) {
    big = make_big(10000);
    small = make_small();
  } else {
    std::ifstream in(data_file);
    std::stringstream text;
    text << in.rdbuf();
    json::Value data = json::parse(text.str());
    big = data.at("big");
    small = data.at("small");
  }
  json::Value empty = json::Object{};
  using clock = std::chrono::steady_clock;
  for (const auto& b : benches) {
    if (!only.empty() && only != b.name) continue;
    auto expr = jsonata::Expression::compile(b.expr);
    // Inputs are converted once, as the reference reuses its parsed object; --convert measures
    // the per-call conversion from json::Value as well.
    jsonata::Document input(b.big ? big : empty);
    jsonata::DocumentBindings bindings;
    if (!b.big) bindings.emplace_back("states", jsonata::Document(small.at("states")));
    auto once = [&] {
      if (convert)
        return expr.evaluate(b.big ? &big : &empty, b.big ? nullptr : &small.get_object());
      return expr.evaluate(input, bindings);
    };
    auto result = once();
    auto warm_end = clock::now() + std::chrono::seconds(1);
    for (int i = 0; i < 200 || clock::now() < warm_end; ++i) once();
    std::vector<double> rates;
    for (int r = 0; r < runs; ++r) {
      auto t0 = clock::now();
      auto end = t0 + std::chrono::duration<double>(seconds);
      long n = 0;
      clock::time_point now;
      do {
        once();
        ++n;
        now = clock::now();
      } while (now < end);
      rates.push_back(static_cast<double>(n) / std::chrono::duration<double>(now - t0).count());
    }
    std::sort(rates.begin(), rates.end());
    double median = rates[rates.size() / 2];
    std::printf("{\"name\":\"%s\",\"evals_per_sec\":%.4g,\"us_per_eval\":%.4g,\"check\":%s}\n",
                b.name, median, 1e6 / median, digest(result).c_str());
  }
  return 0;
}
