// The runtime-free pieces of nested executions: resources, parameters, AWS's answers, links.
#include "runtime/nested_executions.hpp"

#include "common/digest.hpp"

#include <fmt/format.h>

#include <ctime>

namespace stepline::runtime {

namespace {

constexpr std::string_view kResource = "arn:aws:states:::states:startExecution";

long long epoch_millis(TimePoint t) {
  return t.time_since_epoch().count();
}

// Epoch seconds as the SDK's JSON wrote StartExecution's startDate (1.764103483123E9): only
// the response's Content-Length depends on it. Java drops trailing zeros of the milliseconds;
// they are kept here so that the length does not depend on the millisecond a child started at.
std::string java_epoch_seconds(TimePoint t) {
  std::string digits = std::to_string(epoch_millis(t));
  if (digits.size() < 4) return fmt::format("{}.{:03d}", 0, epoch_millis(t));
  const int exponent = static_cast<int>(digits.size()) - 4;
  return fmt::format("{}.{}E{}", digits[0], digits.substr(1), exponent);
}

std::string http_date(TimePoint t) {
  const std::time_t seconds =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buffer;
}

}  // namespace

std::optional<NestedMode> nested_mode(const std::string& resource) {
  if (resource.rfind(kResource, 0) != 0) return std::nullopt;
  const std::string_view suffix = std::string_view(resource).substr(kResource.size());
  if (suffix.empty()) return NestedMode::RequestResponse;
  if (suffix == ".sync") return NestedMode::Sync;
  if (suffix == ".sync:2") return NestedMode::Sync2;
  if (suffix == ".waitForTaskToken") return NestedMode::Callback;
  return std::nullopt;
}

StatesError sfn_api_error(const std::string& code, const std::string& message,
                          const std::string& request_id) {
  std::string bare = code.substr(code.rfind('#') == std::string::npos ? 0 : code.rfind('#') + 1);
  std::string name = bare.ends_with("Exception") ? bare : bare + "Exception";
  return {"StepFunctions." + name,
          fmt::format("{} (Service: AWSStepFunctions; Status Code: 400; Error Code: {}; Request "
                      "ID: {}; Proxy: null)",
                      message, bare, request_id)};
}

std::optional<NestedStart> parse_nested_start(const json::Value& parameters,
                                              const std::string& request_id, StatesError& error) {
  const json::Object empty;
  const json::Object& p = parameters.is_object() ? parameters.as_object() : empty;
  NestedStart start;
  const json::Value* arn = p.if_contains("StateMachineArn");
  if (!arn || !arn->is_string()) {
    error = sfn_api_error("ValidationException",
                          "1 validation error detected: Value null at 'stateMachineArn' failed to "
                          "satisfy constraint: Member must not be null",
                          request_id);
    return std::nullopt;
  }
  start.state_machine_arn = std::string(arn->as_string());
  if (const json::Value* name = p.if_contains("Name"); name && !name->is_null()) {
    if (!name->is_string() || name->as_string().empty() || name->as_string().size() > 80) {
      error = sfn_api_error(
          "InvalidName",
          fmt::format("Invalid Name: '{}'",
                      name->is_string() ? std::string(name->as_string()) : json::dump(*name)),
          request_id);
      return std::nullopt;
    }
    start.name = std::string(name->as_string());
  }
  start.input_text = "{}";
  if (const json::Value* input = p.if_contains("Input"); input && !input->is_null()) {
    if (input->is_string()) {
      // A string is the input's JSON text, as StartExecution takes it.
      const std::string text(input->as_string());
      try {
        start.input_text = json::dump(json::parse(text));
      } catch (const std::exception&) {
        error = sfn_api_error("InvalidExecutionInput",
                              fmt::format("Invalid State Machine Execution Input: '{}'", text),
                              request_id);
        return std::nullopt;
      }
    } else {
      start.input_text = json::dump(*input);
    }
  }
  return start;
}

std::string nested_child_name(const std::string& parent_task_token) {
  const std::string hex = digest::hex("SHA-256", parent_task_token).value_or(std::string(32, '0'));
  return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                     hex.substr(16, 4), hex.substr(20, 12));
}

json::Value start_execution_response(const std::string& execution_arn, TimePoint start_date,
                                     const std::string& request_id, TimePoint now) {
  // The body the SDK read: {"executionArn":"...","startDate":1.764103483123E9}.
  const std::size_t length = std::string_view(R"({"executionArn":"",)").size() +
                             execution_arn.size() + std::string_view(R"("startDate":})").size() +
                             java_epoch_seconds(start_date).size();
  const std::string content_length = std::to_string(length);
  const std::string date = http_date(now);
  const char* content_type = "application/x-amz-json-1.0";
  json::Object all{
      {"x-amzn-RequestId", json::Array{json::String(request_id)}},
      {"connection", json::Array{"keep-alive"}},
      {"Content-Length", json::Array{json::String(content_length)}},
      {"Date", json::Array{json::String(date)}},
      {"Content-Type", json::Array{content_type}},
  };
  json::Object single{
      {"connection", "keep-alive"},
      {"Content-Length", json::String(content_length)},
      {"Content-Type", content_type},
      {"Date", json::String(date)},
      {"x-amzn-RequestId", json::String(request_id)},
  };
  json::Object response;
  response["ExecutionArn"] = execution_arn;
  response["SdkHttpMetadata"] = json::Object{
      {"AllHttpHeaders", std::move(all)},
      {"HttpHeaders", std::move(single)},
      {"HttpStatusCode", 200},
  };
  response["SdkResponseMetadata"] = json::Object{{"RequestId", json::String(request_id)}};
  response["StartDate"] = epoch_millis(start_date);
  return response;
}

