// What StartExecution / StartSyncExecution resolved a state machine or version ARN to, kept so
// that a stream of starts does not read and parse the machine and its revision from the store on
// every call. Exact on one node: every write operation of this API (Create*, Update*, Delete*,
// Publish*, Tag*, Untag*) drops the whole cache before it answers (`invalidate`), and an entry
// resolved while a write was in flight is not kept. Writes by other nodes sharing the store are
// seen after at most `kMaxAge`, like AWS, where starts right after UpdateStateMachine may still
// use the previous definition. Aliases are never cached: each start draws its version.
#pragma once

#include "api/api_error.hpp"
#include "api/handlers/service_context.hpp"
#include "runtime/runtime.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <variant>

namespace stepline::api {

class MachineRefCache {
 public:
  static constexpr std::chrono::milliseconds kMaxAge{1000};

  // `arn` resolved as resolve_machine does, from the cache when a fresh entry is there.
  std::variant<runtime::MachineRef, ApiError> resolve(const ServiceContext& context,
                                                      const std::string& arn);
  // Drops every entry (a resource was written).
  void invalidate();

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::shared_ptr<const runtime::MachineRef> ref;
    Clock::time_point resolved_at;
  };
  static constexpr std::size_t kMaxEntries = 4096;

  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;  // bumped by invalidate()
};

// resolve_machine through `context.machine_refs` when the context has one.
std::variant<runtime::MachineRef, ApiError> resolve_machine_cached(const ServiceContext& context,
                                                                   const std::string& arn);

}  // namespace stepline::api
