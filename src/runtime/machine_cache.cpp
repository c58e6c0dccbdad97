#include "runtime/machine_cache.hpp"

#include "asl/builder.hpp"
#include "asl/validator/validate.hpp"
#include "common/json.hpp"

namespace stepline::runtime {

std::shared_ptr<const asl::StateMachine> MachineCache::get(const std::string& revision_arn,
                                                           const std::string& definition,
                                                           bool express) {
  const std::string key = revision_arn.empty() ? "text:" + definition : revision_arn;
  {
    std::lock_guard lock(mutex_);
    if (auto it = machines_.find(key); it != machines_.end()) return it->second;
  }
  // Built outside the lock: two threads may build the same revision once each, harmlessly.
  json::Value document;
  try {
    document = json::parse(definition);
  } catch (const json::ParseError& e) {
    throw MachineError(std::string("the definition is not JSON: ") + e.what());
  }
  auto diagnostics = asl::validate(
      document,
      asl::ValidateOptions{express ? asl::MachineType::Express : asl::MachineType::Standard});
  if (asl::has_errors(diagnostics))
    throw MachineError(asl::invalid_definition_message(diagnostics));
  std::shared_ptr<const asl::StateMachine> machine;
  try {
    machine = asl::build(document);
  } catch (const asl::BuildError& e) {
    throw MachineError(e.what());
  }
  std::lock_guard lock(mutex_);
  return machines_.emplace(key, std::move(machine)).first->second;
}

}  // namespace stepline::runtime
