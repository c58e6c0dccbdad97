// The parts of a CreateStateMachine / UpdateStateMachine request that make up a revision, checked
// and normalised the way AWS stores them (the defaults Describe shows: logging OFF without
// execution data, tracing disabled, AWS-owned encryption key).
#pragma once

#include "api/resources/documents.hpp"
#include "common/json.hpp"

#include <string_view>

namespace stepline::api::resources {

// {level, includeExecutionData[, destinations]}; throws InvalidLoggingConfiguration when a level
// other than OFF lacks exactly one destination, or more than one destination is given.
json::Value normalize_logging(const json::Value* requested);
// {enabled}
json::Value normalize_tracing(const json::Value* requested);
// {type[, kmsKeyId, kmsDataKeyReusePeriodSeconds]}; throws InvalidEncryptionConfiguration when a
// customer managed key has no kmsKeyId.
json::Value normalize_encryption(const json::Value* requested);

// Throws InvalidArn (AWS's prefix wording) for a role that is not an ARN.
void require_role_arn(std::string_view role_arn);

// Throws InvalidDefinition with the validator's message (EXPRESS rules for EXPRESS machines).
void require_valid_definition(std::string_view definition, std::string_view type);

}  // namespace stepline::api::resources
