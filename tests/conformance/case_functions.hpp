// The functions file a recorded `lambda:` case runs with: each function of the case's `lambdas`
// member becomes a local Python function whose code folder holds the shared handler as
// handler.py, the module name the recorded stack traces show (/var/task/handler.py).
#pragma once

#include "common/json.hpp"

#include <filesystem>
#include <string>

namespace stepline::harness {

class CaseFunctions {
 public:
  // Code folders go under a fresh private folder; `handlers_dir` is shared/conformance/lambdas.
  explicit CaseFunctions(std::filesystem::path handlers_dir);
  ~CaseFunctions();
  CaseFunctions(const CaseFunctions&) = delete;
  CaseFunctions& operator=(const CaseFunctions&) = delete;

  // Writes the functions file for `lambdas` and returns its path; throws std::runtime_error
  // when a handler file is missing.
  std::string write_functions_file(const json::Value& lambdas, const std::string& case_key);

 private:
  std::filesystem::path code_folder(const std::string& handler_file);

  std::filesystem::path handlers_dir_;
  std::filesystem::path root_;
};

}  // namespace stepline::harness
