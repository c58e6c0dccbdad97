#include "history_compare.hpp"

#include "loose_match.hpp"

#include <string_view>
#include <vector>

namespace stepline::harness {

namespace {

std::string type_of(const json::Value& event) {
  if (event.is_object()) {
    if (const json::Value* t = event.get_object().if_contains("type"); t && t->is_string()) {
      return std::string(t->get_string());
    }
  }
  return "?";
}

bool has_numeric_id(const json::Value& event) {
  if (!event.is_object()) return false;
  const json::Value* id = event.get_object().if_contains("id");
  return id && (id->is_int64() || id->is_uint64());
}

std::optional<std::string> compare_one(const json::Value& expected, const json::Value& actual,
                                       std::size_t index) {
  const std::string where = "history event " + std::to_string(index + 1);
  if (type_of(expected) != type_of(actual)) {
    return where + ": expected " + type_of(expected) + ", got " + type_of(actual);
  }
  json::Value e = expected, a = actual;
  if (!has_numeric_id(expected) && e.is_object() && a.is_object()) {
    // The recorder blanked the numbering of re-ordered events; it cannot be compared.
    for (const char* key : {"id", "previousEventId"}) {
      e.get_object().erase(key);
      a.get_object().erase(key);
    }
  }
  if (auto d = loose_diff(e, a, "$")) return where + " (" + type_of(expected) + ") " + *d;
  return std::nullopt;
}

std::optional<std::string> first_type_difference(const json::Array& expected_types,
                                                 const std::vector<std::string>& actual) {
  for (std::size_t i = 0; i < expected_types.size() || i < actual.size(); ++i) {
    std::string e = i < expected_types.size() && expected_types[i].is_string()
                        ? std::string(expected_types[i].get_string())
                        : "(end)";
    std::string a = i < actual.size() ? actual[i] : "(end)";
    if (e != a) {
      return "history event " + std::to_string(i + 1) + ": expected " + e + ", got " + a +
             " (expected " + std::to_string(expected_types.size()) + " events, got " +
             std::to_string(actual.size()) + ")";
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> compare_event_types(const json::Array& expected_types,
                                               const json::Array& actual_events) {
  std::vector<std::string> actual;
  for (const json::Value& e : actual_events) actual.push_back(type_of(e));
  return first_type_difference(expected_types, actual);
}

std::optional<std::string> compare_events(const json::Array& expected_events,
                                          const json::Array& actual_events, bool order_normalised) {
  std::size_t i = 0;
  while (i < expected_events.size() && i < actual_events.size()) {
    if (!order_normalised || has_numeric_id(expected_events[i])) {
      if (auto d = compare_one(expected_events[i], actual_events[i], i)) return d;
      ++i;
      continue;
    }
    // A run the recorder sorted: every expected event must pair with a distinct actual one.
    std::size_t end = i;
    while (end < expected_events.size() && !has_numeric_id(expected_events[end])) ++end;
    if (end > actual_events.size()) break;
    std::vector<bool> used(end - i, false);
    for (std::size_t e = i; e < end; ++e) {
      std::optional<std::string> first_miss;
      bool paired = false;
      for (std::size_t a = i; a < end && !paired; ++a) {
        if (used[a - i]) continue;
        auto d = compare_one(expected_events[e], actual_events[a], e);
        if (!d) {
          used[a - i] = paired = true;
        } else if (!first_miss) {
          first_miss = d;
        }
      }
      if (!paired) {
        return "history event " + std::to_string(e + 1) + " (" + type_of(expected_events[e]) +
               ", compared order-insensitively) has no counterpart in events " +
               std::to_string(i + 1) + ".." + std::to_string(end) +
               (first_miss ? "; e.g. " + *first_miss : "");
      }
    }
    i = end;
  }
  if (expected_events.size() != actual_events.size()) {
    json::Array types;
    for (const json::Value& e : expected_events) types.emplace_back(json::String(type_of(e)));
    if (auto d = compare_event_types(types, actual_events)) return d;
    return "history: expected " + std::to_string(expected_events.size()) + " events, got " +
           std::to_string(actual_events.size());
  }
  return std::nullopt;
}

}  // namespace stepline::harness
