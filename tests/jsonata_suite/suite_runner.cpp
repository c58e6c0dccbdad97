// Runs the flattened JSONata suite: every case is compiled and evaluated with its input,
// bindings and limits, then compared strictly with the expected outcome. Failures go to a
// file grouped by suite group; the last line printed is "N passed, M failed".
//
//   jsonata_suite_runner --cases cases.jsonl [--baseline baseline.txt] [--failures out.txt]
//                        [--filter PREFIX] [--verbose]
#include "common/json.hpp"
#include "query/jsonata/jsonata.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace json = stepline::json;
namespace jsonata = stepline::jsonata;

namespace {

// Strict UTF-8 JSON parsers reject lone surrogate escapes; the suite only has them inside
// JSONata string literals, so escaping the backslash hands the escape to the JSONata lexer.
std::string protect_lone_surrogates(const std::string& line) {
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '\\') {
      out += "\\\\";
      ++i;
      continue;
    }
    if (line.compare(i, 2, "\\u") == 0 && i + 6 <= line.size()) {
      unsigned cp = std::stoul(line.substr(i + 2, 4), nullptr, 16);
      bool high = cp >= 0xD800 && cp < 0xDC00, low = cp >= 0xDC00 && cp < 0xE000;
      bool paired = high && line.compare(i + 6, 2, "\\u") == 0 &&
                    std::stoul(line.substr(i + 8, 4), nullptr, 16) >= 0xDC00;
      if ((high && !paired) || low) {
        out += "\\\\";
        out += line.substr(i + 1, 5);
        i += 5;
        continue;
      }
      if (paired) {
        out += line.substr(i, 12);
        i += 11;
        continue;
      }
    }
    out += line[i];
  }
  return out;
}

// The counterpart of protect_lone_surrogates for results: a lone surrogate (WTF-8 bytes ED A0..BF
// xx) in an actual string becomes the six characters of its escape, as the expectation was read.
void escape_lone_surrogates(json::Value& v) {
  if (v.is_string()) {
    const auto& s = v.get_string();
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c == 0xED && i + 2 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xE0) == 0xA0) {
        unsigned cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", cp);
        out += buf;
        i += 2;
      } else {
        out += s[i];
      }
    }
    v = json::String(out);
  } else if (v.is_array()) {
    for (auto& item : v.get_array()) escape_lone_surrogates(item);
  } else if (v.is_object()) {
    for (auto& kv : v.get_object()) escape_lone_surrogates(kv.value());
  }
}

bool unordered_equal(const json::Value& a, const json::Value& b) {
  if (!a.is_array() || !b.is_array()) return json::equal(a, b);
  const auto& x = a.get_array();
  std::vector<bool> used(x.size(), false);
  const auto& y = b.get_array();
  if (x.size() != y.size()) return false;
  for (const auto& item : y) {
    bool found = false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (!used[i] && json::equal(x[i], item)) {
        used[i] = found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

struct Outcome {
  bool pass = false;
  std::string actual;
};

Outcome run_case(const json::Object& c) {
  Outcome out;
  const auto& expected = c.at("expected").get_object();
  std::string expr(c.at("expr").get_string());
  std::optional<json::Value> result;
  std::optional<jsonata::Error> error;
  try {
    auto compiled = jsonata::Expression::compile(expr);
    jsonata::EvaluateOptions options;
    const auto& tl = c.at("timelimit");
    const auto& depth = c.at("depth");
    if (!tl.is_null() && !depth.is_null()) {
      options.limits.max_depth = static_cast<int>(depth.to_number<double>());
      options.limits.time_limit_ms = tl.to_number<double>();
    } else {
      options.limits.time_limit_ms = 10000;  // a runaway case must not stall the whole run
    }
    bool undefined_input = c.at("data_undefined").as_bool();
    const json::Value& data = c.at("data");
    const json::Object* bindings = nullptr;
    if (auto* b = c.if_contains("bindings"); b && b->is_object()) bindings = &b->get_object();
    result = compiled.evaluate(undefined_input ? nullptr : &data, bindings, options);
  } catch (const jsonata::Error& e) {
    error = e;
  } catch (const std::exception& e) {
    out.actual = std::string("exception: ") + e.what();
    return out;
  }
  if (result) escape_lone_surrogates(*result);
  if (error) {
    out.actual = json::dump(error->to_json());
  } else if (result) {
    out.actual = json::dump(*result);
  } else {
    out.actual = "undefined";
  }
  if (const auto* r = expected.if_contains("result")) {
    if (!result) return out;
    bool unordered =
        c.if_contains("unordered") && c.at("unordered").is_bool() && c.at("unordered").as_bool();
    out.pass = unordered ? unordered_equal(*r, *result) : json::equal(*r, *result);
    return out;
  }
  if (expected.if_contains("undefined")) {
    out.pass = !error && !result;
    return out;
  }
  if (const auto* code = expected.if_contains("error_code")) {
    if (!error || error->code() != code->get_string()) return out;
    out.pass = true;
    if (const auto* full = expected.if_contains("error")) {
      json::Value actual_value = error->to_json();
      escape_lone_surrogates(actual_value);
      const auto& actual = actual_value.get_object();
      for (const auto& kv : full->get_object()) {
        const auto* mine = actual.if_contains(kv.key());
        if (!mine || !json::equal(*mine, kv.value())) out.pass = false;
      }
    }
    return out;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cases_path, baseline_path, failures_path, filter;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--cases")
      cases_path = next();
    else if (a == "--baseline")
      baseline_path = next();
    else if (a == "--failures")
      failures_path = next();
    else if (a == "--filter")
      filter = next();
    else if (a == "--verbose" || a == "-v")
      verbose = true;
    else {
      std::cerr << "unknown argument " << a << "\n";
      return 2;
    }
  }
  std::ifstream in(cases_path);
  if (!in) {
    std::cerr << "cannot read " << cases_path << "\n";
    return 2;
  }
  std::map<std::string, std::vector<std::string>> failures;
  int passed = 0, failed = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json::Value parsed;
    try {
      parsed = json::parse(line);
    } catch (const std::exception&) {
      parsed = json::parse(protect_lone_surrogates(line));
    }
    const auto& c = parsed.get_object();
    std::string id(c.at("id").get_string());
    if (!filter.empty() && id.rfind(filter, 0) != 0) continue;
    Outcome o = run_case(c);
    if (o.pass) {
      ++passed;
    } else {
      ++failed;
      std::ostringstream msg;
      msg << id << "\n  expr:     " << c.at("expr").get_string()
          << "\n  expected: " << json::dump(c.at("expected")) << "\n  actual:   " << o.actual
          << "\n";
      failures[std::string(c.at("group").get_string())].push_back(msg.str());
      if (verbose) std::cout << msg.str();
    }
  }
  if (!failures_path.empty()) {
    std::ofstream f(failures_path);
    for (const auto& [group, list] : failures) {
      f << "== " << group << " (" << list.size() << " failing)\n";
      for (const auto& m : list) f << m;
    }
  }
  int baseline = 0;
  if (!baseline_path.empty()) {
    std::ifstream b(baseline_path);
    b >> baseline;
  }
  std::cout << passed << " passed, " << failed << " failed" << std::endl;
  return passed < baseline ? 1 : 0;
}
