// `stepline serve`: the AWS Step Functions API over HTTP (AWS JSON 1.0), for the unmodified AWS
// CLI and SDKs pointed at it with --endpoint-url. Standard executions live in a SQLite store in
// the data directory (in PostgreSQL with --db postgresql://..., or in memory with --in-memory)
// and resume after a restart.
#include "api/handlers/handlers.hpp"
#include "api/protocol.hpp"
#include "api/resources/machine_resolver.hpp"
#include "api/server.hpp"
#include "api/service_model.hpp"
#include "cli/commands/commands.hpp"
#include "common/arns.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "integrations/routing/task_router.hpp"
#include "observability/execution_metrics.hpp"
#include "runtime/cluster_node.hpp"
#include "runtime/runtime.hpp"
#include "store/postgres/pg_lease.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/store.hpp"

#include <CLI/CLI.hpp>

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

namespace stepline::cli {

namespace {

struct ServeSettings {
  api::ServerOptions server;
  std::string data_dir = ".stepline";
  std::string mock_config;
  bool in_memory = false;
  std::string db_url;        // postgresql://...: the PostgreSQL store instead of SQLite
  std::string node_id;       // --node-id
  double lease_seconds = 0;  // --lease-seconds; > 0: a node of a cluster
  std::string account{arns::kDefaultAccount};
  std::string region{arns::kDefaultRegion};
  std::string functions;
  std::string lambda_endpoint;
  std::string connections;
  std::vector<std::string> service_endpoints;  // NAME=URL
  int map_helpers = -1;                        // --map-helpers; -1: one fewer than the cores
};

// The URL this server answers on, as a client on this machine reaches it.
std::string own_url(const api::ServerOptions& server) {
  std::string host = server.host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(server.port);
}

integrations::IntegrationOptions integration_options(const ServeSettings& settings) {
  integrations::IntegrationOptions options;
  if (!settings.functions.empty()) options.functions_file = settings.functions;
  // As Step Functions Local and `stepline run`: the flag, else $LAMBDA_ENDPOINT.
  if (!settings.lambda_endpoint.empty()) {
    options.lambda_endpoint = settings.lambda_endpoint;
  } else if (const char* env = std::getenv("LAMBDA_ENDPOINT"); env != nullptr && *env != '\0') {
    options.lambda_endpoint = env;
  }
  if (!settings.connections.empty()) options.connections_file = settings.connections;
  for (const std::string& entry : settings.service_endpoints) {
    const auto eq = entry.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size()) {
      throw integrations::IntegrationConfigError("--service-endpoint expects NAME=URL, got '" +
                                                 entry + "'");
    }
    options.service_endpoints[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  // `aws-sdk:sfn:*` Tasks (an activity consumer's getActivityTask, a queue consumer's
  // sendTaskSuccess) talk to this server unless told otherwise. A port of 0 is only known once
  // bound, after the integrations exist: such a server needs the flag.
  if (!options.service_endpoints.contains("sfn") && settings.server.port != 0) {
    options.service_endpoints["sfn"] = own_url(settings.server);
  }
  options.region = settings.region;
  return options;
}

// Step Functions Local's environment (LOCAL.md §2) sets the defaults the flags override.
std::string env_or(const char* name, std::string_view fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : std::string(fallback);
}

// Step Functions Local's discovery (LOCAL.md): the flag, else SFN_MOCK_CONFIG, else
// MockConfigFile.json in the working directory when there is one.
std::filesystem::path mock_config_path(const ServeSettings& settings) {
  if (!settings.mock_config.empty()) return settings.mock_config;
  if (const char* env = std::getenv("SFN_MOCK_CONFIG"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  if (std::filesystem::is_regular_file("MockConfigFile.json", ec)) return "MockConfigFile.json";
  return {};
}

// The URL without its password, for messages.
std::string redacted(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

std::unique_ptr<store::Store> open_store(const ServeSettings& settings) {
  if (settings.in_memory) return store::open_memory_store();
  if (!settings.db_url.empty()) {
    store::PostgresOptions options;
    options.url = settings.db_url;
    return store::open_postgres_store(options);
  }
  std::filesystem::create_directories(settings.data_dir);
  store::SqliteOptions options;
  options.path = (std::filesystem::path(settings.data_dir) / "stepline.db").string();
  return store::open_sqlite_store(options);
}

// SIGINT/SIGTERM, blocked in every thread (set before any is created) and taken by one waiter, so
// that the runtime can answer its pending long polls while the server still writes responses.
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

// How long answers the runtime gives at shutdown (empty long polls, stopped syncs) have to reach
// their clients before the server closes the connections.
constexpr std::chrono::milliseconds kDrainWindow{300};

int serve(const ServeSettings& settings) {
  const sigset_t signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::unique_ptr<store::Store> store = open_store(settings);
  SystemClock clock;
  RandomIdSource ids;
  std::unique_ptr<integrations::TaskInvoker> invoker =
      integrations::make_task_invoker(integration_options(settings));
  observability::ExecutionMetrics metrics;  // what /metrics reports of executions

  runtime::RuntimeOptions options;
  options.durable = store.get();
  options.clock = &clock;
  options.ids = &ids;
  options.invoker = invoker.get();
  options.mock_config = mock_config_path(settings);
  options.account = settings.account;
  options.region = settings.region;
  // A fresh lease owner per process: executions a crashed process held are taken over on
  // recovery rather than mistaken for our own.
  options.node_id = settings.node_id.empty() ? "node-" + ids.uuid() : settings.node_id;
  options.threads = settings.server.threads;
  options.map_helper_threads = settings.map_helpers;
  options.observer = &metrics;
  {
    api::ServiceContext lookup;
    lookup.store = store.get();
    lookup.clock = &clock;
    lookup.ids = &ids;
    lookup.account = settings.account;
    lookup.region = settings.region;
    options.resolve_machine = api::runtime_machine_resolver(std::move(lookup));
  }
  if (!settings.in_memory) options.log_dir = std::filesystem::path(settings.data_dir) / "logs";
  // Opened after the store (it uses the store's tables), declared before the runtime (outlives it).
  std::unique_ptr<store::Cluster> cluster;
  if (settings.lease_seconds > 0 && !settings.in_memory) {
    if (!settings.db_url.empty()) {
      store::PostgresOptions pg;
      pg.url = settings.db_url;
      cluster = store::open_postgres_cluster(pg);
    } else {
      cluster = store::open_sqlite_cluster(
          (std::filesystem::path(settings.data_dir) / "stepline.db").string());
    }
  }
  std::unique_ptr<runtime::Runtime> runtime;
  if (cluster) {
    runtime::ClusterOptions cluster_options;
    cluster_options.cluster = cluster.get();
    cluster_options.lease =
        std::chrono::milliseconds(static_cast<long long>(settings.lease_seconds * 1000));
    cluster_options.tick = std::min<std::chrono::milliseconds>(std::chrono::milliseconds(200),
                                                               cluster_options.lease / 10);
    runtime = runtime::make_cluster_runtime(options, cluster_options);
  } else {
    runtime = runtime::make_runtime(options);
  }
  runtime->recover();

  api::ServiceContext context;
  context.store = store.get();
  context.runtime = runtime.get();
  context.clock = &clock;
  context.ids = &ids;
  context.invoker = invoker.get();
  context.account = settings.account;
  context.region = settings.region;
  const api::ServiceModel& model = api::step_functions_model();
  const api::OperationRegistry registry = api::service_registry(model, context);
  const api::ProtocolDispatcher dispatcher(model, registry, ids);
  try {
    api::Server server(settings.server, dispatcher);
    // The line scripts wait for before they send requests (and learn the port when 0 was given).
    std::printf("stepline serve: listening on http://%s:%u\n", settings.server.host.c_str(),
                static_cast<unsigned>(server.port()));
    const std::string where = settings.in_memory ? "in-memory store (nothing survives a restart)"
                              : settings.db_url.empty()
                                  ? "data in " + settings.data_dir
                                  : "data in PostgreSQL " + redacted(settings.db_url);
    std::printf("stepline serve: %s\n", where.c_str());
    std::fflush(stdout);
    std::thread waiter([&server, &runtime, &signals] {
      int received = 0;
      sigwait(&signals, &received);
      // Pending long polls are answered and in-flight commits finish before connections close.
      runtime->shutdown();
      std::this_thread::sleep_for(kDrainWindow);
      server.stop();
    });
    server.run(/*handle_signals=*/false);
    waiter.join();
    // The answers the runtime still holds reference the server's connections: it goes first.
    runtime.reset();
  } catch (const std::system_error& e) {
    if (runtime) runtime->shutdown();
    std::fprintf(stderr, "stepline serve: cannot listen on %s:%u: %s\n",
                 settings.server.host.c_str(), static_cast<unsigned>(settings.server.port),
                 e.what());
    return 1;
  }
  std::printf("stepline serve: stopped\n");
  return 0;
}

}  // namespace

int serve_main(int argc, char** argv) {
  CLI::App app{"Serve the AWS Step Functions API over HTTP", "stepline serve"};
  ServeSettings settings;
  app.add_option("--host", settings.server.host, "address to listen on")->capture_default_str();
  app.add_option("--port", settings.server.port, "TCP port (0 picks a free one)")
      ->capture_default_str();
  app.add_option("--threads", settings.server.threads, "worker threads (0: one per core)")
      ->capture_default_str();
  app.add_option("--map-helpers", settings.map_helpers,
                 "threads on which a large Map runs its synchronous iterations ahead (-1: one "
                 "fewer than the cores, 0: none)")
      ->capture_default_str()
      ->check(CLI::Range(-1, 256));
  app.add_option("--data-dir", settings.data_dir,
                 "directory of the durable store (created when absent)")
      ->capture_default_str();
  app.add_option("--node-id", settings.node_id,
                 "this node's name in a cluster (default: node-<uuid>, new at every start)");
  app.add_option("--lease-seconds", settings.lease_seconds,
                 "join a cluster of serve nodes sharing the database: a node silent this long "
                 "is dead and the others take over its executions (0: single node)");
  app.add_option("--mock-config", settings.mock_config,
                 "Step Functions Local mock config (default: $SFN_MOCK_CONFIG, then "
                 "./MockConfigFile.json)");
  app.add_flag("--in-memory", settings.in_memory,
               "keep everything in memory (no durable store: for quick tries)");
  app.add_option("--db", settings.db_url,
                 "postgresql://user@host:port/db: keep executions in PostgreSQL (several serve "
                 "nodes can share it) instead of SQLite in --data-dir");
  settings.account = env_or("AWS_ACCOUNT_ID", arns::kDefaultAccount);
  settings.region = env_or("AWS_DEFAULT_REGION", arns::kDefaultRegion);
  app.add_option("--account,--aws-account", settings.account,
                 "account id in every ARN (default: $AWS_ACCOUNT_ID, else 123456789012)")
      ->capture_default_str();
  app.add_option("--region,--aws-region", settings.region,
                 "region in every ARN (default: $AWS_DEFAULT_REGION, else us-east-1)")
      ->capture_default_str();
  app.add_option("--functions", settings.functions,
                 "local Lambda functions file (Python, Node.js or Runtime API executables)");
  app.add_option("--lambda-endpoint", settings.lambda_endpoint,
                 "Lambda Invoke API for functions not in --functions (default: $LAMBDA_ENDPOINT)");
  app.add_option("--connections", settings.connections,
                 "credentials of the HTTP Task connections (a local connections file)");
  app.add_option("--service-endpoint", settings.service_endpoints,
                 "NAME=URL: where a service integration is sent (e.g. dynamodb=http://...; "
                 "sfn defaults to this server)");
  app.add_option("--console-dir", settings.server.console_dir,
                 "the built web console (default: found next to the binary or in web/dist)");
  CLI11_PARSE(app, argc, argv);
  if (!settings.db_url.empty() && settings.db_url.rfind("postgresql://", 0) != 0 &&
      settings.db_url.rfind("postgres://", 0) != 0) {
    std::fprintf(stderr, "stepline serve: --db expects a postgresql:// URL, got '%s'\n",
                 settings.db_url.c_str());
    return 2;
  }
  if (!settings.db_url.empty() && settings.in_memory) {
    std::fprintf(stderr, "stepline serve: --db and --in-memory exclude each other\n");
    return 2;
  }
  if (settings.lease_seconds > 0 && settings.in_memory) {
    std::fprintf(stderr, "stepline serve: --lease-seconds needs a shared store, not --in-memory\n");
    return 2;
  }

  try {
    return serve(settings);
  } catch (const integrations::IntegrationConfigError& e) {
    std::fprintf(stderr, "stepline serve: %s\n", e.what());
  } catch (const store::StoreError& e) {
    std::fprintf(stderr, "stepline serve: cannot open the store: %s\n", e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "stepline serve: %s\n", e.what());
  }
  return 1;
}

}  // namespace stepline::cli
