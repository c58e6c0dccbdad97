#include "asltest_case.hpp"

#include "history_compare.hpp"
#include "loose_match.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace stepline::asltest {

namespace {

const std::set<std::string> kTopLevel = {"description",  "definition", "input", "type",  "mocks",
                                         "never_answer", "seed",       "skip",  "expect"};
const std::set<std::string> kExpect = {"status",         "output",  "error",    "cause",
                                       "cause_contains", "history", "timeline", "definition_error"};

std::string dump_brief(const json::Value& v) {
  return harness::brief(v, 200);
}

double seconds_since_start(const json::Array& history, const json::Value& event) {
  double first = 0, at = 0;
  if (!history.empty() && history[0].is_object()) {
    if (const json::Value* t = history[0].get_object().if_contains("timestamp")) {
      json::as_double(*t, first);
    }
  }
  if (const json::Value* t = event.get_object().if_contains("timestamp")) json::as_double(*t, at);
  return at - first;
}

// `want` is seconds (number) or {"min": a, "max": b}; times are kept to the millisecond.
bool time_matches(const json::Value& want, double actual) {
  double exact = 0;
  if (json::as_double(want, exact)) return std::fabs(exact - actual) < 0.0005;
  double lo = 0, hi = 0;
  const json::Object& range = want.get_object();
  json::as_double(range.at("min"), lo);
  json::as_double(range.at("max"), hi);
  return actual >= lo - 0.0005 && actual <= hi + 0.0005;
}

void check_timeline(const json::Object& timeline, const json::Array& history,
                    std::vector<std::string>& out) {
  for (const auto& kv : timeline) {
    const std::string type(kv.key());
    std::vector<double> times;
    for (const json::Value& e : history) {
      const json::Value* t = e.is_object() ? e.get_object().if_contains("type") : nullptr;
      if (t && t->is_string() && t->get_string() == type) {
        times.push_back(seconds_since_start(history, e));
      }
    }
    const json::Array& wanted = kv.value().get_array();
    std::ostringstream got;
    for (std::size_t i = 0; i < times.size(); ++i) got << (i ? ", " : "") << times[i];
    if (wanted.size() != times.size()) {
      out.push_back("timeline " + type + ": expected " + std::to_string(wanted.size()) +
                    " events at " + dump_brief(kv.value()) + ", got " +
                    std::to_string(times.size()) + " at [" + got.str() + "]");
      continue;
    }
    for (std::size_t i = 0; i < times.size(); ++i) {
      if (!time_matches(wanted[i], times[i])) {
        out.push_back("timeline " + type + ": expected " + dump_brief(kv.value()) + " s, got [" +
                      got.str() + "] s");
        break;
      }
    }
  }
}

void validate_time(const json::Value& v, const std::string& where) {
  double x = 0;
  if (json::as_double(v, x)) return;
  if (v.is_object() && v.get_object().size() == 2 && v.get_object().contains("min") &&
      v.get_object().contains("max") && json::as_double(v.get_object().at("min"), x) &&
      json::as_double(v.get_object().at("max"), x)) {
    return;
  }
  throw CaseError(where + ": a time is seconds or {\"min\": s, \"max\": s}");
}

}  // namespace

TimePoint asltest_start_time() {
  return TimePoint{std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}};
}

