// ARNs of the resources these operations manage (API.md §2): parsing what callers send into the
// state machine / version / alias / labelled / activity forms, and building version and alias
// ARNs. Parsing failures throw ApiFailure(InvalidArn) with AWS's wording.
#pragma once

#include "api/handlers/service_context.hpp"

#include <string>
#include <string_view>

namespace stepline::api::resources {

enum class ArnKind {
  StateMachine,  // arn:...:stateMachine:<name>
  Version,       // arn:...:stateMachine:<name>:<digits>
  Alias,         // arn:...:stateMachine:<name>:<alias>
  Labelled,      // arn:...:stateMachine:<name>/<label> (a Distributed Map's child workflow)
  Activity,      // arn:...:activity:<name>
};

struct ResourceArn {
  ArnKind kind = ArnKind::StateMachine;
  std::string text;          // the ARN as given
  std::string machine_arn;   // the unqualified state machine ARN (all but Activity)
  std::string machine_name;  // or the activity's name
  std::string alias_name;    // Alias
  long long version = 0;     // Version
};

// Throws ApiFailure: InvalidArn "Invalid ARN prefix" when `arn` does not start with `arn:`,
// "Resource type not valid in this context: <type>" for other resource types (executions ...).
ResourceArn parse_resource_arn(std::string_view arn);

// Parse and insist on the state machine family (machine, version, alias, labelled) or on an
// activity; the other kind throws InvalidArn "Resource type not valid in this context".
ResourceArn parse_state_machine_family(std::string_view arn);
ResourceArn parse_activity_arn(std::string_view arn);

std::string version_arn(std::string_view machine_arn, long long number);
std::string alias_arn(std::string_view machine_arn, std::string_view alias);
std::string state_machine_arn(const ServiceContext& context, std::string_view name);
std::string activity_arn(const ServiceContext& context, std::string_view name);

}  // namespace stepline::api::resources
