// The execution log of Express executions (their only history, as AWS sends it to CloudWatch
// Logs): one JSON line per history event, filtered by the machine's LoggingConfiguration level
// (ALL, ERROR, FATAL, OFF) and includeExecutionData, appended to <log_dir>/<state machine>.jsonl.
#pragma once

#include "common/json.hpp"

#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

namespace stepline::runtime {

class ExecutionLog {
 public:
  explicit ExecutionLog(std::filesystem::path dir) : dir_(std::move(dir)) {}
  ~ExecutionLog();
  ExecutionLog(const ExecutionLog&) = delete;
  ExecutionLog& operator=(const ExecutionLog&) = delete;

  bool enabled() const { return !dir_.empty(); }
  // Writes the events the configuration lets through.
  void append(const std::string& state_machine_name, const std::string& execution_arn,
              const json::Value& logging_configuration, const json::Array& events);

 private:
  std::filesystem::path dir_;
  std::mutex mutex_;
  std::map<std::string, std::FILE*> files_;
};

// The level's filter: ALL logs every event; ERROR the failures, time-outs and aborts; FATAL only
// the execution's own failure, time-out or abort; OFF nothing.
bool logged_at_level(const std::string& level, const std::string& event_type);

}  // namespace stepline::runtime
