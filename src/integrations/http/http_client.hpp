// One blocking HTTP exchange with libcurl, shared by the HTTP Task and the AWS service
// endpoints: the caller gets the status line, every response header in order and the body.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace stepline::integrations::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  HeaderList headers;
  std::string body;
  long timeout_ms = 60000;  // AWS's HTTP Task gives up on a socket after 60 s
};

struct HttpResponse {
  long status = 0;
  std::string status_text;  // the reason phrase of the status line ("Not Found")
  HeaderList headers;       // names as the server wrote them
  std::string body;
};

// The exchange did not complete (no connection, timeout, bad URL).
class HttpTransportError : public std::runtime_error {
 public:
  HttpTransportError(std::string message, bool timed_out)
      : std::runtime_error(std::move(message)), timed_out_(timed_out) {}
  bool timed_out() const { return timed_out_; }

 private:
  bool timed_out_;
};

HttpResponse perform(const HttpRequest& request);

// application/x-www-form-urlencoded escaping (RFC 3986 unreserved characters stay).
std::string form_encode(std::string_view text);

// The first header named `name` (case-insensitive), or "".
std::string find_header(const HeaderList& headers, std::string_view name);

}  // namespace stepline::integrations::http
