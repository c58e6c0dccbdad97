// ResultPath: where a state's result goes inside a copy of its raw input (ASL §3 step 5).
#pragma once

#include "common/json.hpp"
#include "query/jsonpath/path.hpp"

#include <optional>

namespace stepline::query::jsonpath {

// A compiled ResultPath: `null` (discard the result), `$` (replace) or a reference path into `$`.
class ResultPath {
 public:
  // `definition` is the ResultPath field's value (string or null). Throws SyntaxError when it is
  // not a Reference Path into `$` (no `$$`, no variables).
  static ResultPath compile(const json::Value& definition);
  static ResultPath discard();  // ResultPath: null
  static ResultPath replace();  // the default, "$"

  // Merges `result` into `raw_input` (both consumed). Creates missing intermediate objects.
  // Throws StatesException(States.ResultPathMatchFailure, AWS's cause) when it cannot be applied.
  json::Value apply(json::Value raw_input, json::Value result) const;

  // `null`: the result is dropped and the raw input passes through.
  bool discards() const { return !path_; }
  // `$`: the result replaces the raw input, which apply() would only copy to throw away.
  bool replaces_input() const;

 private:
  std::optional<Path> path_;  // nullopt = discard
};

}  // namespace stepline::query::jsonpath
