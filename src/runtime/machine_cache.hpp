// Compiled state machines by revision: a definition is validated and built once, then shared by
// every execution that runs it (asl::StateMachine is immutable).
#pragma once

#include "asl/state_machine.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace stepline::runtime {

// The definition does not validate or build; the message says why.
class MachineError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class MachineCache {
 public:
  // `revision_arn` names the definition when not empty; otherwise the text itself is the key.
  std::shared_ptr<const asl::StateMachine> get(const std::string& revision_arn,
                                               const std::string& definition, bool express);

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const asl::StateMachine>> machines_;
};

}  // namespace stepline::runtime
