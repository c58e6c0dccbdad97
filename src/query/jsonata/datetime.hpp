// XPath date/time pictures ([Y0001]-[M01]-[D01]...): formatting epoch millis and parsing text
// back, as jsonata-js's datetime.js does, plus ISO 8601 parsing for $toMillis.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace stepline::jsonata {

// `picture` nullopt: ISO 8601 with milliseconds. `timezone` like "-0500". Throws Failure.
std::string format_date_time(double millis, const std::optional<std::string>& picture,
                             const std::optional<std::string>& timezone);
// nullopt when the text does not match the picture. `now` fills leading missing components.
std::optional<double> parse_date_time(const std::string& text, const std::string& picture,
                                      double now);
// Date.parse for the ISO forms $toMillis accepts; nullopt when not ISO 8601 (D3110).
std::optional<double> parse_iso8601(const std::string& text);

}  // namespace stepline::jsonata
