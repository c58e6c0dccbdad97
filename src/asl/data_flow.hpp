// The JSONPath-mode data flow fields a state may carry (ASL §3): InputPath, Parameters,
// ResultSelector, ResultPath, OutputPath and Assign, each compiled once.
#pragma once

#include "query/jsonpath/path.hpp"
#include "query/jsonpath/result_path.hpp"
#include "query/template/payload_template.hpp"

#include <optional>

namespace stepline::asl {

// InputPath / OutputPath: absent means `$` (keep everything), `null` means an empty object.
struct DataPath {
  enum class Kind { Identity, Empty, Select };
  Kind kind = Kind::Identity;
  std::optional<query::jsonpath::Path> path;
};

struct DataFlow {
  DataPath input_path;
  DataPath output_path;
  std::optional<query::PayloadTemplate> parameters;  // Map: the legacy ItemSelector
  std::optional<query::PayloadTemplate> result_selector;
  query::jsonpath::ResultPath result_path = query::jsonpath::ResultPath::replace();
  std::optional<query::PayloadTemplate> assign;
};

}  // namespace stepline::asl
