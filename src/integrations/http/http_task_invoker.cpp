#include "integrations/http/http_task_invoker.hpp"

#include "common/digest.hpp"
#include "common/errors.hpp"
#include "integrations/http/http_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace stepline::integrations::http {

namespace {

constexpr const char* kResource = "arn:aws:states:::http:invoke";

// A task failure with its error name and cause.
struct TaskFailure {
  std::string error, cause;
};

TaskFailure runtime_failure(const std::string& state, const std::string& message) {
  return {errors::kRuntime,
          fmt::format("An error occurred while executing the state '{}'. {}", state, message)};
}

std::string scalar_text(const json::Value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::dump(v);
}

void encode_value(const std::string& key, const json::Value& value, const std::string& format,
                  std::vector<std::string>& pairs) {
  if (const json::Object* o = value.if_object()) {
    for (const auto& [name, inner] : *o) {
      encode_value(key.empty() ? std::string(name) : key + "[" + std::string(name) + "]", inner,
                   format, pairs);
    }
    return;
  }
  if (const json::Array* a = value.if_array()) {
    if (format == "COMMAS") {
      std::string joined;
      for (std::size_t i = 0; i < a->size(); ++i) {
        if (i) joined += ',';
        joined += scalar_text((*a)[i]);
      }
      pairs.push_back(form_encode(key) + "=" + form_encode(joined));
      return;
    }
    for (std::size_t i = 0; i < a->size(); ++i) {
      std::string inner_key = key;
      if (format == "BRACKETS") {
        inner_key += "[]";
      } else if (format != "REPEAT") {
        inner_key += "[" + std::to_string(i) + "]";
      }
      encode_value(inner_key, (*a)[i], format, pairs);
    }
    return;
  }
  pairs.push_back(form_encode(key) + "=" + form_encode(scalar_text(value)));
}

std::string join_query(const StringMap& values) {
  std::string out;
  for (const auto& [k, v] : values) {
    if (!out.empty()) out += '&';
    out += form_encode(k) + "=" + form_encode(v);
  }
  return out;
}

const json::Object* object_member(const json::Object& o, const char* key,
                                  const std::string& state) {
  const json::Value* v = o.if_contains(key);
  if (!v || v->is_null()) return nullptr;
  if (!v->is_object())
    throw runtime_failure(state, fmt::format("The field '{}' must be an object.", key));
  return &v->get_object();
}

// The response as the task's result: header names lowercased, each with its values as a list
// (the shape EventBridge's API destinations return), the body parsed when it is JSON.
json::Value result_of(const HttpResponse& response) {
  json::Object headers;
  for (const auto& [name, value] : response.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    json::Value& slot = headers[lower];
    if (!slot.is_array()) slot = json::Array();
    slot.get_array().emplace_back(json::String(value));
  }
  json::Value body = json::String(response.body);
  try {
    if (!response.body.empty()) body = json::parse(response.body);
  } catch (const json::ParseError&) {
  }
  json::Object result;
  result["Headers"] = std::move(headers);
  result["ResponseBody"] = std::move(body);
  result["StatusCode"] = response.status;
  result["StatusText"] = json::String(response.status_text);
  return result;
}

}  // namespace

bool HttpTaskInvoker::handles(const std::string& resource) {
  return resource == kResource;
}

std::string url_encode_body(const json::Value& body, const std::string& array_format) {
  std::vector<std::string> pairs;
  if (body.is_object()) {
    encode_value("", body, array_format, pairs);
  } else {
    return form_encode(scalar_text(body));
  }
  std::string out;
  for (const auto& p : pairs) {
    if (!out.empty()) out += '&';
    out += p;
  }
  return out;
}

