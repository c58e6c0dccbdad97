#include "api/protocol.hpp"

#include "api/request_validator.hpp"
#include "common/ids.hpp"

#include <atomic>
#include <cctype>
#include <exception>
#include <memory>
#include <utility>

namespace stepline::api {

namespace {

constexpr const char* kJsonContentType = "application/x-amz-json-1.0";

bool equals_lowercase(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != lower[i]) return false;
  return true;
}

// AWS JSON services speak 1.0 under their own media type; plain JSON is accepted as the same.
// Parameters (`; charset=utf-8`), surrounding blanks and case do not matter.
bool is_json_protocol(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  return equals_lowercase(type, kJsonContentType) || equals_lowercase(type, "application/json");
}

// AWS's headers, status and JSON body for `outcome`; `output`, when set, is the outcome's object
// moved into a value (dumping a json::Object through json::dump would copy it first).
HttpResponse response_for(const ApiOutcome& outcome, const json::Value* output,
                          const std::string& request_id) {
  HttpResponse response;
  response.headers.reserve(3);
  response.headers.emplace_back("x-amzn-RequestId", request_id);
  response.headers.emplace_back("Content-Type", kJsonContentType);
  if (output) {
    response.status = 200;
    response.body.reserve(1024);  // most answers fit: no regrowth while dumping
    json::dump_to(response.body, *output);
  } else {
    const ApiError& error = std::get<ApiError>(outcome);
    response.status = error.status;
    // botocore also reads the code from this header; AWS sends it on JSON errors.
    const std::string& type = error.type;
    response.headers.emplace_back("x-amzn-ErrorType", type.substr(type.find('#') + 1));
    response.body = json::dump(error_body(error));
  }
  return response;
}

}  // namespace

HttpResponse to_http_response(const ApiOutcome& outcome, const std::string& request_id) {
  if (const auto* output = std::get_if<json::Object>(&outcome)) {
    const json::Value copy(*output);
    return response_for(outcome, &copy, request_id);
  }
  return response_for(outcome, nullptr, request_id);
}

HttpResponse to_http_response(ApiOutcome&& outcome, const std::string& request_id) {
  if (auto* output = std::get_if<json::Object>(&outcome)) {
    const json::Value moved(std::move(*output));
    return response_for(outcome, &moved, request_id);
  }
  return response_for(outcome, nullptr, request_id);
}

ProtocolDispatcher::ProtocolDispatcher(const ServiceModel& model, const OperationRegistry& registry,
                                       IdSource& ids)
    : model_(model), registry_(registry), ids_(ids) {}

void ProtocolDispatcher::dispatch(const HttpRequest& request,
                                  std::function<void(HttpResponse)> done) const {
  const std::string request_id = ids_.uuid();
  auto fail = [&](const ApiError& error) { done(to_http_response(error, request_id)); };

  // Routing uses the X-Amz-Target header alone (never Host: botocore prefixes `sync-` to it).
  const std::string& prefix = model_.target_prefix();
  const std::string_view target = request.amz_target;
  if (request.method != "POST" || !is_json_protocol(request.content_type) ||
      !target.starts_with(prefix) || target.substr(prefix.size(), 1) != ".")
    return fail(unknown_operation());
  std::string operation(target.substr(prefix.size() + 1));
  const OperationHandler* handler = registry_.find(operation);
  if (!model_.operation(operation) || !handler) return fail(unknown_operation());

  json::Value body;
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    body = json::Object();  // an absent body is an empty input
  } else {
    try {
      body = json::parse(request.body);
    } catch (const json::ParseError& e) {
      return fail(serialization_error(e.what()));
    }
  }
  if (!body.is_object())
    return fail(serialization_error("Start of structure or map expected at the request body"));
  if (auto error = validate_request(model_, model_.input_shape(operation), body))
    return fail(*error);

  ApiRequest call{std::move(operation), std::move(body.get_object()), request_id};
  // One answer per request, even from a handler that replies and then throws.
  struct Pending {
    std::function<void(HttpResponse)> done;
    std::atomic<bool> answered{false};
  };
  auto pending = std::make_shared<Pending>();
  pending->done = std::move(done);
  auto answer = [pending, request_id](ApiOutcome outcome) {
    if (!pending->answered.exchange(true))
      pending->done(to_http_response(std::move(outcome), request_id));
  };
  try {
    (*handler)(call, answer);
  } catch (const std::exception& e) {
    answer(internal_failure(e.what()));
  }
}

}  // namespace stepline::api
