// AWS service integrations sent to endpoints configured per service (`--service-endpoint
// dynamodb=http://127.0.0.1:8000`): the optimized `sqs`, `sns`, `dynamodb`, `events` resources
// and `aws-sdk:<service>:<action>`, SigV4-signed, over the JSON protocols and SNS's query
// protocol. Service errors become the task errors AWS Step Functions raises.
#pragma once

#include "integrations/aws/sigv4.hpp"
#include "integrations/invoker.hpp"

#include <map>
#include <optional>
#include <string>

namespace stepline::integrations::services {

// A Task resource naming an AWS service API.
struct ServiceTarget {
  std::string service;   // "dynamodb", "sqs", ... as the ARN writes it
  std::string action;    // "putItem"
  std::string mode;      // "" or "waitForTaskToken" (the suffix after '.')
  bool aws_sdk = false;  // arn:aws:states:::aws-sdk:...
};

// nullopt for resources that are not service calls (Lambda, HTTP, states, activities).
std::optional<ServiceTarget> parse_service_resource(const std::string& resource);

// The --service-endpoint name that `target` reads ("events" for aws-sdk:eventbridge).
std::string endpoint_key(const ServiceTarget& target);

class ServiceInvoker final : public TaskInvoker {
 public:
  // `endpoints`: service name -> base URL. Without AWS credentials in the environment requests
  // are signed with fixed local ones, which local emulators (DynamoDB Local, ElasticMQ) accept.
  explicit ServiceInvoker(
      std::map<std::string, std::string> endpoints,
      std::optional<aws::Credentials> credentials = aws::credentials_from_environment());

  bool has_endpoint(const std::string& resource) const;
  TaskOutcome invoke(const TaskRequest& request) override;

 private:
  std::map<std::string, std::string> endpoints_;
  aws::Credentials credentials_;
};

}  // namespace stepline::integrations::services
