// `stepline run`: one execution of a definition file, start to end, in this process.
#include "asl/validator/validate.hpp"
#include "cli/commands/commands.hpp"
#include "cli/commands/run_report.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "engine/run.hpp"
#include "integrations/mock/mock_config.hpp"
#include "integrations/mock/mock_invoker.hpp"
#include "integrations/routing/task_router.hpp"

#include <CLI/CLI.hpp>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace stepline::cli {

namespace {

constexpr int kUsageError = 2;

// A failure the user can fix (bad arguments, files, JSON): printed, then exit 2.
struct UsageProblem {
  std::string message;
};

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) {
    throw UsageProblem{std::string("cannot read the ") + what + " file '" + path + "'"};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json::Value parse_json(const std::string& text, const std::string& what) {
  try {
    return json::parse(text);
  } catch (const json::ParseError& e) {
    throw UsageProblem{what + " is not valid JSON (line " + std::to_string(e.line()) + ", column " +
                       std::to_string(e.column()) + "): " + e.what()};
  }
}

// "examples/hello.asl.json" -> "hello": a name the ARNs and $$.StateMachine.Name can carry.
std::string machine_name_from_path(const std::string& path) {
  std::string name = std::filesystem::path(path).filename().string();
  for (const char* suffix : {".asl.json", ".json", ".asl"}) {
    const std::string s(suffix);
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
      name.resize(name.size() - s.size());
      break;
    }
  }
  std::string clean;
  for (char c : name) {
    clean += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '-';
  }
  if (clean.empty()) clean = "StateMachine";
  return clean.substr(0, 80);
}

// "Name=Value" arguments, in order; the name must be non-empty.
std::vector<std::pair<std::string, std::string>> parse_assignments(
    const std::vector<std::string>& arguments, const std::string& option) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& argument : arguments) {
    const auto equals = argument.find('=');
    if (equals == std::string::npos || equals == 0) {
      throw UsageProblem{option + " '" + argument + "' is not NAME=VALUE"};
    }
    out.emplace_back(argument.substr(0, equals), argument.substr(equals + 1));
  }
  return out;
}

// SAM's DefinitionSubstitutions: each ${Name} with a given value is replaced, as text, before
// the definition is parsed; placeholders without a value stay as written.
std::string substitute_definition(const std::string& text,
                                  const std::vector<std::pair<std::string, std::string>>& values) {
  if (values.empty()) return text;
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto open = text.find("${", at);
    if (open == std::string::npos) break;
    const auto close = text.find('}', open + 2);
    if (close == std::string::npos) break;
    const std::string name = text.substr(open + 2, close - open - 2);
    const std::string* value = nullptr;
    for (const auto& [k, v] : values) {
      if (k == name) value = &v;  // the last one given wins
    }
    out.append(text, at, open - at);
    if (value) {
      out += *value;
    } else {
      out.append(text, open, close + 1 - open);
    }
    at = close + 1;
  }
  out.append(text, at, std::string::npos);
  return out;
}

void print_diagnostics(const std::vector<asl::Diagnostic>& diagnostics) {
  std::cerr << asl::invalid_definition_message(diagnostics) << '\n';
}

}  // namespace

