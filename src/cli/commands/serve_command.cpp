// `stepline serve`: the AWS Step Functions API over HTTP (AWS JSON 1.0), for the unmodified AWS
// CLI and SDKs pointed at it with --endpoint-url.
#include "api/handlers/handlers.hpp"
#include "api/protocol.hpp"
#include "api/server.hpp"
#include "api/service_model.hpp"
#include "cli/commands/commands.hpp"
#include "common/ids.hpp"

#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <system_error>

namespace stepline::cli {

int serve_main(int argc, char** argv) {
  CLI::App app{"Serve the AWS Step Functions API over HTTP", "stepline serve"};
  api::ServerOptions options;
  std::string data_dir;
  app.add_option("--host", options.host, "address to listen on")->capture_default_str();
  app.add_option("--port", options.port, "TCP port (0 picks a free one)")->capture_default_str();
  app.add_option("--threads", options.threads, "worker threads (0: one per core)")
      ->capture_default_str();
  app.add_option("--data-dir", data_dir, "directory of the durable store");
  CLI11_PARSE(app, argc, argv);

  const api::ServiceModel& model = api::step_functions_model();
  const api::OperationRegistry registry = api::standard_registry(model);
  RandomIdSource ids;
  const api::ProtocolDispatcher dispatcher(model, registry, ids);
  try {
    api::Server server(options, dispatcher);
    // The line scripts wait for before they send requests (and learn the port when 0 was given).
    std::printf("stepline serve: listening on http://%s:%u\n", options.host.c_str(),
                static_cast<unsigned>(server.port()));
    if (!data_dir.empty())
      std::printf("stepline serve: --data-dir is accepted but no store is wired in yet\n");
    std::fflush(stdout);
    server.run(/*handle_signals=*/true);
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "stepline serve: cannot listen on %s:%u: %s\n", options.host.c_str(),
                 static_cast<unsigned>(options.port), e.what());
    return 1;
  }
  std::printf("stepline serve: stopped\n");
  return 0;
}

}  // namespace stepline::cli
