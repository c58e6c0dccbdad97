// A tiny HTTP/1.1 server on 127.0.0.1 for the HTTP Task and service endpoint tests: it records
// every request and answers each with what the test's handler returns.
#pragma once

#include <cctype>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace stepline::integrations::testing {

struct PeerRequest {
  std::string method, target, head, body;  // target: path and query as sent
  // The value of header `name` (case-insensitive), or "".
  std::string header(const std::string& name) const {
    auto lower = [](std::string s) {
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    const std::string wanted = lower(name) + ":";
    std::size_t at = 0;
    while ((at = head.find("\r\n", at)) != std::string::npos) {
      at += 2;
      const auto end = head.find("\r\n", at);
      const std::string line = head.substr(at, end - at);
      if (lower(line.substr(0, wanted.size())) == wanted) {
        std::string value = line.substr(wanted.size());
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        return value;
      }
    }
    return "";
  }
};

struct PeerResponse {
  int status = 200;
  std::string reason = "OK";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

class HttpPeer {
 public:
  using Handler = std::function<PeerResponse(const PeerRequest&)>;

  explicit HttpPeer(Handler handler) : handler_(std::move(handler)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { loop(); });
  }
  ~HttpPeer() {
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<PeerRequest> requests() {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  PeerRequest last() {
    std::lock_guard lock(mutex_);
    return seen_.empty() ? PeerRequest{} : seen_.back();
  }

 private:
  void loop() {
    for (;;) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string data;
      char buffer[4096];
      std::size_t need = std::string::npos;
      while (need == std::string::npos || data.size() < need) {
        ssize_t n = ::read(c, buffer, sizeof buffer);
        if (n <= 0) break;
        data.append(buffer, static_cast<std::size_t>(n));
        const auto end = data.find("\r\n\r\n");
        if (end != std::string::npos && need == std::string::npos) {
          PeerRequest probe;
          probe.head = data.substr(0, end);
          const std::string length = probe.header("Content-Length");
          need = end + 4 + (length.empty() ? 0 : std::stoul(length));
        }
      }
      const auto end = data.find("\r\n\r\n");
      PeerRequest request;
      request.head = data.substr(0, end);
      request.body = end == std::string::npos ? "" : data.substr(end + 4);
      const auto space = request.head.find(' ');
      request.method = request.head.substr(0, space);
      request.target =
          request.head.substr(space + 1, request.head.find(' ', space + 1) - space - 1);
      {
        std::lock_guard lock(mutex_);
        seen_.push_back(request);
      }
      const PeerResponse response = handler_(request);
      std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + response.reason +
                        "\r\nContent-Length: " + std::to_string(response.body.size()) +
                        "\r\nConnection: close\r\n";
      for (const auto& [k, v] : response.headers) out += k + ": " + v + "\r\n";
      out += "\r\n" + (request.method == "HEAD" ? std::string() : response.body);
      std::size_t sent = 0;
      while (sent < out.size()) {
        ssize_t n = ::write(c, out.data() + sent, out.size() - sent);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      ::close(c);
    }
  }

  Handler handler_;
  int fd_ = -1;
  unsigned short port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<PeerRequest> seen_;
};

}  // namespace stepline::integrations::testing
