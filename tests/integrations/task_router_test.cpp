#include "integrations/routing/task_router.hpp"

#include <gtest/gtest.h>

namespace stepline::integrations {
namespace {

class Answering final : public TaskInvoker {
 public:
  TaskOutcome invoke(const TaskRequest& r) override {
    return TaskOutcome::succeeded(json::Value(r.resource));
  }
};

TaskRequest task(const std::string& resource) {
  TaskRequest r;
  r.execution_arn = "arn:aws:states:us-east-1:111111111111:execution:M:e";
  r.resource = resource;
  r.input = json::Object{};
  return r;
}

TEST(TaskRouter, WithoutConfigurationTheErrorNamesWhatIsMissing) {
  auto router = make_task_invoker({});
  auto lambda = router->invoke(task("arn:aws:lambda:us-east-1:111111111111:function:f"));
  ASSERT_EQ(lambda.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(lambda.error.error, "States.Runtime");
  EXPECT_NE(lambda.error.cause->find("--functions FILE"), std::string::npos);
  auto sqs = router->invoke(task("arn:aws:states:::sqs:sendMessage"));
  ASSERT_EQ(sqs.kind, TaskOutcome::Kind::Failed);
  EXPECT_NE(sqs.error.cause->find("No integration is configured for resource "
                                  "'arn:aws:states:::sqs:sendMessage'"),
            std::string::npos);
}

TEST(TaskRouter, OtherResourcesGoToTheFallback) {
  Answering fallback;
  IntegrationOptions options;
  options.fallback = &fallback;
  auto router = make_task_invoker(options);
  auto out = router->invoke(task("arn:aws:states:::sqs:sendMessage"));
  ASSERT_EQ(out.kind, TaskOutcome::Kind::Succeeded);
  EXPECT_EQ(out.output, json::Value("arn:aws:states:::sqs:sendMessage"));
}

TEST(TaskRouter, BadConfigurationIsReportedUpFront) {
  IntegrationOptions missing;
  missing.functions_file = "/nonexistent/functions.json";
  EXPECT_THROW(make_task_invoker(missing), IntegrationConfigError);
  IntegrationOptions endpoint;
  endpoint.lambda_endpoint = "ftp://example";
  EXPECT_THROW(make_task_invoker(endpoint), IntegrationConfigError);
}

}  // namespace
}  // namespace stepline::integrations
