#include "api/resources/machine_store.hpp"

#include "api/resources/api_failure.hpp"
#include "api/resources/resource_arn.hpp"
#include "common/time.hpp"

namespace stepline::api::resources {

store::Resource load_machine(const ServiceContext& context, const std::string& machine_arn,
                             const std::string& reported_arn) {
  std::optional<store::Resource> machine =
      context.store->get_resource(store::ResourceKind::StateMachine, machine_arn);
  if (!machine) throw ApiFailure(state_machine_does_not_exist(reported_arn));
  return *machine;
}

store::Resource load_active_machine(const ServiceContext& context, const std::string& machine_arn,
                                    const std::string& reported_arn) {
  store::Resource machine = load_machine(context, machine_arn, reported_arn);
  if (machine_from(machine).status == "DELETING")
    throw ApiFailure(state_machine_deleting(reported_arn));
  return machine;
}

RevisionRecord load_revision(const ServiceContext& context, const std::string& revision_arn) {
  std::optional<store::Resource> revision =
      context.store->get_resource(store::ResourceKind::Revision, revision_arn);
  if (!revision) throw store::StoreError("missing state machine revision " + revision_arn);
  return revision_from(*revision);
}

std::vector<store::Resource> list_all(const ServiceContext& context, store::ResourceKind kind,
                                      const std::string& parent_arn) {
  std::vector<store::Resource> out;
  store::PageRequest page;
  page.limit = 1000;
  do {
    store::Page<store::Resource> got = context.store->list_resources(kind, parent_arn, page);
    for (store::Resource& r : got.items) out.push_back(std::move(r));
    page.token = got.next_token;
  } while (!page.token.empty());
  return out;
}

PublishPlan plan_publish(const ServiceContext& context, MachineRecord& machine,
                         std::optional<std::string> description, double now) {
  const std::vector<store::Resource> versions =
      list_all(context, store::ResourceKind::Version, machine.arn);
  for (const store::Resource& resource : versions) {
    VersionRecord version = version_from(resource);
    if (version.revision_arn == machine.revision_arn) return {std::move(version), false};
  }
  if (static_cast<long long>(versions.size()) >= kMaxVersionsPerMachine) {
    throw ApiFailure(service_quota_exceeded(
        "The maximum number of versions (1000) for the state machine has been reached: '" +
        machine.arn + "'"));
  }
  PublishPlan plan;
  plan.created = true;
  plan.version.number = machine.next_version++;
  plan.version.arn = version_arn(machine.arn, plan.version.number);
  plan.version.machine_arn = machine.arn;
  plan.version.creation_date = now;
  plan.version.description = std::move(description);
  plan.version.revision_arn = machine.revision_arn;
  return plan;
}

double now_seconds(const ServiceContext& context) {
  return to_epoch_seconds(context.clock->now());
}

}  // namespace stepline::api::resources
