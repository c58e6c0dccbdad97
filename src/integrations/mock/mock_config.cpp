#include "integrations/mock/mock_config.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

namespace stepline::integrations::mock {

namespace {

std::optional<std::uint64_t> parse_index(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

const json::Object& require_object(const json::Value& v, const std::string& where) {
  if (!v.is_object()) throw MockConfigError(where + " must be a JSON object");
  return v.get_object();
}

MockedAnswer parse_answer(const json::Value& v, const std::string& where) {
  const json::Object& entry = require_object(v, where);
  const bool has_return = entry.contains("Return");
  const bool has_throw = entry.contains("Throw");
  if (has_return == has_throw || entry.size() != 1) {
    throw MockConfigError(where + " must have exactly one field, either 'Return' or 'Throw'");
  }
  MockedAnswer answer;
  if (has_return) {
    answer.result = entry.at("Return");
    return answer;
  }
  const json::Object& thrown = require_object(entry.at("Throw"), where + ".Throw");
  for (const char* field : {"Error", "Cause"}) {
    const json::Value* f = thrown.if_contains(field);
    if (!f || !f->is_string()) {
      throw MockConfigError(where + ".Throw." + field + " is required and must be a string");
    }
  }
  for (const auto& kv : thrown) {
    if (kv.key() != "Error" && kv.key() != "Cause") {
      throw MockConfigError(where + ".Throw has an unsupported field '" + std::string(kv.key()) +
                            "'");
    }
  }
  answer.throws = true;
  answer.error = thrown.at("Error").get_string().c_str();
  answer.cause = thrown.at("Cause").get_string().c_str();
  return answer;
}

}  // namespace

MockedResponse MockedResponse::parse(const json::Value& value, std::string_view where_view) {
  const std::string where(where_view);
  const json::Object& object = require_object(value, where);
  MockedResponse response;
  for (const auto& kv : object) {
    const std::string key(kv.key());
    Range range;
    const auto dash = key.find('-');
    std::optional<std::uint64_t> first, last;
    if (dash == std::string::npos) {
      first = last = parse_index(key);
    } else {
      first = parse_index(std::string_view(key).substr(0, dash));
      last = parse_index(std::string_view(key).substr(dash + 1));
    }
    if (!first || !last || *first > *last) {
      throw MockConfigError(where + ": invalid invocation key '" + key +
                            "' (expected a number such as \"0\" or a range such as \"1-2\")");
    }
    range.first = *first;
    range.last = *last;
    range.answer = parse_answer(kv.value(), where + "." + key);
    response.ranges_.push_back(std::move(range));
  }
  if (response.ranges_.empty()) {
    throw MockConfigError(where + " has no invocation entries");
  }
  std::sort(response.ranges_.begin(), response.ranges_.end(),
            [](const Range& a, const Range& b) { return a.first < b.first; });
  std::uint64_t expected = 0;
  for (const Range& r : response.ranges_) {
    if (r.first != expected) {
      std::ostringstream msg;
      msg << where << ": mock responses must be consecutively numbered from 0 without gaps or "
          << "overlaps; expected an entry starting at " << expected << " but found one starting at "
          << r.first;
      throw MockConfigError(msg.str());
    }
    expected = r.last + 1;
  }
  return response;
}

const MockedAnswer* MockedResponse::answer_for(std::uint64_t invocation) const {
  for (const Range& r : ranges_) {
    if (invocation >= r.first && invocation <= r.last) return &r.answer;
  }
  return nullptr;
}

std::uint64_t MockedResponse::invocation_count_covered() const {
  return ranges_.empty() ? 0 : ranges_.back().last + 1;
}

MockConfig MockConfig::parse(const json::Value& document) {
  const json::Object& root = require_object(document, "The mock configuration");
  for (const auto& kv : root) {
    if (kv.key() != "StateMachines" && kv.key() != "MockedResponses") {
      throw MockConfigError("The mock configuration has an unsupported top-level field '" +
                            std::string(kv.key()) + "'");
    }
  }
  MockConfig config;
  if (const json::Value* responses = root.if_contains("MockedResponses")) {
    for (const auto& kv : require_object(*responses, "MockedResponses")) {
      const std::string name(kv.key());
      config.responses_.emplace(name, MockedResponse::parse(kv.value(), "MockedResponses." + name));
    }
  }
  if (const json::Value* machines = root.if_contains("StateMachines")) {
    for (const auto& m : require_object(*machines, "StateMachines")) {
      const std::string machine(m.key());
      const std::string where = "StateMachines." + machine;
      const json::Object& entry = require_object(m.value(), where);
      const json::Value* cases = entry.if_contains("TestCases");
      if (!cases || entry.size() != 1) {
        throw MockConfigError(where + " must have exactly one field, 'TestCases'");
      }
      auto& test_cases = config.machines_[machine];
      for (const auto& tc : require_object(*cases, where + ".TestCases")) {
        const std::string tc_where = where + ".TestCases." + std::string(tc.key());
        auto& states = test_cases[std::string(tc.key())];
        for (const auto& s : require_object(tc.value(), tc_where)) {
          if (!s.value().is_string()) {
            throw MockConfigError(tc_where + "." + std::string(s.key()) +
                                  " must be the name of a mocked response (a string)");
          }
          const std::string response(s.value().get_string().c_str());
          if (!config.responses_.count(response)) {
            throw MockConfigError(tc_where + "." + std::string(s.key()) +
                                  " refers to the mocked response '" + response +
                                  "', which is not defined under MockedResponses");
          }
          states.emplace(std::string(s.key()), response);
        }
      }
    }
  }
  return config;
}

MockConfig MockConfig::parse_text(std::string_view text) {
  json::Value document;
  try {
    document = json::parse(text);
  } catch (const json::ParseError& e) {
    throw MockConfigError("The mock configuration is not valid JSON (line " +
                          std::to_string(e.line()) + ", column " + std::to_string(e.column()) +
                          "): " + e.what());
  }
  return parse(document);
}

MockConfig MockConfig::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MockConfigError("Cannot read the mock configuration file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return parse_text(text.str());
  } catch (const MockConfigError& e) {
    throw MockConfigError(path + ": " + e.what());
  }
}

MockTestCase MockConfig::resolve(const std::string& machine, const std::string& test_case,
                                 const std::map<std::string, std::string>& states) const {
  MockTestCase resolved;
  resolved.machine = machine;
  resolved.name = test_case;
  for (const auto& [state, response] : states) {
    resolved.responses.emplace(state, responses_.at(response));
  }
  return resolved;
}

MockTestCase MockConfig::test_case(const std::string& machine, const std::string& test_case) const {
  auto m = machines_.find(machine);
  if (m == machines_.end()) {
    throw MockConfigError("The mock configuration has no state machine named '" + machine + "'");
  }
  auto tc = m->second.find(test_case);
  if (tc == m->second.end()) {
    throw MockConfigError("The mock configuration has no test case '" + test_case +
                          "' for the state machine '" + machine + "'");
  }
  return resolve(machine, test_case, tc->second);
}

MockTestCase MockConfig::find_test_case(const std::string& test_case) const {
  const std::string* found_machine = nullptr;
  for (const auto& [machine, cases] : machines_) {
    if (!cases.count(test_case)) continue;
    if (found_machine) {
      throw MockConfigError("The test case '" + test_case +
                            "' exists for several state machines ('" + *found_machine + "', '" +
                            machine + "'); name the state machine");
    }
    found_machine = &machine;
  }
  if (!found_machine) {
    throw MockConfigError("The mock configuration has no test case named '" + test_case + "'");
  }
  return MockConfig::test_case(*found_machine, test_case);
}

}  // namespace stepline::integrations::mock
