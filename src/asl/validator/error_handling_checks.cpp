// Checks of Retry and Catch (ASL.md §6.2–6.4): retrier/catcher fields, ranges, and the rule that
// States.ALL stands alone in the last retrier/catcher.
#include "asl/validator/state_checks.hpp"
#include "asl/validator/value_checks.hpp"

#include <algorithm>

namespace stepline::asl::validation {
namespace {

constexpr std::int64_t kMaxInt = 99999999;

bool in(std::initializer_list<std::string_view> set, std::string_view field) {
  return std::find(set.begin(), set.end(), field) != set.end();
}

// ErrorEquals of retrier/catcher `index` of `count`; returns whether it names States.ALL.
void check_error_equals(Sink& sink, const json::Object& handler, const std::string& location,
                        std::size_t index, std::size_t count) {
  const auto* errors = handler.if_contains("ErrorEquals");
  if (!errors) {
    sink.schema("The field 'ErrorEquals' is required but was missing", location);
    return;
  }
  const std::string errors_location = child(location, "ErrorEquals");
  if (!expect_array(sink, *errors, errors_location)) return;
  const auto& names = errors->get_array();
  if (names.empty()) {
    sink.schema("Value cannot be empty", errors_location);
    return;
  }
  bool has_all = false;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!expect_string(sink, names[i], child(errors_location, i))) continue;
    has_all = has_all || names[i].get_string() == "States.ALL";
  }
  if (has_all && names.size() > 1)
    sink.schema("The error name 'States.ALL' must appear alone in 'ErrorEquals'", errors_location);
  if (has_all && index + 1 != count)
    sink.schema("A retrier or catcher with 'States.ALL' in 'ErrorEquals' must be the last one",
                errors_location);
}

void report_language_mismatch(const StateSite& site, std::string_view field,
                              const std::string& location) {
  const Language other =
      site.language == Language::JSONPath ? Language::JSONata : Language::JSONPath;
  site.run.sink.schema("The QueryLanguage is set to '" + std::string(language_name(site.language)) +
                           "', but field '" + std::string(field) + "' is only supported for the '" +
                           std::string(language_name(other)) + "' QueryLanguage",
                       location);
}

}  // namespace

void check_retry(const StateSite& site, const json::Value& retry) {
  Sink& sink = site.run.sink;
  const std::string location = child(site.pointer, "Retry");
  if (!expect_array(sink, retry, location)) return;
  const auto& retriers = retry.get_array();
  for (std::size_t i = 0; i < retriers.size(); ++i) {
    const std::string here = child(location, i);
    if (!expect_object(sink, retriers[i], here)) continue;
    const auto& retrier = retriers[i].get_object();
    for (const auto& [key, value] : retrier) {
      (void)value;
      if (!in({"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
               "JitterStrategy", "Comment"},
              key))
        sink.schema("Field '" + std::string(key) + "' is not supported", here);
    }
    check_error_equals(sink, retrier, here, i, retriers.size());
    if (const auto* v = retrier.if_contains("IntervalSeconds"))
      expect_integer(sink, *v, child(here, "IntervalSeconds"), 1, kMaxInt);
    if (const auto* v = retrier.if_contains("MaxAttempts"))
      expect_integer(sink, *v, child(here, "MaxAttempts"), 0, kMaxInt);
    if (const auto* v = retrier.if_contains("BackoffRate"))
      expect_number(sink, *v, child(here, "BackoffRate"), 1.0, static_cast<double>(kMaxInt));
    if (const auto* v = retrier.if_contains("MaxDelaySeconds"))
      expect_integer(sink, *v, child(here, "MaxDelaySeconds"), 1, 31622400);
    if (const auto* v = retrier.if_contains("Comment"))
      expect_string(sink, *v, child(here, "Comment"));
    if (const auto* v = retrier.if_contains("JitterStrategy")) {
      if (!v->is_string() || (v->get_string() != "FULL" && v->get_string() != "NONE"))
        sink.schema("The field 'JitterStrategy' should have one of these values: [FULL, NONE]",
                    child(here, "JitterStrategy"));
    }
  }
}

void check_catch(const StateSite& site, const json::Value& catchers_value) {
  Sink& sink = site.run.sink;
  const std::string location = child(site.pointer, "Catch");
  if (!expect_array(sink, catchers_value, location)) return;
  const auto& catchers = catchers_value.get_array();
  for (std::size_t i = 0; i < catchers.size(); ++i) {
    const std::string here = child(location, i);
    if (!expect_object(sink, catchers[i], here)) continue;
    const auto& catcher = catchers[i].get_object();
    for (const auto& [key, value] : catcher) {
      (void)value;
      if (key == "ResultPath" && site.language == Language::JSONata) {
        report_language_mismatch(site, key, here);
      } else if (key == "Output" && site.language == Language::JSONPath) {
        report_language_mismatch(site, key, here);
      } else if (!in({"ErrorEquals", "Next", "ResultPath", "Output", "Assign", "Comment"}, key)) {
        sink.schema("Field '" + std::string(key) + "' is not supported", here);
      }
    }
    check_error_equals(sink, catcher, here, i, catchers.size());
    if (const auto* next = catcher.if_contains("Next")) {
      expect_string(sink, *next, child(here, "Next"));
    } else {
      sink.schema("The field 'Next' is required but was missing", here);
    }
    if (const auto* v = catcher.if_contains("Comment"))
      expect_string(sink, *v, child(here, "Comment"));
    if (const auto* v = jsonpath_field(site, catcher, "ResultPath"))
      check_reference_path_field(
          sink, *v, child(here, "ResultPath"),
          {.allow_null = true, .allow_context = false, .allow_variables = false});
    if (const auto* v = jsonata_field(site, catcher, "Output"))
      check_jsonata_strings(sink, *v, child(here, "Output"), StatesAccess::ErrorOutput);
    if (const auto* v = catcher.if_contains("Assign"))
      check_assign(site, *v, child(here, "Assign"), StatesAccess::ErrorOutput);
  }
}

}  // namespace stepline::asl::validation
