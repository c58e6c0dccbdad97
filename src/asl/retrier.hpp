// Retry and Catch policies of a Task, Parallel or Map state (ASL §6.2, §6.3), as compiled from
// the definition.
#pragma once

#include "asl/jsonata_value.hpp"
#include "query/jsonpath/result_path.hpp"
#include "query/template/payload_template.hpp"

#include <optional>
#include <string>
#include <vector>

namespace stepline::asl {

struct Retrier {
  std::vector<std::string> error_equals;
  long long interval_seconds = 1;
  long long max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<long long> max_delay_seconds;
  bool full_jitter = false;  // JitterStrategy FULL
};

struct Catcher {
  std::vector<std::string> error_equals;
  std::string next;
  query::jsonpath::ResultPath result_path = query::jsonpath::ResultPath::replace();
  std::optional<query::PayloadTemplate> assign;
  std::optional<JsonataValue> output;          // JSONata
  std::optional<JsonataValue> jsonata_assign;  // JSONata
};

// Whether an ErrorEquals list matches `error` (States.ALL, States.TaskFailed and the heartbeat
// alias included). States.Runtime and States.DataLimitExceeded never match anything.
// `heartbeat`: the error is a heartbeat expiry (reported as States.Timeout).
bool error_matches(const std::vector<std::string>& error_equals, const std::string& error,
                   bool heartbeat = false);

}  // namespace stepline::asl
