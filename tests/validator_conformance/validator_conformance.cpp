// Replays the AWS-recorded definition checks against the validator: ValidateStateMachineDefinition
// responses, CreateStateMachine/UpdateStateMachine/TestState InvalidDefinition messages, accepted
// definitions (which must not be refused), and every definition of the execution cases.
// Usage: validator_conformance <aws-recorded.jsonl> <baseline-file> [--verbose]
// Prints "N passed, M failed"; exits 1 when N is below the baseline's number.
#include "asl/validator/validate.hpp"
#include "common/json.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace stepline;

struct Tally {
  int passed = 0;
  int failed = 0;
  bool verbose = false;
  std::map<std::string, std::pair<int, int>> by_kind;  // kind -> (passed, failed)

  void record(std::string_view kind, bool ok, const std::string& id, const std::string& detail) {
    auto& counts = by_kind[std::string(kind)];
    if (ok) {
      ++passed;
      ++counts.first;
      return;
    }
    ++failed;
    ++counts.second;
    if (verbose) std::cout << "FAIL " << id << "\n  " << detail << "\n";
  }
};

asl::ValidateOptions options_for(const json::Object& params) {
  asl::ValidateOptions options;
  if (const auto* type = params.if_contains("type"); type && type->is_string())
    options.type =
        type->get_string() == "EXPRESS" ? asl::MachineType::Express : asl::MachineType::Standard;
  return options;
}

std::string describe(const std::vector<asl::Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics)
    out += "[" + d.severity + " " + d.code + ": " + d.message + " at " +
           d.location.value_or("null") + "] ";
  return out;
}

std::vector<asl::Diagnostic> errors_only(std::vector<asl::Diagnostic> all) {
  std::vector<asl::Diagnostic> out;
  for (auto& d : all)
    if (d.severity == "ERROR") out.push_back(std::move(d));
  return out;
}

// First string anywhere in `value` that contains `needle`.
std::optional<std::string> find_string(const json::Value& value, std::string_view needle) {
  if (value.is_string()) {
    std::string_view text = value.get_string();
    if (text.find(needle) != std::string_view::npos) return std::string(text);
  } else if (value.is_object()) {
    for (const auto& [key, member] : value.get_object()) {
      (void)key;
      if (auto found = find_string(member, needle)) return found;
    }
  } else if (value.is_array()) {
    for (const auto& item : value.get_array())
      if (auto found = find_string(item, needle)) return found;
  }
  return std::nullopt;
}

void replay_validate(const json::Object& step, const std::string& id, Tally& tally) {
  const auto& params = step.at("params").get_object();
  const auto* response = step.at("expect").get_object().if_contains("validation_response");
  if (!response) return;
  const auto& expected = response->get_object();
  auto ours =
      errors_only(asl::validate_text(params.at("definition").get_string(), options_for(params)));
  const std::string result = ours.empty() ? "OK" : "FAIL";
  bool ok = result == expected.at("result").get_string();
  const auto& diagnostics = expected.at("diagnostics").get_array();
  ok = ok && diagnostics.size() == ours.size();
  for (std::size_t i = 0; ok && i < diagnostics.size(); ++i) {
    const auto& d = diagnostics[i].get_object();
    const auto* location = d.if_contains("location");
    ok = d.at("code").get_string() == ours[i].code &&
         d.at("message").get_string() == ours[i].message &&
         d.at("severity").get_string() == ours[i].severity &&
         (location ? ours[i].location && location->get_string() == *ours[i].location
                   : !ours[i].location);
  }
  tally.record("ValidateStateMachineDefinition responses", ok, id,
               "expected " + json::dump(*response) + "\n  got " + describe(ours));
}

// A single-state TestState definition runs as a machine whose one state is called "StateName".
json::Value as_machine(const json::Value& definition) {
  if (!definition.is_object() || !definition.get_object().contains("Type")) return definition;
  json::Object states;
  states["StateName"] = definition;
  json::Object machine;
  machine["StartAt"] = "StateName";
  machine["States"] = std::move(states);
  return machine;
}

