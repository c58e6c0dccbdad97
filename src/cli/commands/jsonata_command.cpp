// `stepline jsonata EXPRESSION [--input FILE] [--bindings JSON]`: evaluates one JSONata
// expression. Prints the result as compact JSON; an undefined result prints nothing and still
// exits 0. Errors print as the reference's error object ({code, message, position, token}) on
// stderr with exit status 1; usage and I/O problems exit 2.
#include "cli/commands/commands.hpp"
#include "common/json.hpp"
#include "query/jsonata/jsonata.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

namespace stepline::cli {

namespace {

constexpr int kEvaluated = 0;
constexpr int kFailed = 1;
constexpr int kUsageError = 2;

}  // namespace

int jsonata_main(int argc, char** argv) {
  CLI::App app{"Evaluate a JSONata expression against a JSON document", "stepline jsonata"};
  std::string expression;
  std::string input_path;
  std::string bindings_text;
  int max_depth = 0;
  double timeout_ms = 0;
  app.add_option("expression", expression, "JSONata expression")->required();
  app.add_option("--input", input_path, "JSON input document (default: no input; '-' reads stdin)");
  app.add_option("--bindings", bindings_text, "JSON object of variable bindings ($name)");
  app.add_option("--max-depth", max_depth, "Evaluation depth limit (U1001 beyond)");
  app.add_option("--timeout-ms", timeout_ms,
                 "Evaluation time limit in milliseconds (U1001 beyond)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kEvaluated : kUsageError;
  }

  std::optional<json::Value> input;
  if (!input_path.empty()) {
    std::ostringstream text;
    if (input_path == "-") {
      text << std::cin.rdbuf();
    } else {
      std::ifstream in(input_path, std::ios::binary);
      if (!in) {
        std::cerr << "stepline jsonata: cannot read " << input_path << "\n";
        return kUsageError;
      }
      text << in.rdbuf();
    }
    try {
      input = json::parse(text.str());
    } catch (const json::ParseError& e) {
      std::cerr << "stepline jsonata: " << input_path << ": " << e.what() << "\n";
      return kUsageError;
    }
  }
  std::optional<json::Value> bindings;
  if (!bindings_text.empty()) {
    try {
      bindings = json::parse(bindings_text);
    } catch (const json::ParseError& e) {
      std::cerr << "stepline jsonata: --bindings: " << e.what() << "\n";
      return kUsageError;
    }
    if (!bindings->is_object()) {
      std::cerr << "stepline jsonata: --bindings must be a JSON object\n";
      return kUsageError;
    }
  }

  try {
    auto compiled = jsonata::Expression::compile(expression);
    jsonata::EvaluateOptions options;
    options.limits.max_depth = max_depth;
    options.limits.time_limit_ms = timeout_ms;
    auto result = compiled.evaluate(input ? &*input : nullptr,
                                    bindings ? &bindings->get_object() : nullptr, options);
    if (result) std::cout << json::dump(*result) << "\n";
    return kEvaluated;
  } catch (const jsonata::Error& e) {
    std::cerr << json::dump(e.to_json()) << "\n";
    return kFailed;
  }
}

}  // namespace stepline::cli
