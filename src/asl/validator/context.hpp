// Shared state of one validation run: where diagnostics go, which query language applies, and
// how to spell the JSON-Pointer-like locations AWS reports ("/States/X/Next").
#pragma once

#include "asl/validator/validate.hpp"
#include "common/json.hpp"

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stepline::asl::validation {

inline constexpr std::string_view kSchema = "SCHEMA_VALIDATION_FAILED";
inline constexpr std::string_view kMissingTarget = "MISSING_TRANSITION_TARGET";

enum class Language { JSONPath, JSONata };

// Which parts of `$states` a JSONata field may read besides input and context: `result` only in
// the Output/Assign of Task, Parallel and Map; `errorOutput` only in a catcher's Output/Assign.
enum class StatesAccess { Input, Result, ErrorOutput };

inline std::string_view language_name(Language language) {
  return language == Language::JSONata ? "JSONata" : "JSONPath";
}

// Collects diagnostics in the order they are found (AWS's order matters to callers).
class Sink {
 public:
  void error(std::string_view code, std::string message, std::optional<std::string> location) {
    diagnostics_.push_back({"ERROR", std::string(code), std::move(message), std::move(location)});
    ++errors_;
  }
  void schema(std::string message, std::string location) {
    error(kSchema, std::move(message), std::move(location));
  }
  void warning(std::string_view code, std::string message, std::optional<std::string> location) {
    diagnostics_.push_back({"WARNING", std::string(code), std::move(message), std::move(location)});
  }
  std::size_t error_count() const { return errors_; }
  std::vector<Diagnostic> take() { return std::move(diagnostics_); }

 private:
  std::vector<Diagnostic> diagnostics_;
  std::size_t errors_ = 0;
};

// Location of `key` inside the node at `pointer` ("" is the document root).
inline std::string child(std::string_view pointer, std::string_view key) {
  std::string out(pointer);
  out += '/';
  out += key;
  return out;
}
inline std::string child(std::string_view pointer, std::size_t index) {
  return child(pointer, std::to_string(index));
}

// Nesting limits: AWS refuses absurd nesting (TOO_DEEPLY_NESTED); they also bound our recursion.
inline constexpr int kMaxMachineDepth = 40;
inline constexpr int kMaxChoiceRuleDepth = 100;

struct Run {
  const ValidateOptions& options;
  Sink& sink;
  Language machine_language = Language::JSONPath;
  std::set<std::string> labels;  // Map labels seen so far (unique per document)
};

// What a state's checks need to know about where the state sits.
struct StateSite {
  Run& run;
  std::string name;
  std::string pointer;  // e.g. "/States/M/ItemProcessor/States/P"
  Language language;
  int depth;                                   // 0 for top-level states
  const std::set<std::string>* outer_names;    // variables assigned in enclosing scopes
  const std::set<std::string>* visible_names;  // what scopes nested in this state may not assign
  StatesAccess result_access;  // what the state's own Output/Assign may read of `$states`
};

}  // namespace stepline::asl::validation
