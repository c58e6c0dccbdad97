// Blocking Beast I/O, one thread per connection: a worker holds at most a couple of
// connections, and a /next request must be able to wait for as long as no invocation comes.
#include "integrations/lambda/runtime_api_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <stdexcept>
#include <string_view>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace stepline::integrations::lambda {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

struct RuntimeApiServer::Connection {
  int fd = -1;  // -1 once closed; guarded by the server's mutex
  std::thread thread;
  std::atomic<bool> done{false};
};

namespace {

constexpr std::string_view kPrefix = "/2018-06-01/runtime";
constexpr std::uint64_t kBodyLimit = 16 * 1024 * 1024;  // above Lambda's 6 MB payload limit

http::response<http::string_body> json_reply(http::status status, std::string body) {
  http::response<http::string_body> res{status, 11};
  res.set(http::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

}  // namespace

RuntimeApiServer::RuntimeApiServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("Runtime API: cannot create a socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("Runtime API: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

RuntimeApiServer::~RuntimeApiServer() {
  stop();
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::shared_ptr<Connection>> connections;
  {
    std::lock_guard lock(mutex_);
    connections.swap(connections_);
  }
  for (auto& c : connections) {
    if (c->thread.joinable()) c->thread.join();
  }
  ::close(listen_fd_);
}

std::string RuntimeApiServer::address() const {
  return "127.0.0.1:" + std::to_string(port_);
}

void RuntimeApiServer::offer(Invocation invocation) {
  std::lock_guard lock(mutex_);
  offered_ = std::move(invocation);
  taken_at_.reset();
  // An init error stays: it answers whatever is offered next.
  if (reply_ && reply_->kind != RuntimeReply::Kind::InitError) reply_.reset();
  ++generation_;
  changed_.notify_all();
}

std::optional<std::chrono::steady_clock::time_point> RuntimeApiServer::taken_at() const {
  std::lock_guard lock(mutex_);
  return taken_at_;
}

std::optional<RuntimeReply> RuntimeApiServer::reply() const {
  std::lock_guard lock(mutex_);
  return reply_;
}

void RuntimeApiServer::wait_for_change(std::chrono::steady_clock::time_point until) {
  std::unique_lock lock(mutex_);
  const auto seen = generation_;
  changed_.wait_until(lock, until, [&] { return generation_ != seen || stopping_; });
}

bool RuntimeApiServer::wait_ready(std::chrono::steady_clock::time_point until) {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, until, [&] { return ready_ || stopping_; }) && ready_;
}

void RuntimeApiServer::stop() {
  std::lock_guard lock(mutex_);
  if (stopping_) return;
  stopping_ = true;
  ++generation_;
  changed_.notify_all();
  // shutdown() wakes threads blocked in accept() and read() on these sockets.
  ::shutdown(listen_fd_, SHUT_RDWR);
  for (auto& c : connections_) {
    if (c->fd >= 0) ::shutdown(c->fd, SHUT_RDWR);
  }
}

void RuntimeApiServer::accept_loop() {
  for (;;) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
      }
      // Out of descriptors or an aborted connection: try again shortly rather than spin.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    std::lock_guard lock(mutex_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    // Reap the threads of connections that have ended.
    for (auto it = connections_.begin(); it != connections_.end();) {
      if ((*it)->done) {
        (*it)->thread.join();
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
    auto c = std::make_shared<Connection>();
    c->fd = fd;
    connections_.push_back(c);
    c->thread = std::thread([this, c] { serve(c); });
  }
}

void RuntimeApiServer::serve(std::shared_ptr<Connection> connection) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  boost::beast::error_code ec;
  socket.assign(tcp::v4(), connection->fd, ec);
  boost::beast::flat_buffer buffer;
  while (!ec) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    http::read(socket, buffer, parser, ec);
    if (ec) break;
    const auto& req = parser.get();
    std::string_view target(req.target().data(), req.target().size());
    target = target.substr(0, target.find('?'));
    http::response<http::string_body> res;
    bool close_after = false;

    if (target.substr(0, kPrefix.size()) != kPrefix) {
      res = json_reply(http::status::not_found,
                       R"({"errorMessage":"Unknown request","errorType":"UnknownRequest"})");
    } else {
      std::string_view route = target.substr(kPrefix.size());
      if (route == "/invocation/next" && req.method() == http::verb::get) {
        std::unique_lock lock(mutex_);
        if (!ready_) {
          ready_ = true;
          ++generation_;
          changed_.notify_all();
        }
        changed_.wait(lock, [&] { return stopping_ || (offered_ && !taken_at_); });
        if (stopping_) break;
        taken_at_ = std::chrono::steady_clock::now();
        ++generation_;
        changed_.notify_all();
        const Invocation& inv = *offered_;
        res = json_reply(http::status::ok, inv.payload);
        res.set("Lambda-Runtime-Aws-Request-Id", inv.request_id);
        res.set("Lambda-Runtime-Deadline-Ms", std::to_string(inv.deadline_epoch_ms));
        res.set("Lambda-Runtime-Invoked-Function-Arn", inv.function_arn);
        res.set("Lambda-Runtime-Trace-Id", inv.trace_id);
      } else if (route == "/init/error" && req.method() == http::verb::post) {
        std::lock_guard lock(mutex_);
        ready_ = true;
        if (!reply_) {
          RuntimeReply r;
          r.kind = RuntimeReply::Kind::InitError;
          r.body = req.body();
          r.error_type = std::string(req["Lambda-Runtime-Function-Error-Type"]);
          reply_ = std::move(r);
          ++generation_;
          changed_.notify_all();
        }
        res = json_reply(http::status::accepted, R"({"status":"OK"})");
      } else if (route.substr(0, 12) == "/invocation/" && req.method() == http::verb::post) {
        std::string_view rest = route.substr(12);
        const auto slash = rest.find('/');
        const std::string_view id = rest.substr(0, slash);
        const std::string_view what = slash == std::string_view::npos ? "" : rest.substr(slash);
        std::lock_guard lock(mutex_);
        if ((what != "/response" && what != "/error")) {
          res = json_reply(http::status::not_found,
                           R"({"errorMessage":"Unknown request","errorType":"UnknownRequest"})");
        } else if (!offered_ || !taken_at_ || offered_->request_id != id) {
          res =
              json_reply(http::status::bad_request,
                         R"({"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"})");
        } else if (reply_) {
          res = json_reply(
              http::status::bad_request,
              R"({"errorMessage":"The invocation was already answered","errorType":"InvalidStateTransition"})");
        } else {
          RuntimeReply r;
          r.kind = what == "/response" ? RuntimeReply::Kind::Response : RuntimeReply::Kind::Error;
          r.body = req.body();
          r.error_type = std::string(req["Lambda-Runtime-Function-Error-Type"]);
          reply_ = std::move(r);
          ++generation_;
          changed_.notify_all();
          res = json_reply(http::status::accepted, R"({"status":"OK"})");
        }
      } else {
        res = json_reply(http::status::not_found,
                         R"({"errorMessage":"Unknown request","errorType":"UnknownRequest"})");
      }
    }
    close_after = !req.keep_alive();
    res.keep_alive(!close_after);
    res.prepare_payload();
    http::write(socket, res, ec);
    if (close_after) break;
  }
  {
    std::lock_guard lock(mutex_);
    connection->fd = -1;
  }
  socket.close(ec);
  connection->done = true;
}

}  // namespace stepline::integrations::lambda
