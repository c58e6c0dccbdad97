#include "integrations/services/service_protocols.hpp"

namespace stepline::integrations::services {

std::optional<ServiceProtocol> protocol_for(const std::string& service) {
  if (service == "dynamodb") {
    return ServiceProtocol{"dynamodb", "dynamodb", Protocol::Json10,   "DynamoDB_20120810",
                           "",         "DynamoDB", "AmazonDynamoDBv2", "AmazonDynamoDBException",
                           "DynamoDb", {}};
  }
  if (service == "sqs") {
    return ServiceProtocol{"sqs", "sqs",       Protocol::Json10,     "AmazonSQS", "",
                           "SQS", "AmazonSQS", "AmazonSQSException", "Sqs",       {}};
  }
  if (service == "events" || service == "eventbridge") {
    return ServiceProtocol{"events",
                           "events",
                           Protocol::Json11,
                           "AWSEvents",
                           "",
                           "EventBridge",
                           "AmazonEventBridge",
                           "AmazonEventBridgeException",
                           "EventBridge",
                           {}};
  }
  if (service == "sns") {
    return ServiceProtocol{"sns", "sns",       Protocol::Query,      "",    "2010-03-31",
                           "SNS", "AmazonSNS", "AmazonSNSException", "Sns", {}};
  }
  if (service == "sfn") {
    // Its JSON API names members in camelCase; its only maps keyed by user data are these
    // (stepfunctions-service-2.json: VariableReferences, AssignedVariables).
    return ServiceProtocol{"sfn",
                           "states",
                           Protocol::Json10,
                           "AWSStepFunctions",
                           "",
                           "Sfn",
                           "AWSStepFunctions",
                           "AWSStepFunctionsException",
                           "Sfn",
                           MemberNaming{true, {"variableReferences", "assignedVariables"}}};
  }
  return std::nullopt;
}

}  // namespace stepline::integrations::services