void replay_definition_step(const json::Object& step, const std::string& id, Tally& tally) {
  const std::string op(step.at("op").get_string());
  const auto& params = step.at("params").get_object();
  const auto* definition_text = params.if_contains("definition");
  if (!definition_text || !definition_text->is_string()) return;
  const json::Value* expect = step.if_contains("expect");
  const bool expect_error = step.contains("expect_error") && step.at("expect_error").is_bool() &&
                            step.at("expect_error").get_bool();
  const auto invalid = expect ? find_string(*expect, "InvalidDefinition") : std::nullopt;
  const auto message =
      expect ? find_string(*expect, "Invalid State Machine Definition: '") : std::nullopt;

  std::vector<asl::Diagnostic> ours;
  if (op == "test_state") {
    if (!message) return;  // other TestState refusals are not definition validation
    json::Value parsed;
    try {
      parsed = json::parse(definition_text->get_string());
    } catch (const json::ParseError&) {
      return;
    }
    ours = asl::validate(as_machine(parsed), options_for(params));
  } else {
    ours = asl::validate_text(definition_text->get_string(), options_for(params));
  }

  if (message) {
    std::string wanted = *message;
    if (auto at = wanted.find("Invalid State Machine Definition: '"); at != std::string::npos)
      wanted = wanted.substr(at);
    const std::string got = asl::invalid_definition_message(ours);
    tally.record("InvalidDefinition messages", got == wanted, id + " [" + op + "]",
                 "expected " + wanted + "\n  got      " + got);
  } else if (invalid || (expect_error && expect && find_string(*expect, "InvalidDefinition"))) {
    // Recorded with a message we cannot compare (an emulator's wording): it must be refused.
    tally.record("refusals recorded with an emulator's wording", asl::has_errors(ours),
                 id + " [" + op + "]", "expected a refusal, got none");
  } else if (!expect_error && (op == "create_state_machine" || op == "update_state_machine")) {
    tally.record("definitions AWS accepted (create/update)", !asl::has_errors(ours),
                 id + " [" + op + " accepted]", "AWS accepted it, we refuse: " + describe(ours));
  }
}

void check_accepted(const json::Value& definition, std::string_view type, const std::string& id,
                    Tally& tally) {
  if (!definition.is_object()) return;
  asl::ValidateOptions options;
  options.type = type == "EXPRESS" ? asl::MachineType::Express : asl::MachineType::Standard;
  const auto ours = asl::validate(definition, options);
  tally.record("definitions of execution cases", !asl::has_errors(ours), id,
               "AWS ran it, we refuse: " + describe(ours));
}

void replay_execution(const json::Object& test, const std::string& id, Tally& tally) {
  const auto* type = test.if_contains("state_machine_type");
  const std::string machine_type =
      type && type->is_string() ? std::string(type->get_string()) : std::string("STANDARD");
  if (const auto* definition = test.if_contains("definition"))
    check_accepted(*definition, machine_type, id, tally);
  if (const auto* others = test.if_contains("other_state_machines"); others && others->is_array())
    for (const auto& other : others->get_array()) {
      if (!other.is_object()) continue;
      const auto& machine = other.get_object();
      const auto* other_type = machine.if_contains("type");
      const auto* definition = machine.if_contains("definition");
      if (!definition) continue;
      const json::Value parsed =
          definition->is_string() ? json::parse(definition->get_string()) : *definition;
      const std::string other_machine_type = other_type && other_type->is_string()
                                                 ? std::string(other_type->get_string())
                                                 : std::string("STANDARD");
      check_accepted(parsed, other_machine_type, id + " [other]", tally);
    }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: validator_conformance <aws-recorded.jsonl> <baseline-file> [--verbose]\n";
    return 2;
  }
  Tally tally;
  tally.verbose = argc > 3 && std::string(argv[3]) == "--verbose";
  std::ifstream cases(argv[1]);
  if (!cases) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 2;
  }
  std::string line;
  while (std::getline(cases, line)) {
    if (line.empty()) continue;
    const json::Value test_value = json::parse(line);
    const auto& test = test_value.get_object();
    const std::string id(test.at("id").get_string());
    if (test.at("kind").get_string() == "execution") {
      replay_execution(test, id, tally);
      continue;
    }
    for (const auto& step_value : test.at("steps").get_array()) {
      const auto& step = step_value.get_object();
      const auto& op = step.at("op").get_string();
      if (op == "validate_state_machine_definition") {
        replay_validate(step, id, tally);
      } else if (op == "create_state_machine" || op == "update_state_machine" ||
                 op == "test_state") {
        replay_definition_step(step, id, tally);
      }
    }
  }
  for (const auto& [kind, counts] : tally.by_kind)
    std::cout << "  " << kind << ": " << counts.first << " passed, " << counts.second
              << " failed\n";
  std::cout << tally.passed << " passed, " << tally.failed << " failed\n";
  std::ifstream baseline_file(argv[2]);
  int baseline = 0;
  baseline_file >> baseline;
  if (tally.passed < baseline) {
    std::cout << "below the baseline of " << baseline << " passed\n";
    return 1;
  }
  return 0;
}