std::string HttpTaskInvoker::oauth_token(const std::string& key, const Connection& connection) {
  {
    std::lock_guard lock(tokens_mutex_);
    if (auto it = tokens_.find(key);
        it != tokens_.end() && std::chrono::steady_clock::now() < it->second.expires) {
      return it->second.access_token;
    }
  }
  HttpRequest token_request;
  token_request.method = connection.http_method;
  token_request.headers = {
      {"Authorization",
       "Basic " + digest::base64_encode(connection.client_id + ":" + connection.client_secret)}};
  for (const auto& [k, v] : connection.oauth_parameters.headers)
    token_request.headers.emplace_back(k, v);
  StringMap form = connection.oauth_parameters.body;
  form.emplace("grant_type", "client_credentials");
  StringMap query = connection.oauth_parameters.query;
  token_request.url = connection.authorization_endpoint;
  if (connection.http_method == "GET") {
    query.insert(form.begin(), form.end());
  } else {
    token_request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    token_request.body = join_query(form);
  }
  if (!query.empty()) {
    token_request.url +=
        (token_request.url.find('?') == std::string::npos ? "?" : "&") + join_query(query);
  }
  HttpResponse response;
  try {
    response = perform(token_request);
  } catch (const HttpTransportError& e) {
    throw TaskFailure{
        "States.Http.Socket",
        fmt::format("Unable to reach the OAuth authorization endpoint: {}", e.what())};
  }
  std::string access_token;
  long long expires_in = 3600;
  try {
    json::Value body = json::parse(response.body);
    if (const json::Object* o = body.if_object()) {
      if (const json::Value* t = o->if_contains("access_token"); t && t->is_string()) {
        access_token = std::string(t->get_string());
      }
      if (const json::Value* e = o->if_contains("expires_in"); e && e->is_number()) {
        const double seconds = e->to_number<double>();
        if (seconds >= 0 && seconds < 1e9) expires_in = static_cast<long long>(seconds);
      }
    }
  } catch (const std::exception&) {
  }
  if (response.status < 200 || response.status >= 300 || access_token.empty()) {
    throw TaskFailure{
        fmt::format("States.Http.StatusCode.{}", response.status >= 300 ? response.status : 401),
        fmt::format(
            "The OAuth authorization endpoint {} answered {} {} without an access_token: {}",
            connection.authorization_endpoint, response.status, response.status_text,
            response.body)};
  }
  std::lock_guard lock(tokens_mutex_);
  // Refresh a little early so a token never expires between lookup and use.
  tokens_[key] = {access_token, std::chrono::steady_clock::now() +
                                    std::chrono::seconds(std::max<long long>(0, expires_in - 30))};
  return access_token;
}

