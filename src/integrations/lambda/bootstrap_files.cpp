#include "integrations/lambda/bootstrap_files.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <vector>

#include <unistd.h>

namespace stepline::integrations::lambda {

namespace {

// Owns the private folder; removing it at exit leaves nothing behind in /tmp.
class BootstrapFolder {
 public:
  ~BootstrapFolder() {
    // A forked child must not remove its parent's folder.
    if (!path_.empty() && owner_ == ::getpid()) {
      std::error_code ec;
      std::filesystem::remove_all(path_, ec);
    }
  }

  std::string file(const char* name, const char* text) {
    std::lock_guard lock(mutex_);
    if (path_.empty()) {
      std::error_code ec;
      std::filesystem::path base = std::filesystem::temp_directory_path(ec);
      if (ec) base = "/tmp";
      std::string pattern = (base / "stepline-runtimes-XXXXXX").string();
      std::vector<char> buffer(pattern.begin(), pattern.end());
      buffer.push_back('\0');
      if (!::mkdtemp(buffer.data())) {
        throw std::runtime_error("cannot create a private folder for the Lambda runtime clients");
      }
      path_ = buffer.data();
      owner_ = ::getpid();
    }
    std::filesystem::path target = std::filesystem::path(path_) / name;
    if (!std::filesystem::exists(target)) {
      std::ofstream out(target, std::ios::binary);
      out << text;
      if (!out) throw std::runtime_error("cannot write " + target.string());
    }
    return target.string();
  }

 private:
  std::mutex mutex_;
  std::string path_;
  pid_t owner_ = 0;
};

BootstrapFolder& folder() {
  static BootstrapFolder instance;
  return instance;
}

}  // namespace

std::string bootstrap_path(Runtime runtime) {
  switch (runtime) {
    case Runtime::Python:
      return folder().file("bootstrap.py", kPythonBootstrap);
    case Runtime::Node:
      return folder().file("bootstrap.js", kNodeBootstrap);
    case Runtime::Provided:
      break;
  }
  throw std::logic_error("a provided runtime brings its own bootstrap");
}

}  // namespace stepline::integrations::lambda
