#include "integrations/routing/task_router.hpp"

#include "common/errors.hpp"
#include "integrations/aws/remote_lambda.hpp"
#include "integrations/http/http_task_invoker.hpp"
#include "integrations/lambda/functions_file.hpp"
#include "integrations/lambda/lambda_task_invoker.hpp"
#include "integrations/lambda/local_functions.hpp"
#include "integrations/services/service_invoker.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

namespace stepline::integrations {

namespace {

// Local handlers first; names the functions file does not declare go to the remote endpoint.
class LayeredLambda final : public lambda::LambdaBackend {
 public:
  LayeredLambda(std::unique_ptr<lambda::LambdaBackend> local,
                std::unique_ptr<lambda::LambdaBackend> remote)
      : local_(std::move(local)), remote_(std::move(remote)) {}

  lambda::InvokeResponse invoke(const lambda::InvokeRequest& request) override {
    if (local_ && (local_->has_function(request.function_name) || !remote_)) {
      return local_->invoke(request);
    }
    return remote_->invoke(request);
  }
  bool has_function(const std::string& name) const override {
    return (local_ && local_->has_function(name)) || (remote_ && remote_->has_function(name));
  }

 private:
  std::unique_ptr<lambda::LambdaBackend> local_;
  std::unique_ptr<lambda::LambdaBackend> remote_;
};

class TaskRouter final : public TaskInvoker {
 public:
  TaskRouter(std::unique_ptr<lambda::LambdaBackend> lambda,
             std::unique_ptr<http::HttpTaskInvoker> http,
             std::unique_ptr<services::ServiceInvoker> services, TaskInvoker* fallback)
      : lambda_(std::move(lambda)),
        http_(std::move(http)),
        services_(std::move(services)),
        fallback_(fallback) {
    if (lambda_) lambda_invoker_ = std::make_unique<lambda::LambdaTaskInvoker>(*lambda_);
  }

  TaskOutcome invoke(const TaskRequest& request) override {
    if (lambda::LambdaTaskInvoker::handles(request.resource)) {
      if (lambda_invoker_) return lambda_invoker_->invoke(request);
      if (!fallback_) {
        return TaskOutcome::failed(
            std::string(errors::kRuntime),
            fmt::format("No Lambda integration is configured for resource '{}': pass "
                        "--functions FILE to run local handlers or --lambda-endpoint URL to "
                        "call a Lambda endpoint",
                        request.resource));
      }
    }
    // The HTTP Task needs no configuration unless it names a connection.
    if (http::HttpTaskInvoker::handles(request.resource)) return http_->invoke(request);
    if (services_ && services_->has_endpoint(request.resource)) return services_->invoke(request);
    if (fallback_) return fallback_->invoke(request);
    if (auto target = services::parse_service_resource(request.resource)) {
      return TaskOutcome::failed(
          std::string(errors::kRuntime),
          fmt::format("No integration is configured for resource '{}': pass --service-endpoint "
                      "{}=URL to send it to a service endpoint, or answer it from a mock "
                      "config (--mock-config)",
                      request.resource, services::endpoint_key(*target)));
    }
    return TaskOutcome::failed(
        std::string(errors::kRuntime),
        fmt::format("No integration is configured for resource '{}': Stepline runs Lambda "
                    "functions (--functions, --lambda-endpoint), HTTP Tasks and AWS service "
                    "calls (--service-endpoint); other resources need a mock config "
                    "(--mock-config)",
                    request.resource));
  }

 private:
  std::unique_ptr<lambda::LambdaBackend> lambda_;
  std::unique_ptr<lambda::LambdaTaskInvoker> lambda_invoker_;
  std::unique_ptr<http::HttpTaskInvoker> http_;
  std::unique_ptr<services::ServiceInvoker> services_;
  TaskInvoker* fallback_;
};

// How long loading a functions file waits for its workers' interpreters to start.
constexpr std::chrono::seconds kWarmUpPatience{10};

std::string local_region(const IntegrationOptions& options) {
  if (options.region) return *options.region;
  if (const char* region = std::getenv("AWS_DEFAULT_REGION"); region && *region) return region;
  return std::string(arns::kDefaultRegion);
}

}  // namespace

std::unique_ptr<TaskInvoker> make_task_invoker(const IntegrationOptions& options) {
  std::unique_ptr<lambda::LambdaBackend> local, remote;
  if (options.functions_file) {
    try {
      auto functions = std::make_unique<lambda::LocalFunctions>(
          lambda::load_functions_file(*options.functions_file));
      functions->warm_up(local_region(options), kWarmUpPatience);
      local = std::move(functions);
    } catch (const lambda::FunctionsFileError& e) {
      throw IntegrationConfigError(e.what());
    }
  }
  if (options.lambda_endpoint) {
    try {
      remote = std::make_unique<aws::RemoteLambda>(*options.lambda_endpoint);
    } catch (const std::invalid_argument& e) {
      throw IntegrationConfigError(e.what());
    }
  }
  std::unique_ptr<lambda::LambdaBackend> backend;
  if (local && remote) {
    backend = std::make_unique<LayeredLambda>(std::move(local), std::move(remote));
  } else if (local) {
    backend = std::move(local);
  } else if (remote) {
    backend = std::move(remote);
  }
  http::Connections connections;
  if (options.connections_file) {
    try {
      connections = http::Connections::load(*options.connections_file);
    } catch (const http::ConnectionsError& e) {
      throw IntegrationConfigError(e.what());
    }
  }
  std::unique_ptr<services::ServiceInvoker> services;
  if (!options.service_endpoints.empty()) {
    try {
      services = std::make_unique<services::ServiceInvoker>(options.service_endpoints);
    } catch (const std::invalid_argument& e) {
      throw IntegrationConfigError(e.what());
    }
  }
  return std::make_unique<TaskRouter>(
      std::move(backend), std::make_unique<http::HttpTaskInvoker>(std::move(connections)),
      std::move(services), options.fallback);
}

}  // namespace stepline::integrations
