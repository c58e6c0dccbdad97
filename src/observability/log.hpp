// The structured log of `stepline serve`: one JSON object per line on stderr (or any stream),
// {"time":"<RFC 3339 UTC>","level":"info","msg":"...", <fields>}, filtered by level. The level
// comes from set_level() or, until then, the STEPLINE_LOG_LEVEL environment variable (debug, info,
// warn, error; default info). Thread-safe: whole lines are written under one lock.
#pragma once

#include "common/json.hpp"

#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace stepline::observability {

enum class LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3 };

std::optional<LogLevel> parse_log_level(std::string_view name);
const char* log_level_name(LogLevel level);

class Logger {
 public:
  explicit Logger(std::FILE* out = stderr);

  void set_level(LogLevel level);
  LogLevel level() const;
  bool enabled(LogLevel level) const { return level >= this->level(); }

  // `fields` are added after time, level and msg (an object; anything else is ignored).
  void log(LogLevel level, std::string_view message, const json::Object& fields = {});

  // The line log() writes, without the trailing newline (for tests and other sinks).
  static std::string format(LogLevel level, std::string_view message, const json::Object& fields,
                            std::string_view time);

 private:
  std::FILE* out_;
  mutable std::mutex mutex_;
  LogLevel level_;
};

// The process's logger (stderr).
Logger& default_logger();

}  // namespace stepline::observability
