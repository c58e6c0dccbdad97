#include "cli/commands/run_report.hpp"

#include <fmt/format.h>

#include <map>
#include <string>
#include <string_view>

namespace stepline::cli {

namespace {

std::string_view text_of(const json::Object& o, std::string_view key) {
  const json::Value* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

// The one "...EventDetails" member of an event, or an empty object.
const json::Object& details_of(const json::Object& event) {
  static const json::Object kNone;
  for (const auto& kv : event) {
    std::string_view key = kv.key();
    if (key.size() > 12 && key.substr(key.size() - 12) == "EventDetails" &&
        kv.value().is_object()) {
      return kv.value().get_object();
    }
  }
  return kNone;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string error_text(const json::Object& d) {
  std::string_view error = text_of(d, "error"), cause = text_of(d, "cause");
  if (error.empty() && cause.empty()) return "(no error or cause)";
  if (cause.empty()) return std::string(error);
  if (error.empty()) return std::string(cause);
  return fmt::format("{}: {}", error, cause);
}

}  // namespace

void print_run_report(std::ostream& out, const engine::RunResult& result) {
  double start = 0;
  bool have_start = false;
  // Scheduled events per state since it was entered: the second and later ones are retries.
  std::map<std::string, int> attempts;
  std::string last_entered;
  for (const json::Value& item : result.history) {
    if (!item.is_object()) continue;
    const json::Object& event = item.get_object();
    std::string_view type = text_of(event, "type");
    double at = 0;
    if (const json::Value* ts = event.if_contains("timestamp")) json::as_double(*ts, at);
    if (!have_start) {
      start = at;
      have_start = true;
    }
    const std::string when = fmt::format("[{:9.3f}s] ", at - start);
    const json::Object& d = details_of(event);
    std::string line;
    if (type == "ExecutionStarted") {
      line = fmt::format("execution started, input {}", text_of(d, "input"));
    } else if (ends_with(type, "StateEntered")) {
      last_entered = std::string(text_of(d, "name"));
      attempts[last_entered] = 0;
      line = fmt::format("enter {} ({}), input {}", last_entered, type.substr(0, type.size() - 12),
                         text_of(d, "input"));
    } else if (ends_with(type, "StateExited")) {
      line = fmt::format("exit  {}, output {}", text_of(d, "name"), text_of(d, "output"));
      if (const json::Value* vars = d.if_contains("assignedVariables"); vars && vars->is_object()) {
        for (const auto& kv : vars->get_object()) {
          line += fmt::format("\n{:13}  ${} = {}", "", std::string_view(kv.key()),
                              kv.value().is_string() ? std::string_view(kv.value().get_string())
                                                     : std::string_view("?"));
        }
      }
    } else if (type == "TaskScheduled" || type == "LambdaFunctionScheduled" ||
               type == "ActivityScheduled") {
      int n = attempts[last_entered]++;
      std::string what = type == "TaskScheduled" ? fmt::format("{}:{}", text_of(d, "resourceType"),
                                                               text_of(d, "resource"))
                                                 : std::string(text_of(d, "resource"));
      line = n == 0 ? fmt::format("  task {} scheduled", what)
                    : fmt::format("  retry #{}: task {} scheduled again", n, what);
    } else if (type == "TaskSucceeded" || type == "LambdaFunctionSucceeded" ||
               type == "ActivitySucceeded") {
      line = fmt::format("  task succeeded, result {}", text_of(d, "output"));
    } else if (ends_with(type, "Failed") || ends_with(type, "TimedOut")) {
      if (type == "ExecutionFailed" || type == "ExecutionTimedOut") continue;  // in the summary
      line = fmt::format("  {}: {}", type, error_text(d));
    } else if (type == "MapStateStarted") {
      const json::Value* length = d.if_contains("length");
      line = fmt::format("  map over {} items", length ? json::dump(*length) : "?");
    } else if (type == "MapIterationStarted") {
      const json::Value* index = d.if_contains("index");
      line = fmt::format("  iteration {} started", index ? json::dump(*index) : "?");
    } else if (type == "ExecutionSucceeded" || type == "TaskStarted" ||
               type == "LambdaFunctionStarted") {
      continue;  // the summary below / nothing worth a line
    } else {
      line = std::string(type);
      if (!d.empty()) line += " " + json::dump(json::Value(d));
    }
    out << when << line << '\n';
  }
  out << "status: " << result.status << '\n';
  if (result.error || result.cause) {
    out << "error: " << result.error.value_or("(none)") << '\n';
    out << "cause: " << result.cause.value_or("(none)") << '\n';
  }
  if (result.output) out << json::dump(*result.output) << '\n';
}

json::Value run_result_json(const engine::RunResult& result) {
  json::Object o;
  o["status"] = json::String(result.status);
  o["output"] = result.output ? *result.output : json::Value(nullptr);
  o["error"] = result.error ? json::Value(json::String(*result.error)) : json::Value(nullptr);
  o["cause"] = result.cause ? json::Value(json::String(*result.cause)) : json::Value(nullptr);
  o["history"] = result.history;
  return o;
}

}  // namespace stepline::cli
