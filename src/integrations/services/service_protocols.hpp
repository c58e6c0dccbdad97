// How Stepline speaks to each AWS service it can send Task states to: wire protocol, signing
// name, JSON target prefix, and the names AWS Step Functions gives the service in error names
// and causes (the optimized integrations use the Java SDK v1, aws-sdk:* the SDK v2).
#pragma once

#include "integrations/services/member_names.hpp"

#include <optional>
#include <string>

namespace stepline::integrations::services {

enum class Protocol { Json10, Json11, Query };

struct ServiceProtocol {
  std::string endpoint_key;  // the NAME in --service-endpoint NAME=URL
  std::string signing_name;  // SigV4 service name
  Protocol protocol = Protocol::Json10;
  std::string target_prefix;    // X-Amz-Target: <prefix>.<Action> (JSON protocols)
  std::string api_version;      // Version= (query protocol)
  std::string v1_error_prefix;  // optimized: "DynamoDB" in DynamoDB.ConditionalCheckFailedException
  std::string v1_service_name;  // optimized cause: "(Service: AmazonDynamoDBv2; ...)"
  std::string v1_base_exception;  // optimized: the SDK's catch-all exception class
  std::string v2_name;            // aws-sdk: "DynamoDb" in errors and causes
  MemberNaming aws_sdk_naming;    // how aws-sdk parameter names map to the API's members
};

// The protocol for a service named as in `arn:aws:states:::<service>:...` or
// `arn:aws:states:::aws-sdk:<service>:...`; nullopt when Stepline cannot speak it.
std::optional<ServiceProtocol> protocol_for(const std::string& service);

}  // namespace stepline::integrations::services
