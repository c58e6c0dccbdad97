#include "observability/log.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

namespace stepline::observability {

namespace {

std::string now_rfc3339() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

LogLevel level_from_environment() {
  const char* configured = std::getenv("STEPLINE_LOG_LEVEL");
  if (!configured) return LogLevel::Info;
  return parse_log_level(configured).value_or(LogLevel::Info);
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view name) {
  if (name == "debug") return LogLevel::Debug;
  if (name == "info") return LogLevel::Info;
  if (name == "warn" || name == "warning") return LogLevel::Warn;
  if (name == "error") return LogLevel::Error;
  return std::nullopt;
}

const char* log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Debug:
      return "debug";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warn:
      return "warn";
    case LogLevel::Error:
      return "error";
  }
  return "info";
}

Logger::Logger(std::FILE* out) : out_(out), level_(level_from_environment()) {}

void Logger::set_level(LogLevel level) {
  const std::lock_guard lock(mutex_);
  level_ = level;
}

LogLevel Logger::level() const {
  const std::lock_guard lock(mutex_);
  return level_;
}

std::string Logger::format(LogLevel level, std::string_view message, const json::Object& fields,
                           std::string_view time) {
  json::Object line;
  line["time"] = time;
  line["level"] = log_level_name(level);
  line["msg"] = message;
  for (const auto& [key, value] : fields)
    if (key != "time" && key != "level" && key != "msg") line[key] = value;
  return json::dump(line);
}

void Logger::log(LogLevel level, std::string_view message, const json::Object& fields) {
  if (!enabled(level)) return;
  std::string text = format(level, message, fields, now_rfc3339());
  text.push_back('\n');
  const std::lock_guard lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

Logger& default_logger() {
  static Logger logger(stderr);
  return logger;
}

}  // namespace stepline::observability
