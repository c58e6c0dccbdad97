// Reading and writing state machines, their revisions and versions through the Store with AWS's
// errors, shared by the state machine, version, alias and tag operations and resolve_machine.
#pragma once

#include "api/handlers/service_context.hpp"
#include "api/resources/documents.hpp"
#include "store/records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace stepline::api::resources {

inline constexpr long long kMaxVersionsPerMachine = 1000;
inline constexpr long long kMaxAliasesPerMachine = 100;
// How often an operation re-reads and retries after losing an optimistic-concurrency race.
inline constexpr int kWriteAttempts = 8;

// The state machine at `machine_arn` (unqualified); throws StateMachineDoesNotExist naming
// `reported_arn` (the ARN the caller gave).
store::Resource load_machine(const ServiceContext& context, const std::string& machine_arn,
                             const std::string& reported_arn);
// Same, also refusing a machine being deleted (StateMachineDeleting).
store::Resource load_active_machine(const ServiceContext& context, const std::string& machine_arn,
                                    const std::string& reported_arn);

// A revision the store must hold (throws InternalFailure-mapped StoreError otherwise).
RevisionRecord load_revision(const ServiceContext& context, const std::string& revision_arn);

// Every resource of `kind` under `parent_arn` (versions: at most 1000, aliases: at most 100).
std::vector<store::Resource> list_all(const ServiceContext& context, store::ResourceKind kind,
                                      const std::string& parent_arn);

// The version of `machine` publishing its current revision: the existing one when that
// revision is already published (AWS's idempotent publish), else a new one numbered
// `machine.next_version` (which is advanced). `created` tells which.
struct PublishPlan {
  VersionRecord version;
  bool created = false;
};
PublishPlan plan_publish(const ServiceContext& context, MachineRecord& machine,
                         std::optional<std::string> description, double now);

double now_seconds(const ServiceContext& context);

}  // namespace stepline::api::resources
