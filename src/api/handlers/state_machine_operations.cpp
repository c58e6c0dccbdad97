// CreateStateMachine, DescribeStateMachine, ListStateMachines, UpdateStateMachine and
// DeleteStateMachine (API.md §4) over the Store documents of api/resources/documents.hpp.
#include "api/handlers/handlers.hpp"
#include "api/resources/api_failure.hpp"
#include "api/resources/documents.hpp"
#include "api/resources/machine_config.hpp"
#include "api/resources/machine_deletion.hpp"
#include "api/resources/machine_store.hpp"
#include "api/resources/names.hpp"
#include "api/resources/paging.hpp"
#include "api/resources/resource_arn.hpp"
#include "api/resources/variable_references.hpp"

#include <optional>
#include <string>

namespace stepline::api {

namespace {

using namespace resources;

// AWS's quota of registered state machines (LOCAL.md §4, the current documentation's figure).
constexpr long long kMaxStateMachines = 100000;

std::optional<std::string> optional_string(const json::Object& body, std::string_view key) {
  const json::Value* v = body.if_contains(key);
  if (v && v->is_string()) return std::string(v->get_string());
  return std::nullopt;
}

bool flag(const json::Object& body, std::string_view key) {
  const json::Value* v = body.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

void require_description_with_publish(const json::Object& body) {
  if (body.contains("versionDescription") && !flag(body, "publish"))
    throw ApiFailure(validation("Version description can only be set when publish is true"));
}

// The revision a machine gets when its content is created or changes.
RevisionRecord new_revision(const ServiceContext& context, const MachineRecord& machine,
                            std::optional<std::string> revision_id, double now) {
  RevisionRecord revision;
  revision.arn = revision_arn(machine.arn, context.ids->uuid());
  revision.machine_arn = machine.arn;
  revision.machine_name = machine.name;
  revision.config = machine.config;
  revision.revision_id = std::move(revision_id);
  revision.update_date = now;
  revision.variable_references = machine.variable_references;
  return revision;
}

json::Object create_state_machine(const ServiceContext& context, const json::Object& body) {
  const std::string name = string_member(body, "name");
  require_valid_name(name);
  MachineConfig config;
  config.role_arn = string_member(body, "roleArn");
  require_role_arn(config.role_arn);
  config.type = string_member(body, "type", "STANDARD");
  const bool publish = flag(body, "publish");
  const std::optional<std::string> version_description =
      optional_string(body, "versionDescription");
  require_description_with_publish(body);
  config.logging = normalize_logging(body.if_contains("loggingConfiguration"));
  config.tracing = normalize_tracing(body.if_contains("tracingConfiguration"));
  config.encryption = normalize_encryption(body.if_contains("encryptionConfiguration"));
  config.definition = string_member(body, "definition");
  require_valid_definition(config.definition, config.type);
  const std::string arn = state_machine_arn(context, name);
  const json::Object tags = tags_from_request(body.if_contains("tags"));
  if (tags.size() > kMaxTags) throw ApiFailure(too_many_tags(arn));

  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    if (std::optional<store::Resource> existing =
            context.store->get_resource(store::ResourceKind::StateMachine, arn)) {
      MachineRecord current = machine_from(*existing);
      if (current.status == "DELETING") throw ApiFailure(state_machine_deleting(arn));
      // Idempotent retry: everything but the role and the tags must match (API.md).
      MachineConfig compared = config;
      compared.role_arn = current.config.role_arn;
      if (!compared.same_content(current.config) || publish != current.created_with_publish ||
          version_description != current.created_version_description) {
        throw ApiFailure(state_machine_already_exists(arn));
      }
      json::Object out;
      out["stateMachineArn"] = arn;
      out["creationDate"] = current.creation_date;
      if (publish) {
        for (const store::Resource& v : list_all(context, store::ResourceKind::Version, arn)) {
          if (version_from(v).revision_arn == current.revision_arn) {
            out["stateMachineVersionArn"] = v.arn;
            break;
          }
        }
      }
      return out;
    }
    if (context.store->counts().state_machines >= kMaxStateMachines) {
      throw ApiFailure(ApiError{"StateMachineLimitExceeded",
                                "State Machine Limit Exceeded: the maximum number of state "
                                "machines for this account and region has been reached",
                                400,
                                {}});
    }
    const double now = now_seconds(context);
    MachineRecord machine;
    machine.arn = arn;
    machine.name = name;
    machine.config = config;
    machine.creation_date = now;
    machine.update_date = now;
    machine.variable_references = variable_references(config.definition);
    machine.created_with_publish = publish;
    machine.created_version_description = version_description;
    const RevisionRecord revision = new_revision(context, machine, std::nullopt, now);
    machine.revision_arn = revision.arn;
    std::optional<VersionRecord> version;
    if (publish) {
      // A new machine has no versions yet: this is version 1.
      version = plan_publish(context, machine, version_description, now).version;
    }
    std::vector<store::ResourceWrite> writes;
    writes.push_back({revision_resource(revision), 0, false});
    store::Resource resource = machine_resource(machine);
    resource.tags = tags;
    writes.push_back({std::move(resource), 0, false});
    if (version) writes.push_back({version_resource(*version), 0, false});
    if (!context.store->write_resources(writes).ok) continue;  // raced with a concurrent create
    json::Object out;
    out["stateMachineArn"] = arn;
    out["creationDate"] = now;
    if (version) out["stateMachineVersionArn"] = version->arn;
    return out;
  }
  throw ApiFailure(conflict("Concurrent modification of state machine '" + arn + "'"));
}

json::Object describe_version(const ServiceContext& context, const ResourceArn& parsed) {
  std::optional<store::Resource> version =
      context.store->get_resource(store::ResourceKind::Version, parsed.text);
  if (!version) throw ApiFailure(state_machine_does_not_exist(parsed.text));
  const MachineRecord machine =
      machine_from(load_machine(context, parsed.machine_arn, parsed.text));
  const VersionRecord record = version_from(*version);
  const RevisionRecord revision = load_revision(context, record.revision_arn);
  json::Object out;
  out["stateMachineArn"] = record.arn;
  out["name"] = machine.name;
  out["status"] = machine.status;
  out["definition"] = revision.config.definition;
  out["roleArn"] = revision.config.role_arn;
  out["type"] = revision.config.type;
  out["creationDate"] = record.creation_date;
  out["loggingConfiguration"] = revision.config.logging;
  out["tracingConfiguration"] = revision.config.tracing;
  out["encryptionConfiguration"] = revision.config.encryption;
  if (revision.revision_id) out["revisionId"] = *revision.revision_id;
  if (record.description) out["description"] = *record.description;
  if (!revision.variable_references.empty())
    out["variableReferences"] = revision.variable_references;
  return out;
}

json::Object describe_state_machine(const ServiceContext& context, const json::Object& body) {
  const ResourceArn parsed = parse_state_machine_family(string_member(body, "stateMachineArn"));
  switch (parsed.kind) {
    case ArnKind::Version:
      return describe_version(context, parsed);
    case ArnKind::StateMachine:
      return public_document(
          load_machine(context, parsed.machine_arn, parsed.text).document.as_object());
    default:
      // Aliases are described by DescribeStateMachineAlias; labelled (Distributed Map child)
      // machines exist only while their Map Run does and are not kept as resources.
      throw ApiFailure(state_machine_does_not_exist(parsed.text));
  }
}

json::Object list_state_machines(const ServiceContext& context, const json::Object& body) {
  const store::Page<store::Resource> page =
      list_page(*context.store, store::ResourceKind::StateMachine, "", page_request(body));
  json::Array items;
  for (const store::Resource& resource : page.items) {
    const json::Object& doc = resource.document.as_object();
    json::Object item;
    item["stateMachineArn"] = resource.arn;
    item["name"] = resource.name;
    item["type"] = string_member(doc, "type", "STANDARD");
    item["creationDate"] = number_member(doc, "creationDate");
    items.push_back(std::move(item));
  }
  return list_answer("stateMachines", std::move(items), page.next_token);
}

json::Object update_state_machine(const ServiceContext& context, const json::Object& body) {
  const ResourceArn parsed = parse_state_machine_family(string_member(body, "stateMachineArn"));
  if (parsed.kind == ArnKind::Labelled) throw ApiFailure(labelled_arn_not_supported(parsed.text));
  if (parsed.kind != ArnKind::StateMachine)
    throw ApiFailure(state_machine_does_not_exist(parsed.text));
  const std::optional<std::string> definition = optional_string(body, "definition");
  const std::optional<std::string> role = optional_string(body, "roleArn");
  if (!definition && !role && !body.contains("loggingConfiguration") &&
      !body.contains("tracingConfiguration") && !body.contains("encryptionConfiguration")) {
    throw ApiFailure(ApiError{"MissingRequiredParameter",
                              "Either the definition, the role ARN, the LoggingConfiguration, or "
                              "the TracingConfiguration must be specified",
                              400,
                              {}});
  }
  require_description_with_publish(body);
  if (role) require_role_arn(*role);
  const bool publish = flag(body, "publish");
  const std::optional<std::string> version_description =
      optional_string(body, "versionDescription");

  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    const store::Resource resource = load_active_machine(context, parsed.machine_arn, parsed.text);
    MachineRecord machine = machine_from(resource);
    MachineConfig config = machine.config;
    if (definition) config.definition = *definition;
    if (role) config.role_arn = *role;
    if (const json::Value* logging = body.if_contains("loggingConfiguration"))
      config.logging = normalize_logging(logging);
    if (const json::Value* tracing = body.if_contains("tracingConfiguration"))
      config.tracing = normalize_tracing(tracing);
    if (const json::Value* encryption = body.if_contains("encryptionConfiguration"))
      config.encryption = normalize_encryption(encryption);
    if (definition) require_valid_definition(*definition, config.type);

    const double now = now_seconds(context);
    std::vector<store::ResourceWrite> writes;
    const bool effective = !config.same_content(machine.config);
    if (effective) {
      machine.config = config;
      machine.revision_id = context.ids->uuid();
      machine.update_date = now;
      machine.variable_references = variable_references(config.definition);
      const RevisionRecord revision = new_revision(context, machine, machine.revision_id, now);
      machine.revision_arn = revision.arn;
      writes.push_back({revision_resource(revision), 0, false});
    }
    std::optional<VersionRecord> version;
    if (publish) {
      PublishPlan plan = plan_publish(context, machine, version_description, now);
      if (plan.created) writes.push_back({version_resource(plan.version), 0, false});
      version = std::move(plan.version);
    }
    if (!writes.empty()) {
      store::Resource updated = machine_resource(machine);
      updated.tags = resource.tags;
      writes.push_back({std::move(updated), resource.version, false});
      if (!context.store->write_resources(writes).ok) continue;
    }
    json::Object out;
    out["updateDate"] = effective ? now : machine.update_date;
    if (machine.revision_id) out["revisionId"] = *machine.revision_id;
    if (version) out["stateMachineVersionArn"] = version->arn;
    return out;
  }
  throw ApiFailure(conflict("Concurrent modification of state machine '" + parsed.text + "'"));
}

void delete_state_machine(const ServiceContext& context, const ApiRequest& request,
                          ApiReply reply) {
  std::optional<std::string> machine_arn;
  ApiOutcome early = answer_with([&]() -> json::Object {
    const ResourceArn parsed =
        parse_state_machine_family(string_member(request.body, "stateMachineArn"));
    if (parsed.kind == ArnKind::Labelled) throw ApiFailure(labelled_arn_not_supported(parsed.text));
    if (parsed.kind != ArnKind::StateMachine) {
      throw ApiFailure(
          validation("Invalid Arn: 'Versions and aliases are deleted with "
                     "DeleteStateMachineVersion and DeleteStateMachineAlias'"));
    }
    machine_arn = parsed.machine_arn;
    return {};
  });
  if (!machine_arn) {
    reply(std::move(early));
    return;
  }
  delete_machine(context, *machine_arn,
                 [reply = std::move(reply)](ApiOutcome outcome) { reply(std::move(outcome)); });
}

}  // namespace

void register_state_machine_operations(OperationRegistry& registry, const ServiceContext& context) {
  registry.add_sync("CreateStateMachine", sync_operation(context, create_state_machine));
  registry.add_sync("DescribeStateMachine", sync_operation(context, describe_state_machine));
  registry.add_sync("ListStateMachines", sync_operation(context, list_state_machines));
  registry.add_sync("UpdateStateMachine", sync_operation(context, update_state_machine));
  registry.add("DeleteStateMachine", [context](const ApiRequest& request, ApiReply reply) {
    delete_state_machine(context, request, std::move(reply));
  });
}

}  // namespace stepline::api
