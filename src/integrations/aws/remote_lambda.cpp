#include "integrations/aws/remote_lambda.hpp"

#include "common/json.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace stepline::integrations::aws {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Received {
  std::string body;
  std::map<std::string, std::string> headers;  // lowercase names
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  static_cast<Received*>(user)->body.append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  std::string_view line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    static_cast<Received*>(user)->headers[name] = std::string(value);
  }
  return size * count;
}

std::string header(const Received& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

}  // namespace

RemoteLambda::RemoteLambda(std::string endpoint, std::optional<Credentials> credentials)
    : credentials_(std::move(credentials)) {
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  const auto scheme = endpoint.find("://");
  const std::string_view kind = std::string_view(endpoint).substr(0, scheme);
  if (scheme == std::string::npos || (kind != "http" && kind != "https") ||
      endpoint.size() == scheme + 3) {
    throw std::invalid_argument(
        fmt::format("--lambda-endpoint '{}' is not an http:// or https:// URL", endpoint));
  }
  std::string_view rest = std::string_view(endpoint).substr(scheme + 3);
  host_ = std::string(rest.substr(0, rest.find('/')));
  endpoint_ = std::move(endpoint);
  global_init();
}

lambda::InvokeResponse RemoteLambda::invoke(const lambda::InvokeRequest& request) {
  const std::string path =
      "/2015-03-31/functions/" + uri_encode(request.function_name, false) + "/invocations";
  std::string query;
  if (request.qualifier) query = "Qualifier=" + uri_encode(*request.qualifier, false);
  const std::string base_path = [&] {
    std::string_view rest = std::string_view(endpoint_).substr(endpoint_.find("://") + 3);
    const auto slash = rest.find('/');
    return slash == std::string_view::npos ? std::string() : std::string(rest.substr(slash));
  }();

  std::vector<std::pair<std::string, std::string>> headers{
      {"Host", host_},
      {"Content-Type", "application/json"},
      {"X-Amz-Invocation-Type", request.invocation_type},
  };
  if (request.tail_log) headers.emplace_back("X-Amz-Log-Type", "Tail");
  const std::string payload = request.payload.empty() ? "{}" : request.payload;
  if (credentials_) {
    SignableRequest signable{"POST", base_path + path, query, headers, payload};
    for (auto& h : sign(signable, *credentials_, request.location.region, "lambda",
                        std::chrono::system_clock::now())) {
      headers.push_back(std::move(h));
    }
  }

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl)
    throw lambda::LambdaServiceError("SdkClientException", 0, "cannot create an HTTP client");
  const std::string url = endpoint_ + path + (query.empty() ? "" : "?" + query);
  curl_slist* list = nullptr;
  for (const auto& [k, v] : headers) {
    if (k == "Host") continue;  // curl derives it from the URL
    list = curl_slist_append(list, (k + ": " + v).c_str());
  }
  list = curl_slist_append(list, "Expect:");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(list,
                                                                          curl_slist_free_all);
  Received received;
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &received);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &received);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
  if (request.give_up) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        *request.give_up - std::chrono::steady_clock::now());
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::max<long long>(1, left.count())));
  }
  const CURLcode rc = curl_easy_perform(h);
  lambda::InvokeResponse response;
  if (rc == CURLE_OPERATION_TIMEDOUT && request.give_up &&
      std::chrono::steady_clock::now() >= *request.give_up) {
    response.abandoned = true;
    return response;
  }
  if (rc != CURLE_OK) {
    throw lambda::LambdaServiceError(
        "SdkClientException", 0,
        fmt::format("Unable to execute HTTP request: {} ({})", curl_easy_strerror(rc), url));
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.status_code = static_cast<int>(status);
  response.request_id = header(received, "x-amzn-requestid");
  if (auto v = header(received, "x-amz-executed-version"); !v.empty())
    response.executed_version = v;
  if (status >= 300) {
    // x-amzn-ErrorType: "ResourceNotFoundException:http://internal.amazon.com/..."
    std::string code = header(received, "x-amzn-errortype");
    code = code.substr(0, code.find(':'));
    std::string message = received.body;
    try {
      json::Value body = json::parse(received.body);
      if (const json::Object* o = body.if_object()) {
        for (const char* key : {"message", "Message"}) {
          if (const json::Value* m = o->if_contains(key); m && m->is_string()) {
            message = std::string(m->get_string());
          }
        }
        if (code.empty()) {
          if (const json::Value* t = o->if_contains("__type"); t && t->is_string()) {
            code = std::string(t->get_string());
            code = code.substr(code.find('#') == std::string::npos ? 0 : code.find('#') + 1);
          }
        }
      }
    } catch (const json::ParseError&) {
    }
    if (code.empty()) code = status == 404 ? "ResourceNotFoundException" : "ServiceException";
    throw lambda::LambdaServiceError(code, static_cast<int>(status), message);
  }
  if (auto fe = header(received, "x-amz-function-error"); !fe.empty()) response.function_error = fe;
  if (auto log = header(received, "x-amz-log-result"); !log.empty()) response.log_result = log;
  response.payload = std::move(received.body);
  return response;
}

}  // namespace stepline::integrations::aws
