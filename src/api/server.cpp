#include "api/server.hpp"

#include "observability/http_metrics.hpp"
#include "observability/log.hpp"
#include "observability/metrics_registry.hpp"
#include "web/console_files.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <boost/asio/write.hpp>

#include <charconv>
#include <chrono>
#include <csignal>
#include <optional>
#include <thread>
#include <vector>

namespace stepline::api {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

// Idle keep-alive connections are closed after this long without a request.
constexpr std::chrono::seconds kIdleTimeout{120};

// What the server answers itself, before the AWS protocol: GET routes and request metrics.
struct LocalRoutes {
  explicit LocalRoutes(const ServerOptions& options)
      : console(options.console_dir.empty() ? web::default_console_dir() : options.console_dir),
        registry(options.metrics ? *options.metrics : observability::default_registry()),
        http_metrics(registry) {}

  // The response to GET (or HEAD) `target`.
  HttpResponse get(std::string_view target) const {
    HttpResponse response;
    const std::string_view path = target.substr(0, target.find('?'));
    if (path == "/metrics") {
      response.headers = {{"Content-Type", observability::kExpositionContentType},
                          {"Cache-Control", "no-store"}};
      response.body = registry.exposition();
      return response;
    }
    web::StaticResponse file = console.get(target);
    response.status = file.status;
    response.headers = {{"Content-Type", file.content_type},
                        {"Cache-Control", file.cache_control},
                        {"X-Content-Type-Options", "nosniff"}};
    response.body = std::move(file.body);
    return response;
  }

  web::ConsoleFiles console;
  observability::MetricsRegistry& registry;
  observability::HttpMetrics http_metrics;
};

// Takes the body over: the request is not read again once dispatched.
HttpRequest to_protocol_request(http::request<http::string_body>& request) {
  HttpRequest out;
  out.method = std::string(request.method_string());
  out.target = std::string(request.target());
  out.content_type = std::string(request[http::field::content_type]);
  out.amz_target = std::string(request["X-Amz-Target"]);
  out.body = std::move(request.body());
  return out;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const ProtocolDispatcher& dispatcher, LocalRoutes& routes,
          std::size_t body_limit)
      : stream_(std::move(socket)),
        dispatcher_(dispatcher),
        routes_(routes),
        body_limit_(body_limit) {}

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(body_limit_);
    stream_.expires_after(kIdleTimeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::body_limit) return reply_too_large();
    if (ec) return close();
    request_ = parser_->release();
    keep_alive_ = request_.keep_alive();
    received_at_ = std::chrono::steady_clock::now();
    head_only_ = request_.method() == http::verb::head;
    operation_ = routes_.http_metrics.operation_label(
        request_.method_string(), request_.target().substr(0, request_.target().find('?')),
        request_["X-Amz-Target"]);
    if (request_.method() == http::verb::get || head_only_)
      return write(routes_.get(request_.target()));
    stream_.expires_never();  // a handler may legitimately take long (long polls)
    dispatcher_.dispatch(to_protocol_request(request_), [self = shared_from_this()](
                                                            HttpResponse response) {
      // Handlers may answer from any thread; the connection is only touched on its strand.
      net::dispatch(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->write(std::move(response));
      });
    });
  }

  void reply_too_large() {
    keep_alive_ = false;
    head_only_ = false;
    operation_ = "unknown";
    received_at_ = std::chrono::steady_clock::now();
    HttpResponse response;
    response.status = 413;
    response.headers = {{"Content-Type", "application/x-amz-json-1.0"}};
    response.body = R"({"__type":"RequestEntityTooLarge","message":"Request body too large"})";
    write(std::move(response));
  }

  void write(HttpResponse response) {
    const auto latency = std::chrono::steady_clock::now() - received_at_;
    routes_.http_metrics.record(operation_, response.status, latency);
    log_request(response.status, latency);
    serialize(response);
    stream_.expires_after(kIdleTimeout);
    net::async_write(stream_, net::buffer(output_),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec || !self->keep_alive_) return self->close();
                       self->read();
                     });
  }

  // The response as HTTP/1.1 text in `output_` (its capacity kept from one response to the
  // next), byte for byte what Beast's serializer writes for the same message: status line, the
  // headers in order, Connection: close when the connection ends, Content-Length, the body
  // (Beast's serializer cost as much as the JSON dump of the answer).
  void serialize(const HttpResponse& response) {
    output_.clear();
    const int status = response.status;
    const beast::string_view reason = http::obsolete_reason(static_cast<http::status>(status));
    output_.append("HTTP/1.1 ");
    char digits[8];
    const auto end = std::to_chars(digits, digits + sizeof digits, status).ptr;
    output_.append(digits, end);
    output_.push_back(' ');
    output_.append(reason.data(), reason.size());
    output_.append("\r\n");
    for (const auto& [name, value] : response.headers) {
      output_.append(name);
      output_.append(": ");
      output_.append(value);
      output_.append("\r\n");
    }
    if (!keep_alive_) output_.append("Connection: close\r\n");
    if (status >= 200 && status != 204 && status != 304) {  // the statuses that have a body
      output_.append("Content-Length: ");
      output_.append(std::to_string(response.body.size()));
      output_.append("\r\n");
    }
    output_.append("\r\n");
    if (!head_only_) output_.append(response.body);
  }

  // Every request at debug level; server errors (5xx) at warn.
  void log_request(int status, std::chrono::steady_clock::duration latency) const {
    auto& logger = observability::default_logger();
    const auto level =
        status >= 500 ? observability::LogLevel::Warn : observability::LogLevel::Debug;
    if (!logger.enabled(level)) return;
    logger.log(level, "request",
               {{"operation", operation_},
                {"status", status},
                {"ms", std::chrono::duration<double, std::milli>(latency).count()}});
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string output_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> request_;
  bool keep_alive_ = true;
  bool head_only_ = false;
  std::chrono::steady_clock::time_point received_at_ = std::chrono::steady_clock::now();
  std::string operation_ = "unknown";
  const ProtocolDispatcher& dispatcher_;
  LocalRoutes& routes_;
  std::size_t body_limit_;
};

}  // namespace

