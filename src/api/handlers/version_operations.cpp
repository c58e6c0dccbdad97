// PublishStateMachineVersion, ListStateMachineVersions and DeleteStateMachineVersion (API.md §4):
// versions freeze a revision of a machine under numbers that are never reused.
#include "api/handlers/handlers.hpp"
#include "api/resources/api_failure.hpp"
#include "api/resources/documents.hpp"
#include "api/resources/machine_store.hpp"
#include "api/resources/paging.hpp"
#include "api/resources/resource_arn.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>
#include <string>

namespace stepline::api {

namespace {

using namespace resources;

ResourceArn unqualified_machine(const json::Object& body) {
  const ResourceArn parsed = parse_state_machine_family(string_member(body, "stateMachineArn"));
  if (parsed.kind == ArnKind::Labelled) throw ApiFailure(labelled_arn_not_supported(parsed.text));
  if (parsed.kind != ArnKind::StateMachine)
    throw ApiFailure(state_machine_does_not_exist(parsed.text));
  return parsed;
}

json::Object publish_version(const ServiceContext& context, const json::Object& body) {
  const ResourceArn parsed = unqualified_machine(body);
  std::optional<std::string> description;
  if (const json::Value* d = body.if_contains("description"); d && d->is_string())
    description = std::string(d->get_string());
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    const store::Resource resource = load_active_machine(context, parsed.machine_arn, parsed.text);
    MachineRecord machine = machine_from(resource);
    if (const json::Value* r = body.if_contains("revisionId"); r && r->is_string()) {
      const std::string current = machine.revision_id.value_or("INITIAL");
      if (r->get_string() != current) {
        throw ApiFailure(conflict(fmt::format(
            "Failed to publish the State Machine version for revision {}. The current State "
            "Machine revision is {}.",
            std::string_view(r->get_string()), current)));
      }
    }
    PublishPlan plan = plan_publish(context, machine, description, now_seconds(context));
    if (plan.created) {
      store::Resource updated = machine_resource(machine);
      updated.tags = resource.tags;
      if (!context.store
               ->write_resources({{version_resource(plan.version), 0, false},
                                  {std::move(updated), resource.version, false}})
               .ok) {
        continue;
      }
    }
    json::Object out;
    out["creationDate"] = plan.version.creation_date;
    out["stateMachineVersionArn"] = plan.version.arn;
    return out;
  }
  throw ApiFailure(conflict("Concurrent modification of state machine '" + parsed.text + "'"));
}

json::Object list_versions(const ServiceContext& context, const json::Object& body) {
  const ResourceArn parsed = parse_state_machine_family(string_member(body, "stateMachineArn"));
  if (parsed.kind != ArnKind::StateMachine) {
    throw ApiFailure(validation(fmt::format(
        "Invalid Arn: 'A state machine ARN without qualifier is required: {}'", parsed.text)));
  }
  // Newest first, as AWS lists them.
  const store::Page<store::Resource> page = list_page(*context.store, store::ResourceKind::Version,
                                                      parsed.machine_arn, page_request(body, true));
  json::Array items;
  for (const store::Resource& resource : page.items) {
    json::Object item;
    item["stateMachineVersionArn"] = resource.arn;
    item["creationDate"] = number_member(resource.document.as_object(), "creationDate");
    items.push_back(std::move(item));
  }
  return list_answer("stateMachineVersions", std::move(items), page.next_token);
}

// The names of the aliases of `machine_arn` routing to `version`.
std::vector<std::string> aliases_routing_to(const ServiceContext& context,
                                            const std::string& machine_arn,
                                            const std::string& version) {
  std::vector<std::string> names;
  for (const store::Resource& alias : list_all(context, store::ResourceKind::Alias, machine_arn)) {
    const json::Value* routing = alias.document.as_object().if_contains("routingConfiguration");
    if (routing == nullptr || !routing->is_array()) continue;
    for (const json::Value& entry : routing->get_array()) {
      if (string_member(entry.as_object(), "stateMachineVersionArn") == version) {
        names.push_back(alias.name);
        break;
      }
    }
  }
  return names;
}

json::Object delete_version(const ServiceContext& context, const json::Object& body) {
  const ResourceArn parsed =
      parse_state_machine_family(string_member(body, "stateMachineVersionArn"));
  if (parsed.kind != ArnKind::Version) {
    throw ApiFailure(validation(
        fmt::format("Invalid Arn: 'A state machine version ARN is required: {}'", parsed.text)));
  }
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    std::optional<store::Resource> version =
        context.store->get_resource(store::ResourceKind::Version, parsed.text);
    if (!version) return {};  // deleting what is not there succeeds, as on AWS
    const std::vector<std::string> aliases =
        aliases_routing_to(context, parsed.machine_arn, parsed.text);
    if (!aliases.empty()) {
      throw ApiFailure(conflict(fmt::format(
          "Version to be deleted must not be referenced by an alias. Current list of aliases "
          "referencing this version: [{}]",
          fmt::join(aliases, ", "))));
    }
    if (context.store->write_resources({{*version, version->version, true}}).ok) return {};
  }
  throw ApiFailure(conflict("Concurrent modification of version '" + parsed.text + "'"));
}

}  // namespace

void register_version_operations(OperationRegistry& registry, const ServiceContext& context) {
  registry.add_sync("PublishStateMachineVersion", sync_operation(context, publish_version));
  registry.add_sync("ListStateMachineVersions", sync_operation(context, list_versions));
  registry.add_sync("DeleteStateMachineVersion", sync_operation(context, delete_version));
}

}  // namespace stepline::api
