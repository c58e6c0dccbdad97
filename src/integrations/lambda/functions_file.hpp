// The functions file of `--functions FILE`: which local handlers stand for which Lambda function
// names, in exactly the shape of issue 5:
//   {"functions": {"NAME": {"runtime": "python3" | "nodejs" | "provided", "handler": "mod.fn",
//    "code": "DIR", "environment": {...}, "timeout": SECONDS, "concurrency": N}}}
#pragma once

#include "common/json.hpp"

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace stepline::integrations::lambda {

enum class Runtime { Python, Node, Provided };

struct FunctionConfig {
  std::string name;
  Runtime runtime = Runtime::Python;
  // "module.function" for Python and Node; for `provided` the executable (relative to `code`).
  std::string handler;
  std::filesystem::path code;  // absolute
  std::vector<std::pair<std::string, std::string>> environment;
  double timeout_seconds = 3;  // AWS's default function timeout
  // Warm workers kept at most; invocations beyond wait for a free worker.
  int concurrency = 10;
};

struct FunctionsFile {
  std::map<std::string, FunctionConfig> functions;
};

class FunctionsFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads and checks the file; "code" is resolved against the file's folder.
FunctionsFile load_functions_file(const std::string& path);

// The same from an already parsed document; `base_dir` resolves relative "code" folders and
// `origin` names the document in error messages.
FunctionsFile parse_functions_file(const json::Value& document,
                                   const std::filesystem::path& base_dir,
                                   const std::string& origin);

const char* runtime_name(Runtime runtime);

}  // namespace stepline::integrations::lambda