integrations::TaskOutcome child_outcome(const ChildExecution& child, NestedMode mode) {
  const bool parsed = mode == NestedMode::Sync2;
  auto data = [&](const std::string& text) -> json::Value {
    if (!parsed) return json::String(text);
    try {
      return json::parse(text);
    } catch (const std::exception&) {
      return json::String(text);
    }
  };
  const bool succeeded = child.status == "SUCCEEDED";
  // Keys in the order AWS's integration writes them (alphabetical).
  json::Object d;
  if (!succeeded) {
    if (child.cause) d["Cause"] = *child.cause;
    if (child.error) d["Error"] = *child.error;
  }
  d["ExecutionArn"] = child.arn;
  d["Input"] = data(child.input_text);
  d["InputDetails"] = json::Object{{"Included", true}};
  d["Name"] = child.name;
  if (succeeded) {
    d["Output"] = data(child.output_text.value_or("null"));
    d["OutputDetails"] = json::Object{{"Included", true}};
  }
  if (!child.express) {
    // DescribeExecution's redrive fields (redrive itself is not implemented: count 0).
    d["RedriveCount"] = 0;
    d["RedriveStatus"] = succeeded ? "NOT_REDRIVABLE" : "REDRIVABLE";
    if (succeeded) d["RedriveStatusReason"] = "Execution is SUCCEEDED and cannot be redriven";
  }
  d["StartDate"] = epoch_millis(child.start_date);
  if (!child.alias_arn.empty()) d["StateMachineAliasArn"] = child.alias_arn;
  d["StateMachineArn"] = child.state_machine_arn;
  if (!child.version_arn.empty()) d["StateMachineVersionArn"] = child.version_arn;
  d["Status"] = child.status;
  d["StopDate"] = epoch_millis(child.stop_date);
  if (succeeded) return integrations::TaskOutcome::succeeded(std::move(d));
  return integrations::TaskOutcome::failed(std::string(errors::kTaskFailed), json::dump(d));
}

std::string NestedLinks::key(const NestedParent& parent) {
  return parent.execution_arn + "#" + std::to_string(parent.effect_id);
}

void NestedLinks::open(const NestedParent& parent) {
  std::lock_guard lock(mutex_);
  Resize resize{*this};
  Link& link = links_[key(parent)];
  link.parent = parent;
}

void NestedLinks::submitted(const NestedParent& parent, const std::string& child_arn,
                            integrations::TaskOutcome submitted, const Post& post,
                            bool open_if_missing) {
  // Posting under the lock keeps the order: the Submitted answer before the child's outcome.
  std::lock_guard lock(mutex_);
  Resize resize{*this};
  const std::string k = key(parent);
  auto it = links_.find(k);
  if (it == links_.end()) {
    if (!open_if_missing) return post(parent, std::move(submitted));  // the parent has gone
    it = links_.emplace(k, Link{parent, {}, false, std::nullopt}).first;
  }
  post(parent, std::move(submitted));
  if (it->second.held) {
    post(parent, std::move(*it->second.held));
    links_.erase(it);
    return;
  }
  it->second.submitted = true;
  if (it->second.child_arn.empty()) {
    it->second.child_arn = child_arn;
    by_child_.emplace(child_arn, k);
  }
}

void NestedLinks::child_closed(const std::string& child_arn,
                               const std::optional<NestedParent>& started_by,
                               const ChildExecution& child, const Post& post) {
  std::lock_guard lock(mutex_);
  Resize resize{*this};
  std::vector<std::string> keys;
  auto [from, to] = by_child_.equal_range(child_arn);
  for (auto it = from; it != to; ++it) keys.push_back(it->second);
  by_child_.erase(from, to);
  if (started_by) {
    const std::string k = key(*started_by);
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  for (const auto& k : keys) {
    auto it = links_.find(k);
    if (it == links_.end()) continue;
    auto outcome = child_outcome(child, it->second.parent.mode);
    if (!it->second.submitted) {
      it->second.held = std::move(outcome);
      continue;
    }
    post(it->second.parent, std::move(outcome));
    links_.erase(it);
  }
}

void NestedLinks::answer(const NestedParent& parent, integrations::TaskOutcome outcome,
                         const Post& post) {
  std::lock_guard lock(mutex_);
  Resize resize{*this};
  auto it = links_.find(key(parent));
  if (it == links_.end()) return;
  post(parent, std::move(outcome));
  for (auto [from, to] = by_child_.equal_range(it->second.child_arn); from != to; ++from) {
    if (from->second == it->first) {
      by_child_.erase(from);
      break;
    }
  }
  links_.erase(it);
}

void NestedLinks::drop(const NestedParent& parent) {
  std::lock_guard lock(mutex_);
  Resize resize{*this};
  links_.erase(key(parent));
}

std::vector<std::string> NestedLinks::parent_closed(const std::string& parent_arn) {
  std::lock_guard lock(mutex_);
  Resize resize{*this};
  std::vector<std::string> children;
  const std::string prefix = parent_arn + "#";
  for (auto it = links_.lower_bound(prefix);
       it != links_.end() && it->first.compare(0, prefix.size(), prefix) == 0;) {
    if (!it->second.child_arn.empty()) {
      children.push_back(it->second.child_arn);
      for (auto [from, to] = by_child_.equal_range(it->second.child_arn); from != to; ++from) {
        if (from->second == it->first) {
          by_child_.erase(from);
          break;
        }
      }
    }
    it = links_.erase(it);
  }
  return children;
}

}  // namespace stepline::runtime
