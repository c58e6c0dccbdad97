#include "integrations/lambda/functions_file.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace stepline::integrations::lambda {

namespace {

[[noreturn]] void fail(const std::string& origin, const std::string& what) {
  throw FunctionsFileError(fmt::format("functions file '{}': {}", origin, what));
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// SAM and CloudFormation spell versions into the runtime ("python3.12", "nodejs20.x",
// "provided.al2023"); the installed interpreter is what runs either way.
Runtime parse_runtime(const std::string& origin, const std::string& name, std::string_view text) {
  if (starts_with(text, "python3")) return Runtime::Python;
  if (starts_with(text, "nodejs")) return Runtime::Node;
  if (starts_with(text, "provided")) return Runtime::Provided;
  fail(origin, fmt::format("function '{}': runtime '{}' is not one of python3, nodejs, provided",
                           name, text));
}

std::string required_string(const std::string& origin, const std::string& name,
                            const json::Object& spec, const char* key) {
  const json::Value* v = spec.if_contains(key);
  if (!v) fail(origin, fmt::format("function '{}' has no \"{}\"", name, key));
  if (!v->is_string() || v->get_string().empty()) {
    fail(origin, fmt::format("function '{}': \"{}\" must be a non-empty string", name, key));
  }
  return std::string(v->get_string());
}

FunctionConfig parse_function(const std::string& origin, const std::filesystem::path& base_dir,
                              const std::string& name, const json::Value& value) {
  if (!value.is_object()) fail(origin, fmt::format("function '{}' must be an object", name));
  const json::Object& spec = value.get_object();
  for (const auto& kv : spec) {
    const std::string_view key = kv.key();
    if (key != "runtime" && key != "handler" && key != "code" && key != "environment" &&
        key != "timeout" && key != "concurrency") {
      fail(origin, fmt::format("function '{}': unknown field \"{}\" (expected runtime, handler, "
                               "code, environment, timeout, concurrency)",
                               name, key));
    }
  }
  FunctionConfig f;
  f.name = name;
  f.runtime = parse_runtime(origin, name, required_string(origin, name, spec, "runtime"));
  f.handler = required_string(origin, name, spec, "handler");
  if (f.runtime != Runtime::Provided && f.handler.find('.') == std::string::npos) {
    fail(origin,
         fmt::format("function '{}': handler '{}' must be module.function", name, f.handler));
  }
  std::filesystem::path code = required_string(origin, name, spec, "code");
  if (code.is_relative()) code = base_dir / code;
  std::error_code ec;
  code = std::filesystem::weakly_canonical(code, ec);
  if (ec || !std::filesystem::is_directory(code)) {
    fail(origin,
         fmt::format("function '{}': code folder '{}' does not exist", name, code.string()));
  }
  f.code = code;
  if (const json::Value* env = spec.if_contains("environment")) {
    if (!env->is_object()) {
      fail(origin, fmt::format("function '{}': \"environment\" must be an object", name));
    }
    for (const auto& kv : env->get_object()) {
      if (!kv.value().is_string()) {
        fail(origin, fmt::format("function '{}': environment variable '{}' must be a string", name,
                                 std::string_view(kv.key())));
      }
      f.environment.emplace_back(std::string(kv.key()), std::string(kv.value().get_string()));
    }
  }
  if (const json::Value* t = spec.if_contains("timeout")) {
    double seconds = 0;
    // Lambda allows 1 to 900 seconds.
    if (!json::as_double(*t, seconds) || !(seconds > 0) || seconds > 900) {
      fail(origin, fmt::format("function '{}': \"timeout\" must be a number of seconds in "
                               "(0, 900]",
                               name));
    }
    f.timeout_seconds = seconds;
  }
  if (const json::Value* c = spec.if_contains("concurrency")) {
    double n = 0;
    if (!json::as_double(*c, n) || n < 1 || n > 1000 || std::floor(n) != n) {
      fail(origin,
           fmt::format("function '{}': \"concurrency\" must be an integer from 1 to 1000", name));
    }
    f.concurrency = static_cast<int>(n);
  }
  return f;
}

}  // namespace

const char* runtime_name(Runtime runtime) {
  switch (runtime) {
    case Runtime::Python:
      return "python3";
    case Runtime::Node:
      return "nodejs";
    case Runtime::Provided:
      return "provided";
  }
  return "provided";
}

FunctionsFile parse_functions_file(const json::Value& document,
                                   const std::filesystem::path& base_dir,
                                   const std::string& origin) {
  if (!document.is_object()) fail(origin, "the document must be an object {\"functions\": {...}}");
  const json::Object& top = document.get_object();
  for (const auto& kv : top) {
    if (kv.key() != "functions") {
      fail(origin, fmt::format("unknown field \"{}\" (expected \"functions\")",
                               std::string_view(kv.key())));
    }
  }
  const json::Value* functions = top.if_contains("functions");
  if (!functions || !functions->is_object()) {
    fail(origin, "\"functions\" must be an object of NAME -> function");
  }
  FunctionsFile file;
  for (const auto& kv : functions->get_object()) {
    const std::string name(kv.key());
    if (name.empty() || name.size() > 64 ||
        name.find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
            std::string::npos) {
      fail(origin,
           fmt::format("'{}' is not a Lambda function name (1-64 letters, digits, - or _)", name));
    }
    file.functions.emplace(name, parse_function(origin, base_dir, name, kv.value()));
  }
  return file;
}

FunctionsFile load_functions_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) {
    throw FunctionsFileError(fmt::format("cannot read the functions file '{}'", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  json::Value document;
  try {
    document = json::parse(text.str());
  } catch (const json::ParseError& e) {
    throw FunctionsFileError(
        fmt::format("functions file '{}' is not valid JSON (line {}, column "
                    "{}): {}",
                    path, e.line(), e.column(), e.what()));
  }
  std::filesystem::path base = std::filesystem::absolute(path).parent_path();
  return parse_functions_file(document, base, path);
}

}  // namespace stepline::integrations::lambda
