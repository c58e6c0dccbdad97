#include "integrations/lambda/worker.hpp"

#include "integrations/lambda/bootstrap_files.hpp"
#include "integrations/lambda/interpreter_path.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace stepline::integrations::lambda {

namespace {

using Clock = std::chrono::steady_clock;

// Lambda grants a slow cold start this long on top of the function timeout.
constexpr std::chrono::seconds kInitAllowance{10};
// How often a waiting invocation checks that its worker is still alive.
constexpr std::chrono::milliseconds kPollInterval{100};

long long epoch_ms_in(std::chrono::milliseconds from_now) {
  using namespace std::chrono;
  return duration_cast<milliseconds>((system_clock::now() + from_now).time_since_epoch()).count();
}

std::string random_hex(std::size_t digits) {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  std::string out;
  while (out.size() < digits) out += fmt::format("{:016x}", engine());
  out.resize(digits);
  return out;
}

std::vector<std::string> worker_environment(const FunctionConfig& f, const WorkerSetup& setup,
                                            const std::string& api) {
  std::vector<std::pair<std::string, std::string>> lambda_vars = {
      {"AWS_LAMBDA_RUNTIME_API", api},
      {"LAMBDA_TASK_ROOT", f.code.string()},
      {"_HANDLER", f.handler},
      {"AWS_LAMBDA_FUNCTION_NAME", f.name},
      {"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"},
      {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"},
      {"AWS_LAMBDA_FUNCTION_TIMEOUT", fmt::format("{}", f.timeout_seconds)},
      {"AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + f.name},
      {"AWS_LAMBDA_LOG_STREAM_NAME", "stepline/[$LATEST]" + random_hex(32)},
      {"AWS_REGION", setup.region},
      {"AWS_DEFAULT_REGION", setup.region},
      {"AWS_EXECUTION_ENV", std::string("AWS_Lambda_") + runtime_name(f.runtime)},
      {"PYTHONUNBUFFERED", "1"},
  };
  for (const auto& kv : f.environment) lambda_vars.push_back(kv);
  std::vector<std::string> env;
  auto overridden = [&](std::string_view entry) {
    const auto eq = entry.find('=');
    const std::string_view key = entry.substr(0, eq);
    for (const auto& kv : lambda_vars) {
      if (kv.first == key) return true;
    }
    return false;
  };
  for (char** e = environ; e && *e; ++e) {
    if (!overridden(*e)) env.emplace_back(*e);
  }
  for (const auto& [k, v] : lambda_vars) env.push_back(k + "=" + v);
  return env;
}

std::vector<std::string> worker_command(const FunctionConfig& f) {
  switch (f.runtime) {
    case Runtime::Python:
      return {resolved_interpreter("python3", f.code), "-u", bootstrap_path(Runtime::Python)};
    case Runtime::Node:
      return {resolved_interpreter("node", f.code), bootstrap_path(Runtime::Node)};
    case Runtime::Provided: {
      std::filesystem::path exe = f.handler;
      if (exe.is_relative()) exe = f.code / exe;
      return {exe.string()};
    }
  }
  return {};
}

std::string exit_description(int status) {
  if (WIFEXITED(status)) return fmt::format("exit status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return fmt::format("signal: {}", sig == SIGKILL ? "killed" : strsignal(sig));
  }
  return "unknown";
}

}  // namespace

Worker::Worker(const FunctionConfig& function, const WorkerSetup& setup)
    : function_(function), setup_(setup) {
  std::vector<std::string> command = worker_command(function);
  std::vector<std::string> env = worker_environment(function, setup, api_.address());
  std::vector<char*> argv, envp;
  for (auto& a : command) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  // The function's output comes through a pipe: it goes on to Stepline's stderr (stdout stays
  // the command's) and each invocation's part is kept for LogType Tail.
  int log_pipe[2];
  if (::pipe2(log_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("cannot create a pipe for the function's logs");
  }
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_adddup2(&actions, log_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, log_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addchdir_np(&actions, function.code.c_str());
  // Its own process group, so a timeout ends the handler's children too.
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t defaults, empty;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  const int rc = posix_spawnp(&pid_, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(log_pipe[1]);
  log_fd_ = log_pipe[0];
  if (rc != 0) {
    ::close(log_fd_);
    throw std::runtime_error(fmt::format("cannot start '{}' for function '{}': {}", command[0],
                                         function.name, std::strerror(rc)));
  }
  log_pump_ = std::thread([this] { pump_log(); });
}

long Worker::peak_memory_mb() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6) / 1024;
  }
  return 0;
}

void Worker::pump_log() {
  char buffer[4096];
  for (;;) {
    {
      std::lock_guard lock(log_mutex_);
      if (log_stop_) return;
    }
    pollfd p{log_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::read(log_fd_, buffer, sizeof buffer);
    if (n <= 0) return;  // every writer has gone
    ssize_t written = ::write(STDERR_FILENO, buffer, static_cast<std::size_t>(n));
    (void)written;
    std::lock_guard lock(log_mutex_);
    log_.append(buffer, static_cast<std::size_t>(n));
    // Only the tail is ever returned (LogType Tail: the last 4 KB).
    if (log_.size() > 65536) log_.erase(0, log_.size() - 8192);
  }
}

std::string Worker::take_log() {
  // Output written just before the answer may still be in the pipe.
  pollfd p{log_fd_, POLLIN, 0};
  if (::poll(&p, 1, 0) > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::lock_guard lock(log_mutex_);
  std::string out;
  out.swap(log_);
  return out;
}

Worker::~Worker() {
  kill();
  api_.stop();
  {
    std::lock_guard lock(log_mutex_);
    log_stop_ = true;
  }
  if (log_pump_.joinable()) log_pump_.join();
  if (log_fd_ >= 0) ::close(log_fd_);
}

void Worker::kill() {
  if (pid_ > 0 && !exited_) {
    ::kill(-pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    exited_ = true;
    exit_status_ = status;
  }
}

bool Worker::exited() {
  if (exited_) return true;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exited_ = true;
    exit_status_ = status;
    // Whatever the runtime left running in its group goes with it.
    ::kill(-pid_, SIGKILL);
  }
  return exited_;
}

bool Worker::wait_ready(Clock::time_point until) {
  // The process may exit during its init (an import error): polled, since no request says so.
  for (;;) {
    const auto step = std::min(until, Clock::now() + kPollInterval);
    if (api_.wait_ready(step) || exited()) return true;
    if (Clock::now() >= until) return false;
  }
}

void Worker::start(const std::string& request_id, const std::string& payload,
                   const std::string& function_arn) {
  request_id_ = request_id;
  offered_at_ = Clock::now();
  {
    std::lock_guard lock(log_mutex_);
    log_.clear();
  }
  Invocation inv;
  inv.request_id = request_id;
  inv.payload = payload;
  inv.function_arn = function_arn;
  inv.deadline_epoch_ms = epoch_ms_in(
      std::chrono::milliseconds(static_cast<long long>(function_.timeout_seconds * 1000)));
  inv.trace_id = "Root=1-" + random_hex(8) + "-" + random_hex(24) + ";Sampled=0";
  api_.offer(std::move(inv));
}

InvocationResult Worker::service_error(const std::string& type, const std::string& message) {
  InvocationResult r;
  r.function_error = "Unhandled";
  r.worker_reusable = false;
  r.payload = fmt::format(R"({{"errorType":"{}","errorMessage":"RequestId: {} Error: {}"}})", type,
                          request_id_, message);
  r.log = take_log();
  return r;
}

std::optional<InvocationResult> Worker::wait(Clock::time_point until) {
  const auto timeout = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(function_.timeout_seconds));
  for (;;) {
    if (auto reply = api_.reply()) {
      InvocationResult r;
      r.payload = reply->body;
      switch (reply->kind) {
        case RuntimeReply::Kind::Response:
          break;
        case RuntimeReply::Kind::Error:
          r.function_error = "Unhandled";
          break;
        case RuntimeReply::Kind::InitError:
          // Lambda answers the invocation with the init error and discards the sandbox.
          r.function_error = "Unhandled";
          r.worker_reusable = false;
          kill();
          break;
      }
      r.log = take_log();
      return r;
    }
    if (exited()) {
      return service_error("Runtime.ExitError",
                           "Runtime exited with error: " + exit_description(exit_status_));
    }
    const auto taken = api_.taken_at();
    const auto deadline = taken ? *taken + timeout : offered_at_ + kInitAllowance + timeout;
    const auto now = Clock::now();
    if (now >= deadline) {
      kill();
      return service_error("Sandbox.Timedout", fmt::format("Task timed out after {:.2f} seconds",
                                                           function_.timeout_seconds));
    }
    if (now >= until) return std::nullopt;
    api_.wait_for_change(std::min({deadline, until, now + kPollInterval}));
  }
}

}  // namespace stepline::integrations::lambda
