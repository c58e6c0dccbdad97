#include "api/handlers/machine_ref_cache.hpp"

#include "api/resources/machine_resolver.hpp"

namespace stepline::api {

std::variant<runtime::MachineRef, ApiError> MachineRefCache::resolve(const ServiceContext& context,
                                                                     const std::string& arn) {
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(arn); it != entries_.end()) {
      if (Clock::now() - it->second.resolved_at < kMaxAge) return *it->second.ref;
      entries_.erase(it);
    }
    generation = generation_;
  }
  const Clock::time_point started = Clock::now();
  std::variant<runtime::MachineRef, ApiError> resolved = resolve_machine(context, arn);
  const auto* ref = std::get_if<runtime::MachineRef>(&resolved);
  if (!ref || !ref->alias_arn.empty()) return resolved;  // errors and alias draws: every time
  auto kept = std::make_shared<const runtime::MachineRef>(*ref);
  std::lock_guard lock(mutex_);
  if (generation != generation_) return resolved;  // a write answered meanwhile
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[arn] = Entry{std::move(kept), started};
  return resolved;
}

void MachineRefCache::invalidate() {
  std::lock_guard lock(mutex_);
  ++generation_;
  entries_.clear();
}

std::variant<runtime::MachineRef, ApiError> resolve_machine_cached(const ServiceContext& context,
                                                                   const std::string& arn) {
  if (context.machine_refs) return context.machine_refs->resolve(context, arn);
  return resolve_machine(context, arn);
}

}  // namespace stepline::api
