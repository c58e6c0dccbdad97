// The AWS JSON 1.0 protocol, independent of sockets: turns one HTTP request (POST /,
// X-Amz-Target: AWSStepFunctions.<Operation>, Content-Type: application/x-amz-json-1.0) into an
// operation call and its outcome into the HTTP response botocore and the AWS SDKs expect.
#pragma once

#include "api/operation_registry.hpp"
#include "api/service_model.hpp"

#include <functional>
#include <string>
#include <vector>

namespace stepline {
class IdSource;
}

namespace stepline::api {

struct HttpRequest {
  std::string method;        // "POST"
  std::string target;        // request target, e.g. "/"
  std::string content_type;  // Content-Type header, may be empty
  std::string amz_target;    // X-Amz-Target header, may be empty
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class ProtocolDispatcher {
 public:
  // `registry`, `model` and `ids` must outlive the dispatcher.
  ProtocolDispatcher(const ServiceModel& model, const OperationRegistry& registry, IdSource& ids);

  // Answers `request` through `done`, once, possibly from another thread (the handler's).
  void dispatch(const HttpRequest& request, std::function<void(HttpResponse)> done) const;

 private:
  const ServiceModel& model_;
  const OperationRegistry& registry_;
  IdSource& ids_;
};

// The HTTP response carrying `outcome` (AWS's headers, status and JSON body).
HttpResponse to_http_response(const ApiOutcome& outcome, const std::string& request_id);
// The same, taking the outcome's object instead of copying it.
HttpResponse to_http_response(ApiOutcome&& outcome, const std::string& request_id);

}  // namespace stepline::api