TaskOutcome HttpTaskInvoker::invoke(const TaskRequest& request) {
  try {
    const json::Object* input = request.input.if_object();
    if (!input)
      throw runtime_failure(request.state_name, "The HTTP Task's input must be an object.");
    const json::Value* endpoint = input->if_contains("ApiEndpoint");
    if (!endpoint || !endpoint->is_string()) {
      throw runtime_failure(request.state_name,
                            "The field 'ApiEndpoint' is required and must be a string.");
    }
    const json::Value* method_value = input->if_contains("Method");
    if (!method_value || !method_value->is_string()) {
      throw runtime_failure(request.state_name,
                            "The field 'Method' is required and must be a string.");
    }
    HttpRequest http_request;
    http_request.method = std::string(method_value->get_string());
    std::transform(http_request.method.begin(), http_request.method.end(),
                   http_request.method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    static const std::vector<std::string> kMethods{"GET",   "POST", "PUT",    "DELETE",
                                                   "PATCH", "HEAD", "OPTIONS"};
    if (std::find(kMethods.begin(), kMethods.end(), http_request.method) == kMethods.end()) {
      throw runtime_failure(
          request.state_name,
          fmt::format("The HTTP method '{}' is not supported.", http_request.method));
    }
    std::string url(endpoint->get_string());
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      throw runtime_failure(request.state_name,
                            fmt::format("The ApiEndpoint '{}' is not an http(s) URL.", url));
    }

    StringMap query, extra_body;
    bool has_content_type = false;
    if (const json::Object* headers = object_member(*input, "Headers", request.state_name)) {
      for (const auto& [name, value] : *headers) {
        std::string lower(name);
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lower == "content-type") has_content_type = true;
        std::string text = scalar_text(value);
        // A line break would smuggle extra headers into the request.
        if (std::string(name).find_first_of("\r\n:") != std::string::npos || name.empty() ||
            text.find_first_of("\r\n") != std::string::npos) {
          throw runtime_failure(
              request.state_name,
              fmt::format("The header '{}' is not a valid HTTP header.", std::string(name)));
        }
        http_request.headers.emplace_back(std::string(name), std::move(text));
      }
    }
    if (const json::Object* params = object_member(*input, "QueryParameters", request.state_name)) {
      for (const auto& [name, value] : *params) query[std::string(name)] = scalar_text(value);
    }

    // Authentication: the connection's credentials and its invocation parameters.
    if (const json::Object* auth = object_member(*input, "Authentication", request.state_name)) {
      const json::Value* arn = auth->if_contains("ConnectionArn");
      if (!arn || !arn->is_string()) {
        throw runtime_failure(request.state_name,
                              "The field 'Authentication.ConnectionArn' must be a string.");
      }
      const std::string connection_arn(arn->get_string());
      const Connection* connection = connections_.find(connection_arn);
      if (!connection) {
        throw runtime_failure(
            request.state_name,
            fmt::format("The connection '{}' is not configured: Stepline reads HTTP Task "
                        "connections from a connections file (--connections FILE).",
                        connection_arn));
      }
      switch (connection->type) {
        case Connection::Type::ApiKey:
          http_request.headers.emplace_back(connection->api_key_name, connection->api_key_value);
          break;
        case Connection::Type::Basic:
          http_request.headers.emplace_back(
              "Authorization",
              "Basic " + digest::base64_encode(connection->username + ":" + connection->password));
          break;
        case Connection::Type::OAuthClientCredentials:
          http_request.headers.emplace_back("Authorization",
                                            "Bearer " + oauth_token(connection_arn, *connection));
          break;
      }
      for (const auto& [k, v] : connection->invocation_parameters.headers) {
        http_request.headers.emplace_back(k, v);
      }
      query.insert(connection->invocation_parameters.query.begin(),
                   connection->invocation_parameters.query.end());
      extra_body = connection->invocation_parameters.body;
    }

    // The body: JSON unless the Transform asks for a url-encoded form.
    std::string encoding = "NONE", array_format = "INDICES";
    if (const json::Object* transform = object_member(*input, "Transform", request.state_name)) {
      if (const json::Value* e = transform->if_contains("RequestBodyEncoding");
          e && e->is_string()) {
        encoding = std::string(e->get_string());
      }
      if (const json::Value* options = transform->if_contains("RequestEncodingOptions");
          options && options->is_object()) {
        if (const json::Value* f = options->get_object().if_contains("ArrayFormat");
            f && f->is_string()) {
          array_format = std::string(f->get_string());
        }
      }
      if (encoding != "NONE" && encoding != "URL_ENCODED") {
        throw runtime_failure(
            request.state_name,
            fmt::format("RequestBodyEncoding '{}' is not NONE or URL_ENCODED.", encoding));
      }
      static const std::vector<std::string> kFormats{"INDICES", "REPEAT", "COMMAS", "BRACKETS"};
      if (std::find(kFormats.begin(), kFormats.end(), array_format) == kFormats.end()) {
        throw runtime_failure(
            request.state_name,
            fmt::format("ArrayFormat '{}' is not INDICES, REPEAT, COMMAS or BRACKETS.",
                        array_format));
      }
    }
    const json::Value* body = input->if_contains("RequestBody");
    json::Value merged_body = body ? *body : json::Value();
    if (!extra_body.empty() && (!body || body->is_object())) {
      if (!merged_body.is_object()) merged_body = json::Object();
      for (const auto& [k, v] : extra_body) {
        if (!merged_body.get_object().contains(k)) merged_body.get_object()[k] = json::String(v);
      }
    }
    if (body || !extra_body.empty()) {
      if (encoding == "URL_ENCODED") {
        http_request.body = url_encode_body(merged_body, array_format);
        if (!has_content_type) {
          http_request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        }
      } else {
        http_request.body = merged_body.is_string() ? std::string(merged_body.get_string())
                                                    : json::dump(merged_body);
        if (!has_content_type) {
          http_request.headers.emplace_back(
              "Content-Type", merged_body.is_string() ? "text/plain" : "application/json");
        }
      }
    }
    if (!query.empty()) {
      url += (url.find('?') == std::string::npos ? "?" : "&") + join_query(query);
    }
    http_request.url = url;
    if (request.timeout_seconds && *request.timeout_seconds > 0 && *request.timeout_seconds < 60) {
      http_request.timeout_ms = *request.timeout_seconds * 1000;
    }

    const bool task_timer_first = http_request.timeout_ms < 60000;
    HttpResponse response;
    try {
      response = perform(http_request);
    } catch (const HttpTransportError& e) {
      // The Task's own timer ends it (States.Timeout) when it is shorter than the socket's.
      if (e.timed_out() && task_timer_first) return TaskOutcome{};
      return TaskOutcome::failed("States.Http.Socket",
                                 fmt::format("Unable to execute HTTP request: {}", e.what()));
    }
    json::Value result = result_of(response);
    if (response.status < 200 || response.status >= 300) {
      return TaskOutcome::failed(fmt::format("States.Http.StatusCode.{}", response.status),
                                 json::dump(result));
    }
    return TaskOutcome::succeeded(std::move(result));
  } catch (const TaskFailure& failure) {
    return TaskOutcome::failed(failure.error, failure.cause);
  }
}

}  // namespace stepline::integrations::http