struct Server::Impl {
  Impl(const ServerOptions& options, const ProtocolDispatcher& dispatcher)
      : threads(options.threads ? options.threads
                                : std::max(1u, std::thread::hardware_concurrency())),
        context(static_cast<int>(threads)),
        acceptor(net::make_strand(context)),
        signals(context),
        dispatcher(dispatcher),
        routes(options),
        body_limit(options.body_limit) {
    const tcp::endpoint endpoint(net::ip::make_address(options.host), options.port);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(net::socket_base::max_listen_connections);
  }

  void accept() {
    acceptor.async_accept(
        net::make_strand(context), [this](beast::error_code ec, tcp::socket socket) {
          if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
          if (!ec)
            std::make_shared<Session>(std::move(socket), dispatcher, routes, body_limit)->start();
          accept();
        });
  }

  void stop() {
    net::dispatch(acceptor.get_executor(), [this] {
      beast::error_code ignored;
      acceptor.close(ignored);
      signals.cancel(ignored);
      context.stop();
    });
  }

  unsigned threads;
  net::io_context context;
  tcp::acceptor acceptor;
  net::signal_set signals;
  const ProtocolDispatcher& dispatcher;
  LocalRoutes routes;
  std::size_t body_limit;
};

Server::Server(const ServerOptions& options, const ProtocolDispatcher& dispatcher)
    : impl_(std::make_unique<Impl>(options, dispatcher)) {}

Server::~Server() = default;

std::uint16_t Server::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void Server::run(bool handle_signals) {
  if (handle_signals) {
    impl_->signals.add(SIGINT);
    impl_->signals.add(SIGTERM);
    impl_->signals.async_wait([this](beast::error_code ec, int) {
      if (!ec) stop();
    });
  }
  impl_->accept();
  std::vector<std::thread> workers;
  for (unsigned i = 1; i < impl_->threads; ++i)
    workers.emplace_back([this] { impl_->context.run(); });
  impl_->context.run();
  for (auto& worker : workers) worker.join();
}

void Server::stop() {
  impl_->stop();
}

}  // namespace stepline::api
