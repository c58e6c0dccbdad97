// Lambda Task states on top of the Invoke API: the legacy function ARN form (the state's result
// is the function's return value) and `arn:aws:states:::lambda:invoke[.waitForTaskToken]` (the
// result is the Invoke response as Step Functions shapes it), with AWS's error names and causes.
#pragma once

#include "integrations/invoker.hpp"
#include "integrations/lambda/lambda_backend.hpp"

#include <string>

namespace stepline::integrations::lambda {

class LambdaTaskInvoker final : public TaskInvoker {
 public:
  explicit LambdaTaskInvoker(LambdaBackend& backend) : backend_(backend) {}

  // Whether `resource` is a Lambda resource this invoker runs.
  static bool handles(const std::string& resource);

  TaskOutcome invoke(const TaskRequest& request) override;

 private:
  LambdaBackend& backend_;
};

}  // namespace stepline::integrations::lambda
