// The TaskInvoker `stepline run` and `stepline serve` use: it sends each Task's resource to the
// integration that runs it (Lambda resources to local handlers from a functions file or to a
// remote Lambda endpoint, the HTTP Task to its endpoint, AWS service calls to the endpoint
// configured for the service) and everything else to a fallback, or fails with an error that
// names the configuration that is missing.
#pragma once

#include "common/arns.hpp"
#include "integrations/invoker.hpp"

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace stepline::integrations {

struct IntegrationOptions {
  std::optional<std::string> functions_file;  // --functions FILE
  // The region local functions run in (AWS_REGION); default $AWS_DEFAULT_REGION, else us-east-1.
  std::optional<std::string> region;
  std::optional<std::string> lambda_endpoint;   // --lambda-endpoint URL
  std::optional<std::string> connections_file;  // --connections FILE (HTTP Task credentials)
  // --service-endpoint NAME=URL: "dynamodb", "sqs", "sns", "events", "sfn" -> base URL.
  std::map<std::string, std::string> service_endpoints;
  // Resources no configured integration runs (e.g. a mock config's answers); may be null.
  TaskInvoker* fallback = nullptr;
};

// The configuration is unusable (unreadable functions or connections file, bad endpoint URL); the
// message is meant for the user.
class IntegrationConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The invoker owns the local workers; destroying it ends them.
std::unique_ptr<TaskInvoker> make_task_invoker(const IntegrationOptions& options);

}  // namespace stepline::integrations
