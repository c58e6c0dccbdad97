// AWS Signature Version 4 for outgoing requests (remote Lambda, later the service endpoints),
// with credentials from the standard environment variables.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stepline::integrations::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
};

// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN); nullopt when either is unset.
std::optional<Credentials> credentials_from_environment();

struct SignableRequest {
  std::string method;
  std::string path;   // as sent, percent-encoded ("/2015-03-31/functions/f%3A1/invocations")
  std::string query;  // as sent, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // must include Host
  std::string payload;
};

// The headers to add to `request`: X-Amz-Date, X-Amz-Security-Token (temporary credentials) and
// Authorization, signed for `region` and `service` at `now`.
std::vector<std::pair<std::string, std::string>> sign(const SignableRequest& request,
                                                      const Credentials& credentials,
                                                      const std::string& region,
                                                      const std::string& service,
                                                      std::chrono::system_clock::time_point now);

// The pieces of the signature, exposed for tests against AWS's published vectors.
std::string canonical_request(const SignableRequest& request, bool encode_path_again);
std::string amz_date(std::chrono::system_clock::time_point now);  // 20150830T123600Z

// RFC 3986 unreserved characters stay; everything else becomes %XX (uppercase).
std::string uri_encode(std::string_view text, bool keep_slash);

}  // namespace stepline::integrations::aws
