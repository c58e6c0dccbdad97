#include "api/resources/documents.hpp"

namespace stepline::api::resources {

std::string revision_arn(std::string_view machine_arn, std::string_view uuid) {
  return std::string(machine_arn) + "#" + std::string(uuid);
}

bool MachineConfig::same_content(const MachineConfig& other) const {
  return definition == other.definition && role_arn == other.role_arn && type == other.type &&
         json::equal(logging, other.logging) && json::equal(tracing, other.tracing) &&
         json::equal(encryption, other.encryption);
}

std::string string_member(const json::Object& object, std::string_view key, std::string fallback) {
  const json::Value* v = object.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : fallback;
}

double number_member(const json::Object& object, std::string_view key) {
  const json::Value* v = object.if_contains(key);
  double out = 0;
  if (v) json::as_double(*v, out);
  return out;
}

namespace {

std::optional<std::string> optional_string(const json::Object& object, std::string_view key) {
  const json::Value* v = object.if_contains(key);
  if (v && v->is_string()) return std::string(v->get_string());
  return std::nullopt;
}

json::Object object_member(const json::Object& object, std::string_view key) {
  const json::Value* v = object.if_contains(key);
  return v && v->is_object() ? v->get_object() : json::Object{};
}

json::Value value_member(const json::Object& object, std::string_view key) {
  const json::Value* v = object.if_contains(key);
  return v ? *v : json::Value();
}

void put_config(json::Object& doc, const MachineConfig& config) {
  doc["definition"] = config.definition;
  doc["roleArn"] = config.role_arn;
  doc["type"] = config.type;
}

void put_configurations(json::Object& doc, const MachineConfig& config) {
  doc["loggingConfiguration"] = config.logging;
  doc["tracingConfiguration"] = config.tracing;
  doc["encryptionConfiguration"] = config.encryption;
}

MachineConfig config_from(const json::Object& doc) {
  MachineConfig config;
  config.definition = string_member(doc, "definition");
  config.role_arn = string_member(doc, "roleArn");
  config.type = string_member(doc, "type", "STANDARD");
  config.logging = value_member(doc, "loggingConfiguration");
  config.tracing = value_member(doc, "tracingConfiguration");
  config.encryption = value_member(doc, "encryptionConfiguration");
  return config;
}

}  // namespace

store::Resource revision_resource(const RevisionRecord& revision) {
  json::Object doc;
  doc["stateMachineArn"] = revision.machine_arn;
  doc["name"] = revision.machine_name;
  put_config(doc, revision.config);
  put_configurations(doc, revision.config);
  if (revision.revision_id) doc["revisionId"] = *revision.revision_id;
  doc["updateDate"] = revision.update_date;
  if (!revision.variable_references.empty())
    doc["variableReferences"] = revision.variable_references;
  store::Resource resource;
  resource.kind = store::ResourceKind::Revision;
  resource.arn = revision.arn;
  resource.parent_arn = revision.machine_arn;
  resource.name = revision.machine_name;
  resource.document = std::move(doc);
  return resource;
}

RevisionRecord revision_from(const store::Resource& resource) {
  const json::Object doc =
      resource.document.is_object() ? resource.document.as_object() : json::Object{};
  RevisionRecord revision;
  revision.arn = resource.arn;
  revision.machine_arn = string_member(doc, "stateMachineArn", resource.parent_arn);
  revision.machine_name = string_member(doc, "name", resource.name);
  revision.config = config_from(doc);
  revision.revision_id = optional_string(doc, "revisionId");
  revision.update_date = number_member(doc, "updateDate");
  revision.variable_references = object_member(doc, "variableReferences");
  return revision;
}

store::Resource machine_resource(const MachineRecord& machine) {
  json::Object doc;
  doc["stateMachineArn"] = machine.arn;
  doc["name"] = machine.name;
  doc["status"] = machine.status;
  put_config(doc, machine.config);
  doc["creationDate"] = machine.creation_date;
  put_configurations(doc, machine.config);
  if (machine.revision_id) doc["revisionId"] = *machine.revision_id;
  if (!machine.variable_references.empty()) doc["variableReferences"] = machine.variable_references;
  json::Object own;
  own["revisionArn"] = machine.revision_arn;
  own["updateDate"] = machine.update_date;
  own["nextVersion"] = machine.next_version;
  own["createdWithPublish"] = machine.created_with_publish;
  if (machine.created_version_description)
    own["createdVersionDescription"] = *machine.created_version_description;
  doc["stepline"] = std::move(own);
  store::Resource resource;
  resource.kind = store::ResourceKind::StateMachine;
  resource.arn = machine.arn;
  resource.name = machine.name;
  resource.document = std::move(doc);
  return resource;
}

MachineRecord machine_from(const store::Resource& resource) {
  const json::Object doc =
      resource.document.is_object() ? resource.document.as_object() : json::Object{};
  const json::Object own = object_member(doc, "stepline");
  MachineRecord machine;
  machine.arn = resource.arn;
  machine.name = string_member(doc, "name", resource.name);
  machine.status = string_member(doc, "status", "ACTIVE");
  machine.config = config_from(doc);
  machine.creation_date = number_member(doc, "creationDate");
  machine.revision_id = optional_string(doc, "revisionId");
  machine.variable_references = object_member(doc, "variableReferences");
  machine.revision_arn = string_member(own, "revisionArn");
  machine.update_date = number_member(own, "updateDate");
  if (const json::Value* n = own.if_contains("nextVersion"); n && n->is_int64())
    machine.next_version = n->get_int64();
  if (const json::Value* p = own.if_contains("createdWithPublish"); p && p->is_bool())
    machine.created_with_publish = p->get_bool();
  machine.created_version_description = optional_string(own, "createdVersionDescription");
  return machine;
}

json::Object public_document(const json::Object& document) {
  json::Object out = document;
  out.erase("stepline");
  return out;
}

store::Resource version_resource(const VersionRecord& version) {
  json::Object doc;
  doc["stateMachineVersionArn"] = version.arn;
  doc["creationDate"] = version.creation_date;
  if (version.description) doc["description"] = *version.description;
  json::Object own;
  own["revisionArn"] = version.revision_arn;
  own["number"] = version.number;
  doc["stepline"] = std::move(own);
  store::Resource resource;
  resource.kind = store::ResourceKind::Version;
  resource.arn = version.arn;
  resource.parent_arn = version.machine_arn;
  resource.name = std::to_string(version.number);
  resource.document = std::move(doc);
  return resource;
}

VersionRecord version_from(const store::Resource& resource) {
  const json::Object doc =
      resource.document.is_object() ? resource.document.as_object() : json::Object{};
  const json::Object own = object_member(doc, "stepline");
  VersionRecord version;
  version.arn = resource.arn;
  version.machine_arn = resource.parent_arn;
  version.creation_date = number_member(doc, "creationDate");
  version.description = optional_string(doc, "description");
  version.revision_arn = string_member(own, "revisionArn");
  if (const json::Value* n = own.if_contains("number"); n && n->is_int64())
    version.number = n->get_int64();
  return version;
}

}  // namespace stepline::api::resources
