// The Lambda Runtime API one worker process talks to (AWS_LAMBDA_RUNTIME_API): it hands the
// worker the invocation offered to it (GET /2018-06-01/runtime/invocation/next) and collects
// the answer (POST .../invocation/{id}/response | /error, or /runtime/init/error). One server per
// worker, on 127.0.0.1 and an ephemeral port, as each Lambda sandbox has its own endpoint.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace stepline::integrations::lambda {

struct Invocation {
  std::string request_id;
  std::string payload;
  std::string function_arn;
  long long deadline_epoch_ms = 0;  // Lambda-Runtime-Deadline-Ms
  std::string trace_id;
};

struct RuntimeReply {
  enum class Kind { Response, Error, InitError };
  Kind kind = Kind::Response;
  std::string body;
  std::string error_type;  // Lambda-Runtime-Function-Error-Type, when the runtime sent one
};

class RuntimeApiServer {
 public:
  RuntimeApiServer();  // listens at once
  ~RuntimeApiServer();
  RuntimeApiServer(const RuntimeApiServer&) = delete;
  RuntimeApiServer& operator=(const RuntimeApiServer&) = delete;

  // "127.0.0.1:PORT", the value of AWS_LAMBDA_RUNTIME_API.
  std::string address() const;

  // Makes `invocation` the one the next /invocation/next returns; clears the previous reply.
  void offer(Invocation invocation);
  // Whether the worker has taken the offered invocation, and when.
  std::optional<std::chrono::steady_clock::time_point> taken_at() const;
  // The worker's answer to the offered invocation, or an init error (which may come first).
  std::optional<RuntimeReply> reply() const;
  // Blocks until something changes (taken, reply) or `until`.
  void wait_for_change(std::chrono::steady_clock::time_point until);
  // Waits until the runtime has finished its init (asked for its first invocation or reported
  // an init error), or `until`; true when it has.
  bool wait_ready(std::chrono::steady_clock::time_point until);

  // Closes the listener and every connection; pending /next requests return.
  void stop();

 private:
  struct Connection;
  void accept_loop();
  void serve(std::shared_ptr<Connection> connection);

  int listen_fd_ = -1;
  unsigned short port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::optional<Invocation> offered_;
  std::optional<std::chrono::steady_clock::time_point> taken_at_;
  std::optional<RuntimeReply> reply_;
  bool ready_ = false;  // a /next request or an init error has come
  unsigned long long generation_ = 0;
  std::vector<std::shared_ptr<Connection>> connections_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace stepline::integrations::lambda
