// The HTTP Task (`arn:aws:states:::http:invoke`): ApiEndpoint, Method, Headers, QueryParameters,
// RequestBody and Transform from the task input, authentication from a local connection, the
// result {Headers, ResponseBody, StatusCode, StatusText}, and States.Http.StatusCode.NNN for a
// response outside 2xx (cause: that result as JSON text).
#pragma once

#include "integrations/http/connections.hpp"
#include "integrations/invoker.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace stepline::integrations::http {

class HttpTaskInvoker final : public TaskInvoker {
 public:
  explicit HttpTaskInvoker(Connections connections) : connections_(std::move(connections)) {}

  static bool handles(const std::string& resource);
  TaskOutcome invoke(const TaskRequest& request) override;

 private:
  struct Token {
    std::string access_token;
    std::chrono::steady_clock::time_point expires;
  };
  // The OAuth client-credentials token for `connection`, fetched once and reused until it
  // expires. Throws TaskFailure when the authorization endpoint refuses.
  std::string oauth_token(const std::string& key, const Connection& connection);

  Connections connections_;
  std::mutex tokens_mutex_;
  std::map<std::string, Token> tokens_;
};

// Builds the url-encoded form of `body` ("a=1&b[0]=x"), with arrays written as `array_format`
// says: INDICES (a[0]=x, the default), REPEAT (a=x&a=y), COMMAS (a=x,y) or BRACKETS (a[]=x).
std::string url_encode_body(const json::Value& body, const std::string& array_format);

}  // namespace stepline::integrations::http
