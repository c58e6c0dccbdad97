// A JSONata-mode field value compiled once: any JSON value in which strings of the form
// `{% expression %}` are JSONata expressions (ASL §4). Evaluation replaces each expression by
// its result; everything else is copied literally.
#pragma once

#include "common/errors.hpp"
#include "common/json.hpp"
#include "query/jsonata/jsonata.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepline::asl {

// A JSONata evaluation failed: error States.QueryEvaluationError, `location` is the field path
// (e.g. "Output/result") AWS reports in EvaluationFailed.
class JsonataFailure : public StatesException {
 public:
  JsonataFailure(std::string cause, std::optional<std::string> location)
      : StatesException("States.QueryEvaluationError", std::move(cause)),
        location_(std::move(location)) {}
  const std::optional<std::string>& location() const { return location_; }

 private:
  std::optional<std::string> location_;
};

class JsonataValue {
 public:
  // Throws jsonata::Error when an expression does not parse.
  static JsonataValue compile(const json::Value& definition);

  // True when the whole value is one expression (not a literal or a structure).
  bool is_expression() const;
  // The expression text (trimmed, without delimiters) when is_expression(), else empty.
  const std::string& source() const;

  // `field` is the location for error messages ("Output", "Assign/x", "Arguments").
  // Throws JsonataFailure.
  json::Value evaluate(const json::Object& bindings, const jsonata::EvaluateOptions& options,
                       std::string_view field) const;

  struct Node;

 private:
  explicit JsonataValue(std::shared_ptr<const Node> root) : root_(std::move(root)) {}
  std::shared_ptr<const Node> root_;
};

}  // namespace stepline::asl
