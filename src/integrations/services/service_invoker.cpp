#include "integrations/services/service_invoker.hpp"

#include "common/arns.hpp"
#include "common/errors.hpp"
#include "integrations/http/http_client.hpp"
#include "integrations/services/member_names.hpp"
#include "integrations/services/query_xml.hpp"
#include "integrations/services/service_protocols.hpp"

#include <fmt/format.h>

#include <set>

namespace stepline::integrations::services {

namespace {

// Optimized integrations accept JSON where the API wants a string and serialize it, as AWS does.
void stringify_member(json::Object& o, const char* key) {
  if (json::Value* v = o.if_contains(key); v && !v->is_string()) *v = json::String(json::dump(*v));
}

json::Value prepare_optimized_input(const ServiceTarget& target, json::Value input) {
  json::Object* o = input.if_object();
  if (!o) return input;
  if (target.service == "sqs" && target.action == "sendMessage")
    stringify_member(*o, "MessageBody");
  if (target.service == "sns" && target.action == "publish") stringify_member(*o, "Message");
  if (target.service == "events" && target.action == "putEvents") {
    if (json::Value* entries = o->if_contains("Entries"); entries && entries->is_array()) {
      for (json::Value& entry : entries->get_array()) {
        if (json::Object* e = entry.if_object()) stringify_member(*e, "Detail");
      }
    }
  }
  return input;
}

std::string scalar_text(const json::Value& v) {
  return v.is_string() ? std::string(v.get_string()) : json::dump(v);
}

// The query protocol's flattening: nested members joined with '.', lists as member.N and maps
// (MessageAttributes and the like, objects whose values are objects) as entry.N.Name/Value.
void flatten(const std::string& prefix, const json::Value& value,
             std::vector<std::pair<std::string, std::string>>& out, bool map_level) {
  if (const json::Object* o = value.if_object()) {
    if (map_level) {
      int n = 0;
      for (const auto& [name, inner] : *o) {
        const std::string entry = prefix + ".entry." + std::to_string(++n);
        out.emplace_back(entry + ".Name", std::string(name));
        flatten(entry + ".Value", inner, out, false);
      }
      return;
    }
    for (const auto& [name, inner] : *o) {
      const std::string key = prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
      // Attribute maps are keyed by user names, the rest by API member names.
      const bool is_map =
          std::string(name).find("Attributes") != std::string::npos && inner.is_object();
      flatten(key, inner, out, is_map);
    }
    return;
  }
  if (const json::Array* a = value.if_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      flatten(prefix + ".member." + std::to_string(i + 1), (*a)[i], out, false);
    }
    return;
  }
  out.emplace_back(prefix, scalar_text(value));
}

struct ServiceError {
  std::string code, message, request_id;
};

ServiceError parse_error(const ServiceProtocol& protocol, const http::HttpResponse& response) {
  ServiceError error;
  error.request_id = http::find_header(response.headers, "x-amzn-RequestId");
  if (protocol.protocol == Protocol::Query) {
    error.code = xml_text(response.body, "Code");
    error.message = xml_text(response.body, "Message");
    if (error.request_id.empty()) error.request_id = xml_text(response.body, "RequestId");
  } else {
    try {
      json::Value body = json::parse(response.body);
      if (const json::Object* o = body.if_object()) {
        for (const char* key : {"__type", "code"}) {
          if (const json::Value* t = o->if_contains(key);
              t && t->is_string() && error.code.empty()) {
            error.code = std::string(t->get_string());
          }
        }
        for (const char* key : {"message", "Message"}) {
          if (const json::Value* m = o->if_contains(key); m && m->is_string()) {
            error.message = std::string(m->get_string());
          }
        }
      }
    } catch (const json::ParseError&) {
      error.message = response.body;
    }
    // "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" -> the last part.
    if (auto hash = error.code.find('#'); hash != std::string::npos) error.code.erase(0, hash + 1);
    if (auto colon = error.code.find(':'); colon != std::string::npos) error.code.resize(colon);
  }
  if (error.code.empty()) error.code = response.status >= 500 ? "InternalFailure" : "UnknownError";
  return error;
}

// The SDK exception class a service error code maps to.
std::string exception_name(const ServiceProtocol& protocol, const std::string& code, bool v2) {
  if (protocol.endpoint_key == "dynamodb") {
    // The codes the DynamoDB SDKs model as their own classes; the rest (ValidationException,
    // ...) surface as the service's base exception.
    static const std::set<std::string> kModelled{"ConditionalCheckFailedException",
                                                 "ResourceNotFoundException",
                                                 "ProvisionedThroughputExceededException",
                                                 "ItemCollectionSizeLimitExceededException",
                                                 "TransactionConflictException",
                                                 "RequestLimitExceeded",
                                                 "InternalServerError",
                                                 "TransactionCanceledException",
                                                 "TransactionInProgressException",
                                                 "IdempotentParameterMismatchException",
                                                 "ResourceInUseException",
                                                 "LimitExceededException"};
    if (!kModelled.count(code)) return v2 ? "DynamoDbException" : protocol.v1_base_exception;
    if (code == "RequestLimitExceeded" || code == "InternalServerError") return code + "Exception";
    return code;
  }
  std::string name = code;
  for (const char* prefix : {"AWS.SimpleQueueService.", "AWS."}) {
    if (name.rfind(prefix, 0) == 0) name.erase(0, std::string(prefix).size());
  }
  if (name.size() < 9 || name.compare(name.size() - 9, 9, "Exception") != 0) name += "Exception";
  return name;
}

// SdkHttpMetadata and SdkResponseMetadata, as the Java SDK v1 adds them to optimized results.
void add_sdk_metadata(json::Object& result, const http::HttpResponse& response) {
  json::Object all, single;
  for (const auto& [name, value] : response.headers) {
    json::Value& slot = all[name];
    if (!slot.is_array()) slot = json::Array();
    slot.get_array().emplace_back(json::String(value));
    single[name] = json::String(value);
  }
  json::Object http_metadata;
  http_metadata["AllHttpHeaders"] = std::move(all);
  http_metadata["HttpHeaders"] = std::move(single);
  http_metadata["HttpStatusCode"] = response.status;
  json::Object response_metadata;
  response_metadata["RequestId"] =
      json::String(http::find_header(response.headers, "x-amzn-RequestId"));
  result["SdkHttpMetadata"] = std::move(http_metadata);
  result["SdkResponseMetadata"] = std::move(response_metadata);
}

}  // namespace

