// Public API: compilation, evaluation, conversion of internal failures to Error.
#include "query/jsonata/jsonata.hpp"

#include "query/jsonata/evaluator.hpp"
#include "query/jsonata/failure.hpp"
#include "query/jsonata/helpers.hpp"
#include "query/jsonata/program.hpp"

#include <chrono>

namespace stepline::jsonata {

struct Expression::Compiled {
  std::string source;
  Program program;
};

struct Document::Impl {
  Value value;
};

Document::Document() : impl_(std::make_shared<Impl>()) {}
Document::Document(const json::Value& value)
    : impl_(std::make_shared<Impl>(Impl{from_json(value)})) {}
bool Document::undefined() const {
  return impl_->value.undefined();
}

struct Environment::Impl {
  FunctionTable table;
};

namespace {

std::string format_message(const Failure& f) {
  if (!f.message.empty()) return f.message;
  std::string tpl = message_template(f.code);
  std::string out;
  for (std::size_t i = 0; i < tpl.size();) {
    bool triple = tpl.compare(i, 3, "{{{") == 0;
    if (tpl.compare(i, 2, "{{") == 0) {
      std::size_t open = triple ? 3 : 2;
      std::size_t close = tpl.find(triple ? "}}}" : "}}", i + open);
      if (close == std::string::npos) break;
      std::string field = tpl.substr(i + open, close - i - open);
      std::string text;
      if (field == "token") {
        if (triple)
          text = f.token.value_or("undefined");
        else
          quote_json_string(text, f.token.value_or(""));
        if (!f.token) text = "undefined";
      } else if (field == "value" || field == "value2") {
        const Value& v = field == "value" ? f.value : f.value2;
        bool has = field == "value" ? f.has_value : f.has_value2;
        if (!has || v.undefined()) {
          text = "undefined";
        } else {
          try {
            text = triple && v.is_string() ? v.str() : stringify(v, false);
          } catch (const Failure&) {
            text = js_number_to_string(v.is_number() ? v.as_number() : 0);
          }
        }
      } else if (field == "index") {
        text = f.index >= 0 ? std::to_string(f.index) : "undefined";
      } else if (field == "type") {
        text = "\"" + f.type + "\"";
      } else {
        text = "undefined";
      }
      out += text;
      i = close + (triple ? 3 : 2);
    } else {
      out += tpl[i++];
    }
  }
  return out;
}

Error to_error(const Failure& f) {
  Error e(f.code, format_message(f), f.position);
  e.token = f.token;
  if (!f.function_name.empty()) e.function_name = f.function_name;
  if (f.has_value && !f.value.undefined()) {
    try {
      e.value = to_json(f.value);
    } catch (const Failure&) {
    }
  }
  return e;
}

}  // namespace

Error::Error(std::string code, std::string message, int position)
    : std::runtime_error(code + ": " + message),
      code_(std::move(code)),
      message_(std::move(message)),
      position_(position) {}

json::Object Error::to_json() const {
  json::Object o;
  o["code"] = code_;
  o["message"] = message_;
  if (position_ >= 0) o["position"] = position_;
  if (token) o["token"] = *token;
  if (value) o["value"] = *value;
  if (function_name) o["functionName"] = *function_name;
  return o;
}

Environment::Environment() : impl_(std::make_unique<Impl>()) {}
Environment::~Environment() = default;

void Environment::define(const std::string& name, const std::string& signature, HostFunction fn) {
  auto f = std::make_shared<FunctionData>();
  f->kind = FunctionKind::Host;
  f->name = name;
  if (!signature.empty()) {
    f->signature = std::make_shared<Signature>(parse_signature(signature));
    f->arity = static_cast<int>(f->signature->params.size());
  }
  f->host = [fn = std::move(fn)](CallContext&, std::vector<Value>& args) -> Value {
    std::vector<std::optional<json::Value>> in;
    in.reserve(args.size());
    for (const auto& a : args) {
      if (a.undefined())
        in.emplace_back(std::nullopt);
      else
        in.emplace_back(to_json(a));
    }
    std::optional<json::Value> out;
    try {
      out = fn(in);
    } catch (const Error& e) {
      Failure f(e.code());
      f.message = e.message();
      throw f;
    }
    return out ? from_json(*out) : Value();
  };
  impl_->table.extra[name] = Value::function(std::move(f));
}

void Environment::disable_eval() {
  impl_->table.allow_eval = false;
}

Expression::Expression(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}

Expression Expression::compile(std::string_view source) {
  auto compiled = std::make_shared<Compiled>();
  compiled->source = std::string(source);
  try {
    parse_program(compiled->source, compiled->program);
  } catch (const Failure& f) {
    throw to_error(f);
  }
  return Expression(std::move(compiled));
}

const std::string& Expression::source() const {
  return compiled_->source;
}

namespace {

std::optional<json::Value> run(const Program& program, Value input,
                               const std::vector<std::pair<std::string, Value>>& bindings,
                               const EvaluateOptions& options) {
  static const FunctionTable kDefaultTable;
  const FunctionTable& table =
      options.environment ? options.environment->impl().table : kDefaultTable;
  std::int64_t now = options.now_millis ? *options.now_millis
                                        : std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count();
  EvalLimits limits{options.limits.max_depth, options.limits.time_limit_ms};
  try {
    Evaluator ev(table, limits, now);
    Value result = ev.run(program.root, std::move(input), bindings);
    if (result.undefined()) return std::nullopt;
    return to_json(result);
  } catch (const Failure& f) {
    throw to_error(f);
  }
}

}  // namespace

std::optional<json::Value> Expression::evaluate(const json::Value* input,
                                                const json::Object* bindings,
                                                const EvaluateOptions& options) const {
  std::vector<std::pair<std::string, Value>> binds;
  if (bindings)
    for (const auto& kv : *bindings)
      binds.emplace_back(std::string(kv.key()), from_json(kv.value()));
  return run(compiled_->program, input ? from_json(*input) : Value(), binds, options);
}

std::optional<json::Value> Expression::evaluate(const Document& input,
                                                const DocumentBindings& bindings,
                                                const EvaluateOptions& options) const {
  std::vector<std::pair<std::string, Value>> binds;
  binds.reserve(bindings.size());
  for (const auto& [name, doc] : bindings) binds.emplace_back(name, doc.impl().value);
  return run(compiled_->program, input.impl().value, binds, options);
}

}  // namespace stepline::jsonata
