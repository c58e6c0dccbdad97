// One AWS-recorded execution case of shared/conformance/aws-recorded.jsonl, and how a run's
// result is checked against it (status, output or error/cause, history).
#pragma once

#include "common/json.hpp"
#include "common/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace stepline::harness {

struct RecordedCase {
  std::string id;
  std::string area;
  std::string query_language;  // "JSONPath" or "JSONata"
  std::string type;            // "STANDARD" or "EXPRESS"
  json::Value definition;
  json::Value input;
  json::Object expected;                        // status, output | error, cause
  std::optional<json::Array> expected_history;  // event types
  std::optional<json::Array> expected_events;   // full events
  std::vector<std::string> needs;
  json::Value lambdas;  // the functions a `lambda:` case needs: name -> {arn, handler_file, ...}
  bool order_normalised = false;
  bool time_dependent_input = false;
  bool started_sync = false;  // AWS ran it through StartSyncExecution (`start_via`)
};

// Which recorded cases to load: those that need nothing outside the engine, or those whose only
// needs are Lambda functions (`lambda:NAME`, with an IAM role for Credentials at most).
enum class CaseSet { NoNeeds, Lambda };

// The `kind: "execution"` cases of `set` with the given query language ("any": both).
std::vector<RecordedCase> load_recorded_cases(const std::string& jsonl_path,
                                              const std::string& query_language,
                                              CaseSet set = CaseSet::NoNeeds);

// The time the time-dependent inputs were built from (their earliest timestamp): starting the
// manual clock there is the same as rebuilding those inputs relative to the clock.
std::optional<TimePoint> recording_time(const std::string& jsonl_path);

// nullopt when `result` ({"status","output","error","cause","history"} or
// {"definition_error": [...]}) matches the recording; else the first difference.
std::optional<std::string> check_recorded(const RecordedCase& c, const json::Value& result);

}  // namespace stepline::harness
