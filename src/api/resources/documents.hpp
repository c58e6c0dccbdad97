// The documents the resource operations keep in the Store (store::Resource::document), and the
// contract other subsystems read them by.
//
// Contract (relied on by the runtime, DescribeStateMachineForExecution and the console):
// - ResourceKind::Revision: one immutable (definition, role, type, logging, tracing, encryption)
//   a state machine has had, written at CreateStateMachine and at every *effective*
//   UpdateStateMachine, never changed, and kept when the machine is deleted (executions still
//   reference it). arn = "<stateMachineArn>#<uuid>" (revision_arn()), parent_arn = the state
//   machine ARN, name = the machine's name. Document, in this order:
//     {"stateMachineArn", "name", "definition" (text as sent), "roleArn", "type" (STANDARD |
//      EXPRESS), "loggingConfiguration" ({level, includeExecutionData[, destinations]}),
//      "tracingConfiguration" ({enabled}), "encryptionConfiguration" ({type[, kmsKeyId ...]}),
//      "revisionId" (absent for the initial revision), "updateDate" (epoch seconds number: the
//      revision's date), "variableReferences" (absent when no state reads a variable)}
// - ResourceKind::StateMachine: arn = the state machine ARN. Document = DescribeStateMachine's
//   answer for it (stateMachineArn, name, status ACTIVE | DELETING, definition, roleArn, type,
//   creationDate, loggingConfiguration, tracingConfiguration, encryptionConfiguration,
//   revisionId?, variableReferences?) plus a private member "stepline": {"revisionArn" (the
//   current Revision), "updateDate", "nextVersion", "createdWithPublish",
//   "createdVersionDescription"?} that Describe drops.
// - ResourceKind::Version: arn = "<stateMachineArn>:<n>", parent_arn = the machine, name = "<n>".
//   Document {"stateMachineVersionArn", "creationDate", "description"?, "stepline":
//   {"revisionArn", "number"}}; the definition etc. are the Revision's.
// - ResourceKind::Alias: arn = "<stateMachineArn>:<alias>", parent_arn = the machine, name = the
//   alias. Document = DescribeStateMachineAlias's answer {"stateMachineAliasArn", "name",
//   "description"?, "routingConfiguration" [{stateMachineVersionArn, weight}], "creationDate",
//   "updateDate"}.
// - ResourceKind::Activity: arn = the activity ARN. Document = DescribeActivity's answer
//   {"activityArn", "name", "creationDate", "encryptionConfiguration"}.
// Tags of state machines and activities live in Resource::tags ({key: value}, insertion order).
#pragma once

#include "common/json.hpp"
#include "store/records.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace stepline::api::resources {

std::string revision_arn(std::string_view machine_arn, std::string_view uuid);

// What one revision of a state machine is made of.
struct MachineConfig {
  std::string definition;
  std::string role_arn;
  std::string type = "STANDARD";
  json::Value logging;     // {level, includeExecutionData[, destinations]}
  json::Value tracing;     // {enabled}
  json::Value encryption;  // {type[, kmsKeyId, kmsDataKeyReusePeriodSeconds]}

  // An update that changes none of these is not effective (no new revision).
  bool same_content(const MachineConfig& other) const;
};

struct RevisionRecord {
  std::string arn;
  std::string machine_arn;
  std::string machine_name;
  MachineConfig config;
  std::optional<std::string> revision_id;
  double update_date = 0;
  json::Object variable_references;
};
store::Resource revision_resource(const RevisionRecord& revision);
RevisionRecord revision_from(const store::Resource& resource);

struct MachineRecord {
  std::string arn;
  std::string name;
  std::string status = "ACTIVE";
  MachineConfig config;
  double creation_date = 0;
  std::optional<std::string> revision_id;
  json::Object variable_references;
  std::string revision_arn;
  double update_date = 0;
  long long next_version = 1;
  bool created_with_publish = false;
  std::optional<std::string> created_version_description;
};
// `tags` and `version` are left for the caller to carry over.
store::Resource machine_resource(const MachineRecord& machine);
MachineRecord machine_from(const store::Resource& resource);
// DescribeStateMachine's answer: the document without its private member.
json::Object public_document(const json::Object& document);

struct VersionRecord {
  std::string arn;
  std::string machine_arn;
  long long number = 0;
  double creation_date = 0;
  std::optional<std::string> description;
  std::string revision_arn;
};
store::Resource version_resource(const VersionRecord& version);
VersionRecord version_from(const store::Resource& resource);

// String member `key` of `object`, or `fallback`.
std::string string_member(const json::Object& object, std::string_view key,
                          std::string fallback = {});
double number_member(const json::Object& object, std::string_view key);

}  // namespace stepline::api::resources
