// JSONata 2.x for Stepline: compile an expression once, evaluate it many times against JSON
// input. Follows jsonata-js 2.2 (results, error codes, messages); see tests/jsonata_suite.
//
//   auto expr = jsonata::Expression::compile("Account.Order.Product.Price");
//   std::optional<json::Value> r = expr.evaluate(&input);   // nullopt: undefined result
#pragma once

#include "common/json.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stepline::jsonata {

// A compile-time (S0xxx) or evaluation-time (T/D/U) error, as jsonata-js reports it.
class Error : public std::runtime_error {
 public:
  Error(std::string code, std::string message, int position);
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  int position() const { return position_; }  // -1 when unknown
  std::optional<std::string> token;
  std::optional<json::Value> value;
  std::optional<std::string> function_name;
  // The error as jsonata-js would serialise it: {code, message, position, token, value}.
  json::Object to_json() const;

 private:
  std::string code_;
  std::string message_;
  int position_;
};

// U1001 is raised past either limit (the reference runner's accounting: one level per nested
// evaluation of a syntax-tree node).
struct Limits {
  int max_depth = 0;         // 0: only the built-in safety limit
  double time_limit_ms = 0;  // 0: none
};

// A host-provided function. Arguments and result use nullopt for JSONata's `undefined`.
using HostFunction =
    std::function<std::optional<json::Value>(const std::vector<std::optional<json::Value>>& args)>;

// Extra functions and switches an embedding (e.g. ASL's JSONata mode) layers over the
// built-ins. Throwing Error from a host function reports that error.
class Environment {
 public:
  Environment();
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;
  // `signature` uses JSONata's syntax (e.g. "<n-n?:n>"), empty for unchecked arguments.
  void define(const std::string& name, const std::string& signature, HostFunction fn);
  void disable_eval();

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

struct EvaluateOptions {
  Limits limits;
  const Environment* environment = nullptr;
  std::optional<std::int64_t> now_millis;  // $now()/$millis(); default: the system clock
};

// A JSON value converted once into the engine's representation, for inputs or bindings that
// several evaluations share (an ASL state's $states, say): evaluate(const json::Value*) converts
// its input on every call. A Document may be reused by any number of evaluations, but by one
// thread at a time (evaluation caches lookup indexes inside it).
class Document {
 public:
  Document();  // no value (JSONata's undefined)
  explicit Document(const json::Value& value);
  bool undefined() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

using DocumentBindings = std::vector<std::pair<std::string, Document>>;

class Expression {
 public:
  // Throws Error on a syntax error.
  static Expression compile(std::string_view source);

  // `input == nullptr` evaluates against no input (undefined), as opposed to JSON null.
  // Returns nullopt when the result is undefined; throws Error.
  std::optional<json::Value> evaluate(const json::Value* input,
                                      const json::Object* bindings = nullptr,
                                      const EvaluateOptions& options = {}) const;

  // The same with pre-converted input and bindings.
  std::optional<json::Value> evaluate(const Document& input, const DocumentBindings& bindings = {},
                                      const EvaluateOptions& options = {}) const;

  const std::string& source() const;

  struct Compiled;

 private:
  explicit Expression(std::shared_ptr<const Compiled> compiled);
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace stepline::jsonata
