#include "runtime/execution_log.hpp"

#include <cmath>
#include <cstdio>

namespace stepline::runtime {

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Drops the payloads (input, output, parameters) when includeExecutionData is false.
void strip_data(json::Object& details) {
  for (const char* key : {"input", "output", "parameters", "assignedVariables"}) details.erase(key);
}

std::string text(const json::Value& v) {
  return v.is_string() ? std::string(v.as_string()) : std::string();
}

}  // namespace

bool logged_at_level(const std::string& level, const std::string& type) {
  if (level == "ALL") return true;
  const bool fatal =
      type == "ExecutionFailed" || type == "ExecutionAborted" || type == "ExecutionTimedOut";
  if (level == "FATAL") return fatal;
  if (level == "ERROR") {
    return fatal || ends_with(type, "Failed") || ends_with(type, "TimedOut") ||
           ends_with(type, "Aborted");
  }
  return false;
}

ExecutionLog::~ExecutionLog() {
  for (auto& [name, file] : files_) std::fclose(file);
}

void ExecutionLog::append(const std::string& state_machine_name, const std::string& execution_arn,
                          const json::Value& config, const json::Array& events) {
  if (!enabled() || !config.is_object()) return;
  const auto& c = config.as_object();
  const std::string level = c.contains("level") ? text(c.at("level")) : "OFF";
  if (level == "OFF" || level.empty()) return;
  const auto* include = c.if_contains("includeExecutionData");
  const bool include_data = include && include->is_bool() && include->as_bool();
  std::string lines;
  for (const auto& e : events) {
    const auto& event = e.as_object();
    const std::string type = text(event.at("type"));
    if (!logged_at_level(level, type)) continue;
    json::Object line;
    line["id"] = json::dump(event.at("id"));
    line["type"] = type;
    json::Object details;
    for (const auto& [key, value] : event) {
      if (key.ends_with("EventDetails") && value.is_object()) details = value.as_object();
    }
    if (!include_data) strip_data(details);
    line["details"] = std::move(details);
    line["previous_event_id"] =
        event.contains("previousEventId") ? json::dump(event.at("previousEventId")) : "0";
    double seconds = 0;
    json::as_double(event.at("timestamp"), seconds);
    line["event_timestamp"] = std::to_string(std::llround(seconds * 1000));
    line["execution_arn"] = execution_arn;
    line["redrive_count"] = "0";
    json::dump_to(lines, line);
    lines += '\n';
  }
  if (lines.empty()) return;
  std::lock_guard lock(mutex_);
  auto& file = files_[state_machine_name];
  if (!file) {
    std::error_code ignored;
    std::filesystem::create_directories(dir_, ignored);
    file = std::fopen((dir_ / (state_machine_name + ".jsonl")).c_str(), "a");
    if (!file) {
      files_.erase(state_machine_name);
      std::fprintf(stderr, "stepline runtime: cannot open the execution log in %s\n", dir_.c_str());
      return;
    }
  }
  std::fwrite(lines.data(), 1, lines.size(), file);
  std::fflush(file);
}

}  // namespace stepline::runtime
