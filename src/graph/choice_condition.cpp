#include "graph/choice_condition.hpp"

#include <array>
#include <cctype>
#include <string_view>
#include <utility>

namespace stepline::graph {

namespace {

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string string_field(const json::Object& rule, std::string_view key) {
  const auto* value = rule.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// The comparison operators of ASL, by the suffix that follows the type prefix.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kComparisons{{
    {"GreaterThanEquals", ">="},
    {"LessThanEquals", "<="},
    {"GreaterThan", ">"},
    {"LessThan", "<"},
    {"Equals", "=="},
    {"Matches", "matches"},
}};

constexpr std::array<std::string_view, 4> kTypePrefixes{"String", "Numeric", "Boolean",
                                                        "Timestamp"};

// "NumericGreaterThanPath" -> {">", path operand}; false when `key` is not a comparison.
bool parse_comparison(std::string_view key, std::string_view& symbol, bool& path_operand) {
  path_operand = key.ends_with("Path");
  if (path_operand) key.remove_suffix(4);
  for (const auto prefix : kTypePrefixes) {
    if (!key.starts_with(prefix)) continue;
    const auto rest = key.substr(prefix.size());
    for (const auto& [suffix, text] : kComparisons) {
      if (rest == suffix) {
        symbol = text;
        return true;
      }
    }
  }
  return false;
}

std::string describe(const json::Value& value, int depth);

std::string describe_list(const json::Value& rules, std::string_view joiner, int depth) {
  if (!rules.is_array()) return "?";
  std::string out;
  for (const auto& rule : rules.as_array()) {
    if (!out.empty()) out.append(" ").append(joiner).append(" ");
    const bool nested =
        rule.is_object() && (rule.as_object().contains("And") || rule.as_object().contains("Or"));
    out += nested ? "(" + describe(rule, depth + 1) + ")" : describe(rule, depth + 1);
  }
  return out;
}

std::string describe(const json::Value& value, int depth) {
  // Deeply nested rules are legal but unreadable on an edge.
  if (depth > 8 || !value.is_object()) return "…";
  const auto& rule = value.as_object();
  if (const auto* condition = rule.if_contains("Condition"); condition && condition->is_string()) {
    std::string_view text = condition->as_string();
    if (text.starts_with("{%") && text.ends_with("%}") && text.size() >= 4)
      text = text.substr(2, text.size() - 4);
    return trim(text);
  }
  if (const auto* all = rule.if_contains("And")) return describe_list(*all, "and", depth);
  if (const auto* any = rule.if_contains("Or")) return describe_list(*any, "or", depth);
  if (const auto* negated = rule.if_contains("Not"))
    return "not (" + describe(*negated, depth + 1) + ")";

  const std::string variable = string_field(rule, "Variable");
  for (const auto& [key, operand] : rule) {
    if (key == "Variable" || key == "Next" || key == "Comment" || key == "Assign" ||
        key == "Output")
      continue;
    std::string_view symbol;
    bool path_operand = false;
    if (parse_comparison(key, symbol, path_operand)) {
      const std::string right = path_operand && operand.is_string()
                                    ? std::string(operand.as_string())
                                    : json::dump(operand);
      return variable + " " + std::string(symbol) + " " + right;
    }
    if (key.starts_with("Is")) {
      const bool positive = !operand.is_bool() || operand.as_bool();
      std::string what(std::string_view(key).substr(2));
      for (auto& c : what) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return variable + (positive ? " is " : " is not ") + what;
    }
  }
  return variable.empty() ? "…" : variable;
}

}  // namespace

std::string describe_choice_rule(const json::Value& rule) {
  return describe(rule, 0);
}

}  // namespace stepline::graph
