#include "loose_match.hpp"

#include <cctype>
#include <string_view>
#include <vector>

namespace stepline::harness {

namespace {

bool is_number(const json::Value& v) {
  return v.is_int64() || v.is_uint64() || v.is_double();
}

// The words the recorder wrote instead of times it could not keep stable.
bool is_time_word(std::string_view s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s == "timestamp" || s == "datetime" || s == "date" || s == "time" || s == "start-time" ||
         s == "entered-time" || s == "start-date" || s == "stop-date";
}

// The words the recorder wrote instead of random values (States.UUID, States.MathRandom).
bool is_random_word(std::string_view s, const json::Value& actual) {
  if (s == "generated-uuid") return actual.is_string();
  if (s == "RandomNumberGenerated") return actual.is_int64() || actual.is_uint64();
  return false;
}

// JSON text the client sent with its own spacing (AWS echoes the execution input verbatim and
// the recorder left texts starting with `[` unparsed): compare those by value.
bool same_json_text(std::string_view expected, std::string_view actual) {
  if (expected.empty() || (expected[0] != '[' && expected[0] != '{')) return false;
  try {
    json::Value e = json::parse(expected);
    if (json::dump(e) == expected) return false;  // already compact: must match exactly
    json::Value a = json::parse(actual);
    return json::dump(e) == json::dump(a);
  } catch (const json::ParseError&) {
    return false;
  }
}

// `snf_role_arn`, `map_run_arn`, `execution-arn`...: the recorder's names for ARNs it replaced.
bool is_arn_word(std::string_view s) {
  if (s.size() < 5) return false;
  const std::string_view tail = s.substr(s.size() - 4);
  if (tail != "_arn" && tail != "-arn") return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || c == '_' || c == '-')) return false;
  }
  return true;
}