std::optional<ServiceTarget> parse_service_resource(const std::string& resource) {
  // arn:aws:states:REGION:ACCOUNT:<service>:<action>[.<mode>] or ...:aws-sdk:<service>:<action>
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto colon = resource.find(':', start);
    parts.push_back(resource.substr(start, colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (parts.size() < 7 || parts[0] != "arn" || parts[2] != "states") return std::nullopt;
  ServiceTarget target;
  std::string action;
  if (parts[5] == "aws-sdk") {
    if (parts.size() != 8) return std::nullopt;
    target.aws_sdk = true;
    target.service = parts[6];
    action = parts[7];
  } else {
    if (parts.size() != 7) return std::nullopt;
    target.service = parts[5];
    action = parts[6];
    if (target.service != "sqs" && target.service != "sns" && target.service != "dynamodb" &&
        target.service != "events") {
      return std::nullopt;
    }
  }
  if (auto dot = action.find('.'); dot != std::string::npos) {
    target.mode = action.substr(dot + 1);
    action.resize(dot);
  }
  if (target.service.empty() || action.empty()) return std::nullopt;
  target.action = action;
  return target;
}

std::string endpoint_key(const ServiceTarget& target) {
  if (auto protocol = protocol_for(target.service)) return protocol->endpoint_key;
  return target.service;
}

ServiceInvoker::ServiceInvoker(std::map<std::string, std::string> endpoints,
                               std::optional<aws::Credentials> credentials)
    : credentials_(credentials ? *credentials : aws::Credentials{"stepline", "stepline", ""}) {
  // "eventbridge" and "events" name the same endpoint.
  for (auto& [name, url] : endpoints) {
    auto protocol = protocol_for(name);
    endpoints_[protocol ? protocol->endpoint_key : name] = url;
  }
  for (auto& [name, url] : endpoints_) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    const auto scheme = url.find("://");
    const std::string kind = url.substr(0, scheme);
    if (scheme == std::string::npos || (kind != "http" && kind != "https") ||
        url.size() == scheme + 3) {
      throw std::invalid_argument(
          fmt::format("--service-endpoint {}={} is not an http:// or https:// URL", name, url));
    }
  }
}

bool ServiceInvoker::has_endpoint(const std::string& resource) const {
  auto target = parse_service_resource(resource);
  return target && endpoints_.count(endpoint_key(*target));
}

TaskOutcome ServiceInvoker::invoke(const TaskRequest& request) {
  auto target = parse_service_resource(request.resource);
  auto endpoint = target ? endpoints_.find(endpoint_key(*target)) : endpoints_.end();
  if (!target || endpoint == endpoints_.end()) {
    return TaskOutcome::failed(
        std::string(errors::kRuntime),
        fmt::format("No service endpoint is configured for resource '{}'", request.resource));
  }
  auto protocol = protocol_for(target->service);
  if (!protocol) {
    return TaskOutcome::failed(
        std::string(errors::kRuntime),
        fmt::format("Stepline cannot call the '{}' service at an endpoint: it speaks the JSON "
                    "protocols (dynamodb, sqs, events, sfn) and SNS's query protocol; use a "
                    "mock config for '{}'",
                    target->service, request.resource));
  }
  if (!target->mode.empty() && target->mode != "waitForTaskToken") {
    return TaskOutcome::failed(
        std::string(errors::kRuntime),
        fmt::format("The integration pattern '.{}' is not supported for '{}'", target->mode,
                    request.resource));
  }
  const std::string action = pascal_case(target->action);
  const json::Value input = target->aws_sdk
                                ? to_api_members(request.input, protocol->aws_sdk_naming)
                                : prepare_optimized_input(*target, request.input);

  std::string region(arns::kDefaultRegion);
  if (auto parsed = arns::parse(request.execution_arn); parsed && !parsed->region.empty()) {
    region = parsed->region;
  }
  const std::string& url = endpoint->second;
  const std::string_view rest = std::string_view(url).substr(url.find("://") + 3);
  const std::string host(rest.substr(0, rest.find('/')));
  const std::string path =
      rest.find('/') == std::string_view::npos ? "/" : std::string(rest.substr(rest.find('/')));

  http::HttpRequest http_request;
  http_request.method = "POST";
  http_request.url = url + (path == "/" ? "/" : "");
  std::vector<std::pair<std::string, std::string>> headers{{"Host", host}};
  if (protocol->protocol == Protocol::Query) {
    std::vector<std::pair<std::string, std::string>> fields{{"Action", action},
                                                            {"Version", protocol->api_version}};
    flatten("", input.is_object() ? input : json::Value(json::Object()), fields, false);
    for (const auto& [k, v] : fields) {
      if (!http_request.body.empty()) http_request.body += '&';
      http_request.body += http::form_encode(k) + "=" + http::form_encode(v);
    }
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  } else {
    http_request.body = json::dump(input.is_object() ? input : json::Value(json::Object()));
    headers.emplace_back("Content-Type", protocol->protocol == Protocol::Json10
                                             ? "application/x-amz-json-1.0"
                                             : "application/x-amz-json-1.1");
    headers.emplace_back("X-Amz-Target", protocol->target_prefix + "." + action);
  }
  aws::SignableRequest signable{"POST", path, "", headers, http_request.body};
  for (auto& h : aws::sign(signable, credentials_, region, protocol->signing_name,
                           std::chrono::system_clock::now())) {
    headers.push_back(std::move(h));
  }
  for (auto& h : headers) {
    if (h.first != "Host") http_request.headers.push_back(std::move(h));  // curl sets Host
  }

  const std::string prefix = target->aws_sdk ? protocol->v2_name : protocol->v1_error_prefix;
  http::HttpResponse response;
  try {
    response = http::perform(http_request);
  } catch (const http::HttpTransportError& e) {
    return TaskOutcome::failed(prefix + ".SdkClientException",
                               fmt::format("Unable to execute HTTP request: {}", e.what()));
  }
  if (response.status < 200 || response.status >= 300) {
    const ServiceError error = parse_error(*protocol, response);
    const std::string name = exception_name(*protocol, error.code, target->aws_sdk);
    const std::string cause =
        target->aws_sdk
            ? fmt::format("{} (Service: {}, Status Code: {}, Request ID: {})", error.message,
                          protocol->v2_name, response.status, error.request_id)
            : fmt::format(
                  "{} (Service: {}; Status Code: {}; Error Code: {}; Request ID: {}; "
                  "Proxy: null)",
                  error.message, protocol->v1_service_name, response.status, error.code,
                  error.request_id);
    return TaskOutcome::failed(prefix + "." + name, cause);
  }

  json::Value result = json::Object();
  if (protocol->protocol == Protocol::Query) {
    if (auto parsed = xml_element_to_json(response.body, action + "Result");
        parsed && parsed->is_object()) {
      result = std::move(*parsed);
    }
  } else if (!response.body.empty()) {
    try {
      result = json::parse(response.body);
    } catch (const json::ParseError&) {
      return TaskOutcome::failed(prefix + ".SdkClientException",
                                 "Unable to unmarshall response: the body is not JSON");
    }
  }
  if (!result.is_object()) result = json::Object();
  if (target->aws_sdk) result = to_pascal_members(result, protocol->aws_sdk_naming);
  // The optimized integrations answer with the Java SDK v1's metadata (EventBridge's excepted,
  // as recorded).
  if (!target->aws_sdk && target->service != "events")
    add_sdk_metadata(result.get_object(), response);
  if (target->mode == "waitForTaskToken") {
    TaskOutcome pending;
    pending.submitted = std::move(result);
    return pending;
  }
  return TaskOutcome::succeeded(std::move(result));
}

}  // namespace stepline::integrations::services
