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

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The media type without parameters (`; charset=utf-8`) and surrounding blanks, lowercased.
std::string media_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  return lowercase(type);
}

// AWS JSON services speak 1.0 under their own media type; plain JSON is accepted as the same.
bool is_json_protocol(std::string_view content_type) {
  const std::string type = media_type(content_type);
  return type == kJsonContentType || type == "application/json";
}

}  // namespace

HttpResponse to_http_response(const ApiOutcome& outcome, const std::string& request_id) {
  HttpResponse response;
  response.headers = {{"x-amzn-RequestId", request_id}, {"Content-Type", kJsonContentType}};
  if (const auto* output = std::get_if<json::Object>(&outcome)) {
    response.status = 200;
    response.body = json::dump(*output);
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

ProtocolDispatcher::ProtocolDispatcher(const ServiceModel& model, const OperationRegistry& registry,
                                       IdSource& ids)
    : model_(model), registry_(registry), ids_(ids) {}

void ProtocolDispatcher::dispatch(const HttpRequest& request,
                                  std::function<void(HttpResponse)> done) const {
  const std::string request_id = ids_.uuid();
  auto fail = [&](const ApiError& error) { done(to_http_response(error, request_id)); };

  // Routing uses the X-Amz-Target header alone (never Host: botocore prefixes `sync-` to it).
  const std::string prefix = model_.target_prefix() + ".";
  const std::string& target = request.amz_target;
  if (request.method != "POST" || !is_json_protocol(request.content_type) ||
      target.compare(0, prefix.size(), prefix) != 0)
    return fail(unknown_operation());
  std::string operation = target.substr(prefix.size());
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
  auto answer = [pending, request_id](const ApiOutcome& outcome) {
    if (!pending->answered.exchange(true)) pending->done(to_http_response(outcome, request_id));
  };
  try {
    (*handler)(call, answer);
  } catch (const std::exception& e) {
    answer(internal_failure(e.what()));
  }
}

}  // namespace stepline::api
