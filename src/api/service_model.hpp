// The AWS Step Functions service model (botocore's JSON description of the API) loaded from the
// copy embedded in the binary: operations, their input shapes and the shapes' constraints.
#pragma once

#include "common/json.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace stepline::api {

class ServiceModel {
 public:
  // Parses a model text; throws std::runtime_error when it is not a botocore service model.
  explicit ServiceModel(std::string_view model_text);

  // "AWSStepFunctions": the X-Amz-Target prefix before ".<Operation>".
  const std::string& target_prefix() const { return target_prefix_; }
  // Every operation name in the model, sorted.
  const std::vector<std::string>& operation_names() const { return operation_names_; }
  // The operation's entry ("input", "output", "errors", ...), or null when unknown.
  const json::Object* operation(std::string_view name) const;
  // The name of the operation's input shape; empty when it has none.
  std::string input_shape(std::string_view operation) const;
  // A shape definition by name, or null when unknown.
  const json::Object* shape(std::string_view name) const;

 private:
  json::Value document_;
  const json::Object* operations_ = nullptr;
  const json::Object* shapes_ = nullptr;
  std::string target_prefix_;
  std::vector<std::string> operation_names_;
};

// The embedded Step Functions model, parsed on first use.
const ServiceModel& step_functions_model();

}  // namespace stepline::api
