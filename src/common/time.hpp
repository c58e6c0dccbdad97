// Time points and the ISO 8601 / RFC 3339 text forms AWS uses.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace stepline {

using Millis = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

// "2024-01-01T10:00:00.123Z": UTC, always with milliseconds, as in the context object.
std::string format_iso8601(TimePoint t);

// Seconds since the epoch with millisecond fraction, as the AWS JSON protocol sends timestamps.
double to_epoch_seconds(TimePoint t);

// An instant parsed from text: microsecond precision in 64 bits reaches every four-digit year
// (nanoseconds would overflow after 2262, and AWS accepts timestamps up to 9999).
using Instant = std::chrono::sys_time<std::chrono::microseconds>;

// Strict RFC 3339 as Step Functions accepts it (Wait Timestamp, Choice Timestamp* operators):
// uppercase T, `Z` or a numeric offset, any number of fractional digits (digits past the
// microsecond are dropped).
std::optional<Instant> parse_rfc3339(std::string_view s);

}  // namespace stepline
