#include "integrations/lambda/lambda_task_invoker.hpp"

#include "common/arns.hpp"
#include "common/errors.hpp"
#include "common/ids.hpp"
#include "integrations/lambda/python_json.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <random>

namespace stepline::integrations::lambda {

namespace {

constexpr const char* kInvoke = "arn:aws:states:::lambda:invoke";
constexpr const char* kInvokeWithToken = "arn:aws:states:::lambda:invoke.waitForTaskToken";
constexpr std::size_t kMaxResultBytes = 262144;  // Step Functions' 256 KiB payload quota

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "NAME", "NAME:QUALIFIER", "ACCOUNT:function:NAME[:Q]" or a full function ARN.
struct FunctionRef {
  std::string name;
  std::optional<std::string> qualifier;
  std::optional<std::string> region, account;
};

std::optional<FunctionRef> parse_function_ref(std::string_view text) {
  FunctionRef ref;
  std::string_view rest = text;
  if (starts_with(text, "arn:")) {
    auto parsed = arns::parse(text);
    if (!parsed || parsed->service != "lambda" || !starts_with(parsed->resource, "function:")) {
      return std::nullopt;
    }
    ref.region = parsed->region;
    ref.account = parsed->account;
    rest = std::string_view(parsed->resource).substr(9);
    ref.name = std::string(rest.substr(0, rest.find(':')));
    if (auto colon = rest.find(':'); colon != std::string_view::npos) {
      ref.qualifier = std::string(rest.substr(colon + 1));
    }
    if (ref.name.empty()) return std::nullopt;
    return ref;
  }
  if (auto f = rest.find(":function:"); f != std::string_view::npos) {
    ref.account = std::string(rest.substr(0, f));
    rest = rest.substr(f + 10);
  }
  const auto colon = rest.find(':');
  ref.name = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) ref.qualifier = std::string(rest.substr(colon + 1));
  if (ref.name.empty()) return std::nullopt;
  return ref;
}

std::string http_date() {
  return fmt::format(
      "{:%a, %d %b %Y %H:%M:%S} GMT",
      fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
}

std::string trace_header() {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  return fmt::format("root=1-{:08x}-{:012x}{:012x};sampled=0",
                     static_cast<unsigned>(std::time(nullptr)), engine() & 0xFFFFFFFFFFFFull,
                     engine() & 0xFFFFFFFFFFFFull);
}

// The Invoke response as Step Functions returns it for `lambda:invoke`.
json::Value invoke_result(const InvokeResponse& r, json::Value payload) {
  const std::string length = std::to_string(r.payload.size());
  const std::string date = http_date();
  const std::string trace = trace_header();
  auto one = [](const std::string& v) { return json::Array{json::Value(v)}; };
  json::Object all;
  if (r.log_result) all["X-Amz-Log-Result"] = one(*r.log_result);
  for (auto& kv : json::Object{
           {"X-Amz-Executed-Version", one(r.executed_version)},
           {"x-amzn-Remapped-Content-Length", one("0")},
           {"Connection", one("keep-alive")},
           {"x-amzn-RequestId", one(r.request_id)},
           {"Content-Length", one(length)},
           {"Date", one(date)},
           {"X-Amzn-Trace-Id", one(trace)},
           {"Content-Type", one("application/json")},
       }) {
    all[kv.key()] = std::move(kv.value());
  }
  json::Object headers{
      {"Connection", "keep-alive"},
      {"Content-Length", length},
      {"Content-Type", "application/json"},
      {"Date", date},
      {"X-Amz-Executed-Version", r.executed_version},
  };
  if (r.log_result) headers["X-Amz-Log-Result"] = *r.log_result;
  for (auto& kv : json::Object{
           {"x-amzn-Remapped-Content-Length", "0"},
           {"x-amzn-RequestId", r.request_id},
           {"X-Amzn-Trace-Id", trace},
       }) {
    headers[kv.key()] = std::move(kv.value());
  }
  json::Object result;
  if (r.status_code == 200) result["ExecutedVersion"] = r.executed_version;
  if (r.log_result) result["LogResult"] = *r.log_result;
  result["Payload"] = std::move(payload);
  result["SdkHttpMetadata"] = json::Object{
      {"AllHttpHeaders", std::move(all)},
      {"HttpHeaders", std::move(headers)},
      {"HttpStatusCode", r.status_code},
  };
  result["SdkResponseMetadata"] = json::Object{{"RequestId", r.request_id}};
  result["StatusCode"] = r.status_code;
  return result;
}

// A function error: error = its errorType, cause = the error document re-serialised (compact
// for lambda:invoke, Python's spacing for the legacy form, as AWS words each).
TaskOutcome function_failure(const InvokeResponse& r, bool legacy) {
  json::Value document;
  try {
    document = json::parse(r.payload);
  } catch (const json::ParseError&) {
  }
  const json::Value* type =
      document.is_object() ? document.get_object().if_contains("errorType") : nullptr;
  if (!type || !type->is_string()) {
    return TaskOutcome::failed(
        "Lambda.Unknown",
        "The cause could not be determined because Lambda did not return an error type. "
        "Returned payload: " +
            r.payload);
  }
  return TaskOutcome::failed(std::string(type->get_string()),
                             legacy ? python_dumps(document) : json::dump(document));
}

TaskOutcome data_limit(const std::string& label) {
  return TaskOutcome::failed(
      std::string(errors::kDataLimitExceeded),
      fmt::format("The state/task '{}' returned a result with a size exceeding the maximum "
                  "number of bytes service limit.",
                  label));
}

std::string new_request_id() {
  static RandomIdSource ids;
  return ids.uuid();
}

json::Value parse_payload(const std::string& payload) {
  if (payload.empty()) return json::Value(nullptr);
  try {
    return json::parse(payload);
  } catch (const json::ParseError&) {
    // Lambda lets a function return any bytes; what is not JSON stays text.
    return json::Value(payload);
  }
}

}  // namespace

bool LambdaTaskInvoker::handles(const std::string& resource) {
  if (resource == kInvoke || resource == kInvokeWithToken) return true;
  auto parsed = arns::parse(resource);
  return parsed && parsed->service == "lambda" && starts_with(parsed->resource, "function:");
}

TaskOutcome LambdaTaskInvoker::invoke(const TaskRequest& request) {
  const bool legacy = request.resource != kInvoke && request.resource != kInvokeWithToken;
  InvokeRequest call;
  if (auto exec = arns::parse(request.execution_arn)) {
    call.location.region = exec->region;
    call.location.account = exec->account;
  }
  std::optional<FunctionRef> ref;
  if (legacy) {
    ref = parse_function_ref(request.resource);
    call.payload = json::dump(request.input);
  } else {
    const json::Object* params = request.input.if_object();
    const json::Value* name = params ? params->if_contains("FunctionName") : nullptr;
    if (!name || !name->is_string()) {
      return TaskOutcome::failed(
          std::string(errors::kRuntime),
          "lambda:invoke needs a FunctionName string in its Parameters or Arguments");
    }
    ref = parse_function_ref(name->get_string());
    // A null Payload is no payload (the function then sees {}); a string is the request body
    // itself, as the Invoke API's blob.
    if (const json::Value* payload = params->if_contains("Payload");
        payload && !payload->is_null()) {
      call.payload =
          payload->is_string() ? std::string(payload->get_string()) : json::dump(*payload);
    }
    if (const json::Value* q = params->if_contains("Qualifier"); q && q->is_string()) {
      if (ref) ref->qualifier = std::string(q->get_string());
    }
    if (const json::Value* t = params->if_contains("InvocationType"); t && t->is_string()) {
      call.invocation_type = std::string(t->get_string());
    }
    if (const json::Value* t = params->if_contains("LogType"); t && t->is_string()) {
      call.tail_log = t->get_string() == "Tail";
    }
  }
  if (!ref) {
    return TaskOutcome::failed(std::string(errors::kRuntime),
                               fmt::format("'{}' does not name a Lambda function",
                                           legacy ? request.resource : json::dump(request.input)));
  }
  call.function_name = ref->name;
  call.qualifier = ref->qualifier;
  if (ref->region) call.location.region = *ref->region;
  if (ref->account) call.location.account = *ref->account;
  if (request.timeout_seconds) {
    call.give_up =
        std::chrono::steady_clock::now() + std::chrono::seconds(*request.timeout_seconds);
  }

  InvokeResponse response;
  try {
    response = backend_.invoke(call);
  } catch (const LambdaServiceError& e) {
    // A client-side failure (no HTTP exchange) has no service details to add.
    if (e.status() == 0) return TaskOutcome::failed("Lambda." + e.code(), std::string(e.what()));
    return TaskOutcome::failed(
        "Lambda." + e.code(),
        fmt::format("{} (Service: AWSLambda; Status Code: {}; Error Code: {}; Request ID: {}; "
                    "Proxy: null)",
                    e.what(), e.status(), e.code(), new_request_id()));
  }
  // The Task's own timer ends it (States.Timeout); the function keeps running meanwhile.
  if (response.abandoned) return TaskOutcome{};
  if (response.function_error) return function_failure(response, legacy);
  if (response.payload.size() > kMaxResultBytes) {
    return data_limit(legacy ? request.resource : "lambda");
  }
  json::Value payload = parse_payload(response.payload);
  if (legacy) return TaskOutcome::succeeded(std::move(payload));
  // An asynchronous (202) or dry-run (204) invocation answers with an empty blob.
  if (response.status_code != 200 && response.payload.empty()) payload = json::Value("");
  json::Value result = invoke_result(response, std::move(payload));
  if (json::dumped_size(result) > kMaxResultBytes) return data_limit("lambda");
  if (request.resource == kInvokeWithToken) {
    TaskOutcome pending;
    pending.submitted = std::move(result);
    return pending;
  }
  return TaskOutcome::succeeded(std::move(result));
}

}  // namespace stepline::integrations::lambda
