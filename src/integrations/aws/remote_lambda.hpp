// The Lambda Invoke API of a remote endpoint (`--lambda-endpoint URL`, e.g. `sam local
// start-lambda`): POST /2015-03-31/functions/NAME/invocations with libcurl, X-Amz-Function-Error
// for function errors, SigV4-signed when AWS credentials are in the environment.
#pragma once

#include "integrations/aws/sigv4.hpp"
#include "integrations/lambda/lambda_backend.hpp"

#include <optional>
#include <string>

namespace stepline::integrations::aws {

class RemoteLambda final : public lambda::LambdaBackend {
 public:
  // `endpoint` is http(s)://host[:port][/base]; throws std::invalid_argument otherwise.
  explicit RemoteLambda(std::string endpoint,
                        std::optional<Credentials> credentials = credentials_from_environment());

  lambda::InvokeResponse invoke(const lambda::InvokeRequest& request) override;
  bool has_function(const std::string&) const override { return true; }

 private:
  std::string endpoint_;  // without a trailing slash
  std::string host_;      // host[:port] as the Host header carries it
  std::optional<Credentials> credentials_;
};

}  // namespace stepline::integrations::aws
