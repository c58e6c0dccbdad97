#include "asl/retrier.hpp"

#include "common/errors.hpp"

namespace stepline::asl {

bool error_matches(const std::vector<std::string>& error_equals, const std::string& error,
                   bool heartbeat) {
  if (error == errors::kRuntime || error == errors::kDataLimitExceeded) return false;
  for (const auto& name : error_equals) {
    if (name == error) return true;
    if (name == errors::kAll) return true;
    if (name == errors::kTaskFailed && error != errors::kTimeout) return true;
    // A heartbeat expiry is reported as States.Timeout but answers to both names.
    if (name == errors::kHeartbeatTimeout && (heartbeat || error == errors::kHeartbeatTimeout)) {
      return true;
    }
  }
  return false;
}

}  // namespace stepline::asl