// `sqs_queue_url`: the recorder's name for a URL it replaced (a queue's).
bool is_url_word(std::string_view s) {
  if (s.size() < 5 || s.substr(s.size() - 4) != "_url") return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

bool is_url(std::string_view s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

// `executionSucceededEventDetails.output`: where the recorded test's snapshot transformer
// replaced a value by the name of its place (the recording flags it
// `output_replaced_by_snapshot_transformer`): the value is not recorded, any value matches.
bool is_replaced_value_word(std::string_view s) {
  constexpr std::string_view kSuffix = "EventDetails.output";
  if (s.size() <= kSuffix.size() || s.substr(s.size() - kSuffix.size()) != kSuffix) return false;
  if (!(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s.substr(0, s.size() - kSuffix.size())) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// The context object's Execution.RedriveCount came with redrive (November 2023): recordings made
// before then lack it. Like the API fields AWS added later (tests/api_conformance LATER_FIELDS),
// an extra one is accepted only with the value an execution that was never redriven has.
bool is_later_context_field(const json::Object& expected, std::string_view key,
                            const json::Value& value) {
  return key == "RedriveCount" && value.is_int64() && value.get_int64() == 0 &&
         expected.contains("Id") && expected.contains("StartTime") && expected.contains("RoleArn");
}

// `activity_name`, `function_name_branch1`: the recorder's names for resource names it replaced
// (with the suffix its transformer numbered them by); they stand for any name.
bool is_name_word(std::string_view s) {
  const auto at = s.rfind("_name");
  if (at == std::string_view::npos || at == 0 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  const std::string_view suffix = s.substr(at + 5);
  if (!suffix.empty() && (suffix[0] != '_' || suffix.size() < 2)) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return suffix.find("_name") == std::string_view::npos;
}

// Splits a recorded string at its placeholder tokens (`<uuid:1>`, `<ArnPart_0idx>`): the
// literal pieces between them. One piece means there was no token.
std::vector<std::string_view> literal_pieces(std::string_view s) {
  std::vector<std::string_view> pieces;
  std::size_t piece_start = 0, i = 0;
  while (i < s.size()) {
    if (s[i] == '<') {
      std::size_t j = i + 1;
      while (j < s.size() &&
             (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' || s[j] == '-')) {
        ++j;
      }
      if (j < s.size() && s[j] == ':' && j > i + 1) {
        std::size_t k = j + 1;
        while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) ++k;
        j = k > j + 1 ? k : s.size();
      }
      if (j < s.size() && s[j] == '>' && j > i + 1) {
        pieces.push_back(s.substr(piece_start, i - piece_start));
        piece_start = i = j + 1;
        continue;
      }
    }
    ++i;
  }
  pieces.push_back(s.substr(piece_start));
  return pieces;
}

// Each token stands for any text: the pieces must appear in order, anchored at both ends.
bool token_match(const std::vector<std::string_view>& pieces, std::string_view actual) {
  const std::string_view first = pieces.front(), last = pieces.back();
  if (actual.size() < first.size() + last.size()) return false;
  if (actual.substr(0, first.size()) != first) return false;
  if (actual.substr(actual.size() - last.size()) != last) return false;
  std::size_t at = first.size();
  const std::size_t limit = actual.size() - last.size();
  for (std::size_t p = 1; p + 1 < pieces.size(); ++p) {
    std::size_t found = actual.substr(0, limit).find(pieces[p], at);
    if (found == std::string_view::npos) return false;
    at = found + pieces[p].size();
  }
  return at <= limit;
}

bool same_number(const json::Value& e, const json::Value& a) {
  if (e.is_double() != a.is_double()) return false;
  double x = 0, y = 0;
  json::as_double(e, x);
  json::as_double(a, y);
  if (!e.is_double()) {
    // Integers compare exactly (beyond 2^53 doubles would blur them).
    if (e.is_int64() && a.is_int64()) return e.get_int64() == a.get_int64();
    if (e.is_uint64() && a.is_uint64()) return e.get_uint64() == a.get_uint64();
  }
  return x == y;
}

std::optional<std::string> diff(const json::Value& e, const json::Value& a, const std::string& path,
                                bool loose) {
  auto differ = [&](const std::string& what) -> std::optional<std::string> {
    return path + ": " + what;
  };
  if (loose && e.is_string()) {
    const std::string s(e.get_string());
    if (is_time_word(s) && (a.is_string() || is_number(a))) return std::nullopt;
    // The recorder replaces a header's whole value, a one-element list in AllHttpHeaders too.
    if (is_time_word(s) && a.is_array() && a.get_array().size() == 1 &&
        a.get_array()[0].is_string()) {
      return std::nullopt;
    }
    // ... and writes the key's own name for ids it cannot keep stable (trace and request ids:
    // "X-Amzn-Trace-Id": "X-Amzn-Trace-Id").
    if (s.size() > 2 && s.compare(s.size() - 2, 2, "Id") == 0 && path.size() > s.size() &&
        path.compare(path.size() - s.size(), s.size(), s) == 0 &&
        path[path.size() - s.size() - 1] == '.') {
      return std::nullopt;
    }
    if (is_random_word(s, a)) return std::nullopt;
    if (is_replaced_value_word(s)) return std::nullopt;
    if (is_name_word(s) && a.is_string()) return std::nullopt;
    if (a.is_string() && same_json_text(s, a.get_string())) return std::nullopt;
    if (is_arn_word(s) && a.is_string() && std::string_view(a.get_string()).rfind("arn:", 0) == 0) {
      return std::nullopt;
    }
    if (is_url_word(s) && a.is_string() && is_url(a.get_string())) return std::nullopt;
    if (auto pieces = literal_pieces(s); pieces.size() > 1) {
      const std::string text = a.is_string() ? std::string(a.get_string()) : json::dump(a);
      if (token_match(pieces, text)) return std::nullopt;
      return differ("expected " + brief(e) + ", got " + brief(a));
    }
  }
  if (loose && !e.is_string() && a.is_string()) {
    // The recorder parsed JSON text; parse ours the same way.
    try {
      return diff(e, json::parse(a.get_string()), path, loose);
    } catch (const json::ParseError&) {
      return differ("expected " + brief(e) + ", got the string " + brief(a));
    }
  }
  if (e.kind() != a.kind() && !(is_number(e) && is_number(a))) {
    return differ("expected " + brief(e) + ", got " + brief(a));
  }
  if (is_number(e)) {
    if (!same_number(e, a)) return differ("expected " + brief(e) + ", got " + brief(a));
    return std::nullopt;
  }
  if (e.is_object()) {
    const json::Object& eo = e.get_object();
    const json::Object& ao = a.get_object();
    for (const auto& kv : eo) {
      const std::string key(kv.key());
      const std::string sub = path + "." + key;
      if (loose && key == "timestamp") continue;
      const json::Value* av = ao.if_contains(kv.key());
      if (!av) return path + ": missing field '" + key + "' (expected " + brief(kv.value()) + ")";
      if (auto d = diff(kv.value(), *av, sub, loose)) return d;
    }
    for (const auto& kv : ao) {
      if (!eo.contains(kv.key()) && !(loose && kv.key() == "timestamp") &&
          !(loose && is_later_context_field(eo, kv.key(), kv.value()))) {
        return path + ": unexpected field '" + std::string(kv.key()) + "' = " + brief(kv.value());
      }
    }
    return std::nullopt;
  }
  if (e.is_array()) {
    const json::Array& ea = e.get_array();
    const json::Array& aa = a.get_array();
    for (std::size_t i = 0; i < ea.size() && i < aa.size(); ++i) {
      if (auto d = diff(ea[i], aa[i], path + "[" + std::to_string(i) + "]", loose)) return d;
    }
    if (ea.size() != aa.size()) {
      return differ("expected " + std::to_string(ea.size()) + " elements, got " +
                    std::to_string(aa.size()));
    }
    return std::nullopt;
  }
  if (e != a) return differ("expected " + brief(e) + ", got " + brief(a));
  return std::nullopt;
}

}  // namespace

std::optional<std::string> loose_diff(const json::Value& expected, const json::Value& actual,
                                      const std::string& path) {
  return diff(expected, actual, path, true);
}

std::optional<std::string> exact_diff(const json::Value& expected, const json::Value& actual,
                                      const std::string& path) {
  return diff(expected, actual, path, false);
}

std::string brief(const json::Value& value, std::size_t limit) {
  std::string text = json::dump(value);
  if (text.size() > limit) text = text.substr(0, limit) + "...";
  return text;
}

}  // namespace stepline::harness