AslTest parse_asltest(const json::Value& document, const std::string& name) {
  if (!document.is_object()) throw CaseError("a .asltest file holds one JSON object");
  const json::Object& o = document.get_object();
  for (const auto& kv : o) {
    if (!kTopLevel.count(std::string(kv.key()))) {
      throw CaseError("unknown field '" + std::string(kv.key()) + "'");
    }
  }
  AslTest t;
  t.name = name;
  if (const json::Value* d = o.if_contains("description"); d && d->is_string()) {
    t.description = d->get_string();
  } else {
    throw CaseError("'description' (a string) is required");
  }
  if (!o.contains("definition")) throw CaseError("'definition' is required");
  t.definition = o.at("definition");
  if (o.contains("input")) t.input = o.at("input");
  if (const json::Value* v = o.if_contains("type")) {
    if (!v->is_string() || (v->get_string() != "STANDARD" && v->get_string() != "EXPRESS")) {
      throw CaseError("'type' is STANDARD or EXPRESS");
    }
    t.type = v->get_string();
  }
  if (const json::Value* v = o.if_contains("mocks")) {
    if (!v->is_object()) throw CaseError("'mocks' maps state names to mocked responses");
    t.mocks = v->get_object();
  }
  if (const json::Value* v = o.if_contains("never_answer")) {
    if (!v->is_array()) throw CaseError("'never_answer' is an array of state names");
    for (const json::Value& s : v->get_array()) {
      if (!s.is_string()) throw CaseError("'never_answer' is an array of state names");
      t.never_answer.emplace_back(s.get_string());
    }
  }
  if (const json::Value* v = o.if_contains("seed")) {
    if (!v->is_int64() || v->get_int64() < 0) throw CaseError("'seed' is a non-negative integer");
    t.seed = static_cast<std::uint64_t>(v->get_int64());
  }
  if (const json::Value* v = o.if_contains("skip")) {
    if (!v->is_string() || v->get_string().empty()) throw CaseError("'skip' gives a reason");
    t.skip = std::string(v->get_string());
  }
  const json::Value* expect = o.if_contains("expect");
  if (!expect || !expect->is_object()) throw CaseError("'expect' (an object) is required");
  t.expect = expect->get_object();
  for (const auto& kv : t.expect) {
    if (!kExpect.count(std::string(kv.key()))) {
      throw CaseError("unknown expectation '" + std::string(kv.key()) + "'");
    }
  }
  if (!t.expect.contains("status") && !t.expect.contains("definition_error")) {
    throw CaseError("'expect.status' (or 'expect.definition_error') is required");
  }
  if (const json::Value* tl = t.expect.if_contains("timeline")) {
    if (!tl->is_object()) throw CaseError("'expect.timeline' maps event types to times");
    for (const auto& kv : tl->get_object()) {
      if (!kv.value().is_array()) throw CaseError("'expect.timeline' values are arrays of times");
      for (const json::Value& time : kv.value().get_array()) {
        validate_time(time, "expect.timeline." + std::string(kv.key()));
      }
    }
  }
  return t;
}

AslTest load_asltest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CaseError("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  json::Value document;
  try {
    document = json::parse(text.str());
  } catch (const json::ParseError& e) {
    throw CaseError("not valid JSON (line " + std::to_string(e.line()) + ", column " +
                    std::to_string(e.column()) + "): " + e.what());
  }
  return parse_asltest(document, std::filesystem::path(path).stem().string());
}

std::vector<std::string> check_asltest(const AslTest& t, const json::Value& result) {
  std::vector<std::string> out;
  const json::Object& r = result.get_object();
  const json::Value* rejected = r.if_contains("definition_error");
  if (const json::Value* want = t.expect.if_contains("definition_error")) {
    if (!rejected) {
      out.push_back("expected the definition to be rejected (" + dump_brief(*want) + ")");
    } else if (want->is_string() &&
               json::dump(*rejected).find(std::string(want->get_string())) == std::string::npos) {
      out.push_back("definition rejected, but not with " + dump_brief(*want) + ": " +
                    dump_brief(*rejected));
    }
    return out;
  }
  if (rejected) {
    out.push_back("definition rejected: " + dump_brief(*rejected));
    return out;
  }
  auto text = [&](const char* key) {
    const json::Value* v = r.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
  };
  if (const json::Value* want = t.expect.if_contains("status"); want && want->is_string()) {
    if (want->get_string() != text("status")) {
      std::string why =
          "status: expected " + std::string(want->get_string()) + ", got " + text("status");
      if (text("status") != "SUCCEEDED") why += " (" + text("error") + ": " + text("cause") + ")";
      out.push_back(why);
    }
  }
  if (const json::Value* want = t.expect.if_contains("output")) {
    if (auto d = harness::exact_diff(*want, r.at("output"), "output")) out.push_back(*d);
  }
  for (const char* key : {"error", "cause"}) {
    if (const json::Value* want = t.expect.if_contains(key)) {
      if (auto d = harness::exact_diff(*want, r.at(key), key)) out.push_back(*d);
    }
  }
  if (const json::Value* want = t.expect.if_contains("cause_contains"); want && want->is_string()) {
    if (text("cause").find(std::string(want->get_string())) == std::string::npos) {
      out.push_back("cause: expected it to contain " + dump_brief(*want) + ", got " +
                    dump_brief(r.at("cause")));
    }
  }
  const json::Array& history = r.at("history").get_array();
  if (const json::Value* want = t.expect.if_contains("history"); want && want->is_array()) {
    if (auto d = harness::compare_event_types(want->get_array(), history)) out.push_back(*d);
  }
  if (const json::Value* want = t.expect.if_contains("timeline")) {
    check_timeline(want->get_object(), history, out);
  }
  return out;
}

}  // namespace stepline::asltest
