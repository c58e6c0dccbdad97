#include "recorded_case.hpp"

#include "history_compare.hpp"
#include "loose_match.hpp"

#include <fstream>
#include <stdexcept>

namespace stepline::harness {

namespace {

std::string string_field(const json::Object& o, const char* key, const char* fallback = "") {
  const json::Value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : fallback;
}

bool true_field(const json::Object& o, const char* key) {
  const json::Value* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

template <typename F>
void for_each_line(const std::string& path, F&& f) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    json::Value v = json::parse(line);
    if (v.is_object()) f(v.get_object());
  }
}

void collect_times(const json::Value& v, std::optional<TimePoint>& earliest) {
  if (v.is_string()) {
    if (auto t = parse_rfc3339(v.get_string())) {
      auto ms = std::chrono::time_point_cast<Millis>(*t);
      if (!earliest || ms < *earliest) earliest = ms;
    }
  } else if (v.is_object()) {
    for (const auto& kv : v.get_object()) collect_times(kv.value(), earliest);
  } else if (v.is_array()) {
    for (const auto& x : v.get_array()) collect_times(x, earliest);
  }
}

}  // namespace

namespace {

bool in_set(const json::Array& needs, CaseSet set) {
  if (set == CaseSet::NoNeeds) return needs.empty();
  bool lambda = false;
  for (const json::Value& n : needs) {
    const std::string_view need = n.is_string() ? std::string_view(n.get_string()) : "";
    if (need == "lambda" || need.substr(0, 7) == "lambda:") {
      lambda = true;
    } else if (need.substr(0, 18) != "iam:assumable-role") {
      return false;  // another service the run cannot reach
    }
  }
  return lambda;
}

// The recorder wrote a Lambda function's name as the bare word `lambda_function_name` in some
// places (and as the token `<lambda_function_name>` in others): make every one a token.
void tokenise_function_names(json::Value& v) {
  static constexpr std::string_view kWord = "lambda_function_name";
  if (v.is_string()) {
    std::string text(v.get_string());
    bool changed = false;
    for (std::size_t at = text.find(kWord); at != std::string::npos;
         at = text.find(kWord, at + kWord.size())) {
      const bool open = at > 0 && text[at - 1] == '<';
      const bool close = at + kWord.size() < text.size() && text[at + kWord.size()] == '>';
      if (open || close) continue;
      text.insert(at + kWord.size(), ">");
      text.insert(at, "<");
      ++at;
      changed = true;
    }
    if (changed) v = json::String(text);
  } else if (v.is_object()) {
    for (auto& kv : v.get_object()) tokenise_function_names(kv.value());
  } else if (v.is_array()) {
    for (auto& x : v.get_array()) tokenise_function_names(x);
  }
}

}  // namespace

std::vector<RecordedCase> load_recorded_cases(const std::string& jsonl_path,
                                              const std::string& query_language, CaseSet set) {
  std::vector<RecordedCase> cases;
  for_each_line(jsonl_path, [&](const json::Object& o) {
    if (string_field(o, "kind") != "execution") return;
    const json::Value* needs = o.if_contains("needs");
    if (!needs || !needs->is_array() || !in_set(needs->get_array(), set)) return;
    if (query_language != "any" && string_field(o, "query_language") != query_language) return;
    RecordedCase c;
    for (const json::Value& n : needs->get_array()) {
      if (n.is_string()) c.needs.emplace_back(n.get_string());
    }
    if (const json::Value* l = o.if_contains("lambdas")) c.lambdas = *l;
    c.id = string_field(o, "id");
    c.area = string_field(o, "area", "(none)");
    c.query_language = string_field(o, "query_language");
    c.type = string_field(o, "state_machine_type", "STANDARD");
    c.definition = o.contains("definition") ? o.at("definition") : json::Value(nullptr);
    // input_raw is the text sent to AWS; `input` is the recorder's re-serialisation of it.
    // Without input StartExecution runs with "{}".
    c.input = o.contains("input") && !o.at("input").is_null() ? o.at("input")
                                                              : json::Value(json::Object{});
    if (const json::Value* raw = o.if_contains("input_raw"); raw && raw->is_string()) {
      try {
        c.input = json::parse(raw->get_string());
      } catch (const json::ParseError&) {
      }
    }
    if (const json::Value* e = o.if_contains("expected"); e && e->is_object()) {
      json::Value expected = *e;
      if (set == CaseSet::Lambda) tokenise_function_names(expected);
      c.expected = expected.get_object();
    }
    if (const json::Value* h = o.if_contains("expected_history"); h && h->is_array()) {
      c.expected_history = h->get_array();
    }
    if (const json::Value* h = o.if_contains("expected_events"); h && h->is_array()) {
      json::Value events = *h;
      if (set == CaseSet::Lambda) tokenise_function_names(events);
      c.expected_events = events.get_array();
    }
    c.order_normalised = true_field(o, "history_order_normalised");
    c.time_dependent_input = true_field(o, "time_dependent_input");
    const json::Value* via = o.if_contains("start_via");
    c.started_sync = via && via->is_string() && via->get_string() == "start_sync_execution";
    cases.push_back(std::move(c));
  });
  return cases;
}

std::optional<TimePoint> recording_time(const std::string& jsonl_path) {
  std::optional<TimePoint> earliest;
  for_each_line(jsonl_path, [&](const json::Object& o) {
    if (!true_field(o, "time_dependent_input")) return;
    if (const json::Value* raw = o.if_contains("input_raw"); raw && raw->is_string()) {
      try {
        collect_times(json::parse(raw->get_string()), earliest);
      } catch (const json::ParseError&) {
      }
    }
  });
  return earliest;
}

std::optional<std::string> check_recorded(const RecordedCase& c, const json::Value& result) {
  if (c.definition.is_null()) return "the recording has no definition";
  const json::Object& r = result.get_object();
  if (const json::Value* diagnostics = r.if_contains("definition_error")) {
    return "definition rejected: " + brief(*diagnostics, 300);
  }
  const std::string expected_status = string_field(c.expected, "status");
  const std::string status = string_field(r, "status");
  if (expected_status != status) {
    std::string why = "status: expected " + expected_status + ", got " + status;
    if (status != "SUCCEEDED") {
      why += " (" + string_field(r, "error", "no error") + ": " + string_field(r, "cause") + ")";
    }
    return why.substr(0, 400);
  }
  if (const json::Value* output = c.expected.if_contains("output")) {
    if (auto d = loose_diff(*output, r.at("output"), "output")) return *d;
  }
  // A failed run's error and cause are compared even when absent: AWS omits them for an empty
  // Fail state, and so must we.
  if (status != "SUCCEEDED") {
    for (const char* key : {"error", "cause"}) {
      const json::Value* e = c.expected.if_contains(key);
      const json::Value& a = r.at(key);
      if (!e) {
        if (!a.is_null()) return std::string(key) + ": expected none, got " + brief(a);
        continue;
      }
      if (auto d = loose_diff(*e, a, key)) return *d;
    }
  }
  const json::Array& history = r.at("history").get_array();
  if (c.expected_events) {
    if (auto d = compare_events(*c.expected_events, history, c.order_normalised)) return *d;
  } else if (c.expected_history) {
    if (auto d = compare_event_types(*c.expected_history, history)) return *d;
  }
  return std::nullopt;
}

}  // namespace stepline::harness