int run_main(int argc, char** argv) {
  CLI::App app("Run one execution of a state machine definition, start to end.", "stepline run");
  std::string definition_path, input_text, input_file, type = "STANDARD", mock_config_path,
                                                       test_case, functions_path, lambda_endpoint,
                                                       connections_path;
  std::vector<std::string> service_endpoints, substitutions;
  double time_scale = 1.0;
  bool as_json = false;
  app.add_option("DEFINITION", definition_path, "the state machine definition (ASL JSON file)")
      ->required();
  auto* input_opt = app.add_option("--input", input_text, "the execution input as JSON text");
  app.add_option("--input-file", input_file, "read the execution input from a file")
      ->excludes(input_opt);
  app.add_option("--type", type, "STANDARD (default) or EXPRESS")
      ->check(CLI::IsMember({"STANDARD", "EXPRESS"}));
  auto* mock_opt =
      app.add_option("--mock-config", mock_config_path, "a Step Functions Local mock config");
  auto* case_opt = app.add_option(
      "--test-case", test_case,
      "the mock config's test case to use (config: --mock-config, else $SFN_MOCK_CONFIG, else "
      "./MockConfigFile.json)");
  mock_opt->needs(case_opt);
  app.add_option("--functions", functions_path,
                 "a functions file: Lambda function names -> local Python/Node/provided handlers");
  app.add_option("--lambda-endpoint", lambda_endpoint,
                 "a Lambda Invoke API endpoint for the functions not in --functions (e.g. sam "
                 "local start-lambda at http://127.0.0.1:3001; default $LAMBDA_ENDPOINT)");
  app.add_option("--connections", connections_path,
                 "a connections file: HTTP Task ConnectionArns -> API_KEY, BASIC or "
                 "OAUTH_CLIENT_CREDENTIALS credentials");
  app.add_option("--service-endpoint", service_endpoints,
                 "NAME=URL: send the AWS service's Task calls (dynamodb, sqs, sns, events, sfn) "
                 "to this endpoint, SigV4-signed (repeatable)")
      ->allow_extra_args(false);  // one value per flag: DEFINITION may follow
  app.add_option("--substitute", substitutions,
                 "Name=Value: replace ${Name} in the definition text before validation, as "
                 "DefinitionSubstitutions do (repeatable)")
      ->allow_extra_args(false);  // one value per flag: DEFINITION may follow
  app.add_option("--time-scale", time_scale, "0 = never wait, 1 = real time (default)")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            try {
              std::size_t used = 0;
              double value = std::stod(text, &used);
              if (used == text.size() && value >= 0) return {};
            } catch (const std::exception&) {
            }
            return "must be a number, 0 or more (0 = never wait, 1 = real time)";
          },
          "SCALE"));
  app.add_flag("--json", as_json, "print {status, output, error, cause, history} as JSON");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kUsageError;
  }

  try {
    const std::string definition_text = substitute_definition(
        read_file(definition_path, "definition"), parse_assignments(substitutions, "--substitute"));
    json::Value definition;
    try {
      definition = json::parse(definition_text);
    } catch (const json::ParseError&) {
      // AWS words a definition that is not JSON as a validation diagnostic.
      asl::ValidateOptions vo;
      vo.type = type == "EXPRESS" ? asl::MachineType::Express : asl::MachineType::Standard;
      auto diagnostics = asl::validate_text(definition_text, vo);
      if (asl::has_errors(diagnostics)) {
        print_diagnostics(diagnostics);
        return kUsageError;
      }
      throw UsageProblem{"the definition '" + definition_path + "' is not valid JSON"};
    }

    engine::RunOptions options;
    if (!input_file.empty()) {
      options.input =
          parse_json(read_file(input_file, "input"), "the input file '" + input_file + "'");
    } else if (!input_text.empty()) {
      options.input = parse_json(input_text, "--input");
    }
    options.type = type == "EXPRESS" ? asl::MachineType::Express : asl::MachineType::Standard;
    options.state_machine_name = machine_name_from_path(definition_path);
    // Like Step Functions Local, the account and region may come from the environment.
    if (const char* account = std::getenv("AWS_ACCOUNT_ID"); account && *account) {
      options.location.account = account;
    }
    if (const char* region = std::getenv("AWS_DEFAULT_REGION"); region && *region) {
      options.location.region = region;
    }

    // Step Functions Local reads the Lambda endpoint from the environment too.
    if (lambda_endpoint.empty()) {
      if (const char* from_env = std::getenv("LAMBDA_ENDPOINT"); from_env && *from_env) {
        lambda_endpoint = from_env;
      }
    }
    integrations::IntegrationOptions integration;
    if (!functions_path.empty()) integration.functions_file = functions_path;
    if (!lambda_endpoint.empty()) integration.lambda_endpoint = lambda_endpoint;
    if (!connections_path.empty()) integration.connections_file = connections_path;
    for (const auto& [name, url] : parse_assignments(service_endpoints, "--service-endpoint")) {
      integration.service_endpoints[name] = url;
    }
    std::unique_ptr<integrations::TaskInvoker> router;
    try {
      router = integrations::make_task_invoker(integration);
    } catch (const integrations::IntegrationConfigError& e) {
      throw UsageProblem{e.what()};
    }
    options.invoker = router.get();

    std::unique_ptr<integrations::mock::MockInvoker> invoker;
    if (!test_case.empty() && mock_config_path.empty()) {
      // Step Functions Local's discovery: $SFN_MOCK_CONFIG, else ./MockConfigFile.json.
      const char* from_env = std::getenv("SFN_MOCK_CONFIG");
      mock_config_path = from_env && *from_env ? from_env : "MockConfigFile.json";
      if (!std::filesystem::exists(mock_config_path)) {
        throw UsageProblem{
            "--test-case needs a mock config: pass --mock-config FILE, set "
            "SFN_MOCK_CONFIG, or put MockConfigFile.json in the current directory"};
      }
    }
    if (!mock_config_path.empty()) {
      try {
        auto config = integrations::mock::MockConfig::load(mock_config_path);
        auto tc = config.find_test_case(test_case);
        options.state_machine_name = tc.machine;  // ARNs then name the mocked machine
        // States the test case does not mock run for real (Local's "hybrid path") when an
        // integration is configured; otherwise the mock's own error names the state.
        const bool real_integrations = integration.functions_file || integration.lambda_endpoint ||
                                       integration.connections_file ||
                                       !integration.service_endpoints.empty();
        invoker = std::make_unique<integrations::mock::MockInvoker>(
            std::move(tc), real_integrations ? router.get() : nullptr);
      } catch (const integrations::mock::MockConfigError& e) {
        throw UsageProblem{e.what()};
      }
      options.invoker = invoker.get();
    }

    SystemClock clock(time_scale);
    RandomIdSource ids;
    options.clock = &clock;
    options.ids = &ids;

    engine::RunResult result;
    try {
      result = engine::run_definition(definition, options);
    } catch (const engine::DefinitionError& e) {
      print_diagnostics(e.diagnostics());
      return kUsageError;
    }
    if (as_json) {
      std::cout << json::dump(run_result_json(result)) << '\n';
    } else {
      print_run_report(std::cout, result);
    }
    return result.status == "SUCCEEDED" ? 0 : 1;
  } catch (const UsageProblem& problem) {
    std::cerr << "stepline run: " << problem.message << '\n';
    return kUsageError;
  }
}

}  // namespace stepline::cli
