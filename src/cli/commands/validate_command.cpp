// `stepline validate`: checks definition files the way AWS does (ValidateStateMachineDefinition)
// and prints the diagnostics, or the API's JSON response with --json.
#include "asl/validator/validate.hpp"
#include "cli/commands/commands.hpp"
#include "common/json.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace stepline::cli {

namespace {

constexpr int kValid = 0;
constexpr int kInvalid = 1;
constexpr int kUsageError = 2;

bool read_file(const std::string& path, std::string& out) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  return true;
}

void print_text(const std::string& path, const asl::ValidationResponse& response) {
  std::cout << path << ": " << response.result << '\n';
  for (const auto& d : response.diagnostics)
    std::cout << "  " << d.severity << ' ' << d.code << ": " << d.message << " at "
              << d.location.value_or("null") << '\n';
  if (response.truncated) std::cout << "  (more diagnostics not shown)\n";
}

}  // namespace

int validate_main(int argc, char** argv) {
  CLI::App app(
      "Check state machine definitions as AWS does (ValidateStateMachineDefinition).\n"
      "Exit status: 0 when every definition is valid, 1 when one is not, 2 on usage errors.",
      "stepline validate");
  std::vector<std::string> paths;
  std::string type = "STANDARD";
  std::string severity = "ERROR";
  bool as_json = false;
  app.add_option("DEFINITION_FILE", paths, "definition files (Amazon States Language JSON)")
      ->required();
  app.add_option("--type", type, "state machine type; EXPRESS adds the Express-only checks")
      ->check(CLI::IsMember({"STANDARD", "EXPRESS"}));
  app.add_option("--severity", severity,
                 "lowest severity shown (ERROR, the API's default, or WARNING)")
      ->check(CLI::IsMember({"ERROR", "WARNING"}));
  app.add_flag("--json", as_json,
               "print ValidateStateMachineDefinition's response {result, diagnostics, truncated}, "
               "one line per file");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kValid : kUsageError;
  }

  asl::ValidateOptions options;
  options.type = type == "EXPRESS" ? asl::MachineType::Express : asl::MachineType::Standard;
  bool any_invalid = false;
  bool unreadable = false;
  for (const auto& path : paths) {
    std::string text;
    if (!read_file(path, text)) {
      std::cerr << "stepline validate: cannot read '" << path << "'\n";
      unreadable = true;
      continue;
    }
    const auto response = asl::validation_response(text, options, severity);
    any_invalid = any_invalid || response.result == "FAIL";
    if (as_json) {
      std::cout << json::dump(asl::to_json(response)) << '\n';
    } else {
      print_text(path, response);
    }
  }
  if (unreadable) return kUsageError;
  return any_invalid ? kInvalid : kValid;
}

}  // namespace stepline::cli
