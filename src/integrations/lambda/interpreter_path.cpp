#include "integrations/lambda/interpreter_path.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace stepline::integrations::lambda {

namespace {

constexpr std::chrono::seconds kPatience{10};

// What the interpreter says its own binary is, or "" when it does not say.
std::string ask_interpreter(const std::string& program, const std::filesystem::path& folder) {
  std::vector<std::string> args{program};
  if (program == "node") {
    args.insert(args.end(), {"-e", "process.stdout.write(process.execPath)"});
  } else {
    args.insert(args.end(), {"-c", "import sys; sys.stdout.write(sys.executable or '')"});
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addchdir_np(&actions, folder.c_str());
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  std::string text;
  if (rc == 0) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    char buffer[512];
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{out[0], POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
        ::kill(pid, SIGKILL);
        text.clear();
        break;
      }
      const ssize_t n = ::read(out[0], buffer, sizeof buffer);
      if (n <= 0) break;
      text.append(buffer, static_cast<std::size_t>(n));
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) text.clear();
  }
  ::close(out[0]);
  return text;
}

}  // namespace

std::string resolved_interpreter(const std::string& program, const std::filesystem::path& folder) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, std::string>, std::string> known;
  const auto key = std::make_pair(program, folder.string());
  {
    std::lock_guard lock(mutex);
    if (auto it = known.find(key); it != known.end()) return it->second;
  }
  std::string path = ask_interpreter(program, folder);
  std::error_code ec;
  if (path.empty() || path[0] != '/' || ::access(path.c_str(), X_OK) != 0 ||
      !std::filesystem::is_regular_file(path, ec)) {
    path = program;
  }
  std::lock_guard lock(mutex);
  return known.emplace(key, path).first->second;
}

}  // namespace stepline::integrations::lambda
