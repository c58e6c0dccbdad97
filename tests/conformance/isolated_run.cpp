#include "isolated_run.hpp"

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>

namespace stepline::harness {

json::Value result_to_json(const engine::RunResult& result) {
  json::Object o;
  o["status"] = json::String(result.status);
  o["output"] = result.output ? *result.output : json::Value(nullptr);
  o["error"] = result.error ? json::Value(json::String(*result.error)) : json::Value(nullptr);
  o["cause"] = result.cause ? json::Value(json::String(*result.cause)) : json::Value(nullptr);
  o["history"] = result.history;
  return o;
}

json::Value diagnostics_to_json(const std::vector<asl::Diagnostic>& diagnostics) {
  json::Array list;
  for (const asl::Diagnostic& d : diagnostics) {
    json::Object o;
    o["severity"] = json::String(d.severity);
    o["code"] = json::String(d.code);
    o["message"] = json::String(d.message);
    o["location"] = d.location ? json::Value(json::String(*d.location)) : json::Value(nullptr);
    list.push_back(std::move(o));
  }
  json::Object wrapper;
  wrapper["definition_error"] = std::move(list);
  return wrapper;
}

namespace {

json::Value run_catching(const std::function<json::Value()>& run) {
  try {
    return run();
  } catch (const engine::DefinitionError& e) {
    return diagnostics_to_json(e.diagnostics());
  } catch (const std::exception& e) {
    json::Object o;
    o["exception"] = json::String(std::string(e.what()));
    return o;
  }
}

std::variant<json::Value, RunFailure> from_json(json::Value v) {
  if (v.is_object()) {
    if (const json::Value* ex = v.get_object().if_contains("exception"); ex && ex->is_string()) {
      return RunFailure{"threw: " + std::string(ex->get_string())};
    }
  }
  return v;
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

std::variant<json::Value, RunFailure> run_isolated(const std::function<json::Value()>& run,
                                                   bool isolate, unsigned timeout_seconds) {
  if (!isolate) return from_json(run_catching(run));
  std::fflush(nullptr);
  int fds[2];
  if (::pipe(fds) != 0) return RunFailure{"cannot create a pipe"};
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return RunFailure{"cannot fork"};
  }
  if (pid == 0) {
    ::close(fds[0]);
    ::alarm(timeout_seconds);
    std::string text = json::dump(run_catching(run));
    ::_exit(write_all(fds[1], text) ? 0 : 3);
  }
  ::close(fds[1]);
  std::string text;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    if (WTERMSIG(status) == SIGALRM) {
      return RunFailure{"timed out after " + std::to_string(timeout_seconds) + " s"};
    }
    return RunFailure{"crashed (signal " + std::to_string(WTERMSIG(status)) + ")"};
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return RunFailure{"the run exited with status " + std::to_string(WEXITSTATUS(status)) +
                      " (sanitizer report or abort: rerun with --no-isolate to see it)"};
  }
  try {
    return from_json(json::parse(text));
  } catch (const json::ParseError& e) {
    return RunFailure{std::string("unreadable result from the run: ") + e.what()};
  }
}

}  // namespace stepline::harness
