// Wait: delays for a number of seconds or until a timestamp (ASL §5 Wait).
#pragma once

#include "query/jsonpath/path.hpp"

#include <optional>
#include <string>

namespace stepline::asl {

struct WaitState {
  std::optional<long long> seconds;
  std::optional<std::string> timestamp;
  std::optional<query::jsonpath::Path> seconds_path;
  std::optional<query::jsonpath::Path> timestamp_path;
};

}  // namespace stepline::asl
