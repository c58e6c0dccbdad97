// Helpers for the local Lambda tests: a scratch folder with handler files and the functions
// file that declares them.
#pragma once

#include "integrations/lambda/functions_file.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <stdlib.h>

namespace stepline::integrations::lambda::testing {

class Scratch {
 public:
  Scratch() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "stepline-lambda-test-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    root_ = ::mkdtemp(buffer.data());
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  const std::filesystem::path& root() const { return root_; }

  std::filesystem::path write(const std::string& relative, const std::string& text,
                              bool executable = false) {
    const auto path = root_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
    if (executable) {
      std::filesystem::permissions(path, std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::add);
    }
    return path;
  }

 private:
  std::filesystem::path root_;
};

inline FunctionConfig function(const std::string& name, Runtime runtime, const std::string& handler,
                               const std::filesystem::path& code, double timeout = 10,
                               int concurrency = 4) {
  FunctionConfig f;
  f.name = name;
  f.runtime = runtime;
  f.handler = handler;
  f.code = code;
  f.timeout_seconds = timeout;
  f.concurrency = concurrency;
  return f;
}

}  // namespace stepline::integrations::lambda::testing
