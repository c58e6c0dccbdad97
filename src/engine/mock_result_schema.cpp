#include "engine/mock_result_schema.hpp"

#include <fmt/format.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

namespace stepline::engine {

namespace {

constexpr const char* kBotocoreData = "/usr/lib/python3/dist-packages/botocore/data";

// Integration and SDK service names that botocore files under another name.
std::string model_name(std::string service) {
  static const std::map<std::string, std::string, std::less<>> aliases = {
      {"states", "stepfunctions"},      {"sfn", "stepfunctions"},
      {"eventbridge", "events"},        {"cloudwatchlogs", "logs"},
      {"bedrock", "bedrock-runtime"},   {"emr", "emr"},
      {"elasticmapreduce", "emr"},      {"cognitoidentityprovider", "cognito-idp"},
      {"apigatewayv2", "apigatewayv2"},
  };
  if (auto it = aliases.find(service); it != aliases.end()) return it->second;
  return service;
}

// The newest service-2.json of `service`, parsed once per process.
const json::Value* load_model(const std::string& dir, const std::string& service) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<json::Value>> cache;
  std::lock_guard lock(mutex);
  std::string key = dir + "/" + service;
  if (auto it = cache.find(key); it != cache.end()) return it->second.get();
  std::unique_ptr<json::Value> model;
  std::error_code ec;
  std::filesystem::path root = std::filesystem::path(dir) / service;
  std::filesystem::path newest;
  for (std::filesystem::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    auto file = it->path() / "service-2.json";
    if (std::filesystem::exists(file, ec) &&
        (newest.empty() || it->path() > newest.parent_path())) {
      newest = file;
    }
  }
  if (!newest.empty()) {
    std::ifstream in(newest);
    std::stringstream text;
    text << in.rdbuf();
    try {
      model = std::make_unique<json::Value>(json::parse(text.str()));
    } catch (const json::ParseError&) {
      model.reset();
    }
  }
  const json::Value* result = model.get();
  cache.emplace(key, std::move(model));
  return result;
}

std::string capitalized(std::string_view name) {
  std::string s(name);
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

class ShapeChecker {
 public:
  ShapeChecker(const json::Object& shapes, bool strict, std::string skip_field)
      : shapes_(shapes), strict_(strict), skip_field_(std::move(skip_field)) {}

  std::optional<std::string> check(const std::string& shape_name, const json::Value& value,
                                   const std::string& field, int depth = 0) const {
    const json::Value* shape_value = shapes_.if_contains(shape_name);
    if (!shape_value || !shape_value->is_object() || depth > 64) return std::nullopt;
    const json::Object& shape = shape_value->as_object();
    std::string type = string_of(shape, "type");
    if (type == "structure") return check_structure(shape, value, field, depth);
    if (type == "list") {
      if (!value.is_array()) return fmt::format("Field '{}' must be an array", field);
      if (auto p = length(shape, value.as_array().size(), field)) return p;
      std::string member = member_shape(shape, "member");
      for (const auto& item : value.as_array()) {
        if (auto p = check(member, item, field, depth + 1)) return p;
      }
      return std::nullopt;
    }
    if (type == "map") {
      if (!value.is_object()) return fmt::format("Field '{}' must be an object", field);
      std::string member = member_shape(shape, "value");
      for (const auto& [k, v] : value.as_object()) {
        if (auto p = check(member, v, std::string(k), depth + 1)) return p;
      }
      return std::nullopt;
    }
    if (type == "string" || type == "blob" || type == "timestamp") {
      if (!value.is_string()) return fmt::format("Field '{}' must be a string", field);
      if (type == "timestamp") return std::nullopt;
      return length(shape, value.as_string().size(), field);
    }
    if (type == "integer" || type == "long" || type == "float" || type == "double") {
      double d = 0;
      if (value.is_bool() || !json::as_double(value, d)) {
        return fmt::format("Field '{}' must be a number", field);
      }
      double bound = 0;
      if (const auto* min = shape.if_contains("min");
          min && json::as_double(*min, bound) && d < bound) {
        return fmt::format("Field '{}' is less than the minimum value", field);
      }
      if (const auto* max = shape.if_contains("max");
          max && json::as_double(*max, bound) && d > bound) {
        return fmt::format("Field '{}' exceeds the maximum value", field);
      }
      return std::nullopt;
    }
    if (type == "boolean" && !value.is_bool()) {
      return fmt::format("Field '{}' must be a boolean", field);
    }
    return std::nullopt;
  }

 private:
  static std::string string_of(const json::Object& o, std::string_view key) {
    const json::Value* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
  }
  static std::string member_shape(const json::Object& shape, std::string_view key) {
    const json::Value* m = shape.if_contains(key);
    return m && m->is_object() ? string_of(m->as_object(), "shape") : std::string();
  }
  static std::optional<std::string> length(const json::Object& shape, std::size_t size,
                                           const std::string& field) {
    double bound = 0;
    if (const auto* min = shape.if_contains("min");
        min && json::as_double(*min, bound) && static_cast<double>(size) < bound) {
      return fmt::format("Field '{}' is smaller than the minimum length", field);
    }
    if (const auto* max = shape.if_contains("max");
        max && json::as_double(*max, bound) && static_cast<double>(size) > bound) {
      return fmt::format("Field '{}' exceeds the maximum length", field);
    }
    return std::nullopt;
  }

  std::optional<std::string> check_structure(const json::Object& shape, const json::Value& value,
                                             const std::string& field, int depth) const {
    if (!value.is_object()) return fmt::format("Field '{}' must be an object", field);
    const json::Value* members = shape.if_contains("members");
    if (!members || !members->is_object()) return std::nullopt;
    // AWS names members with a capital first letter (the Java SDK's spelling).
    std::map<std::string, std::string> by_name;
    for (const auto& [name, member] : members->as_object()) {
      if (member.is_object()) by_name[capitalized(name)] = string_of(member.as_object(), "shape");
    }
    for (const auto& [key, v] : value.as_object()) {
      auto it = by_name.find(std::string(key));
      if (it == by_name.end() || (depth == 0 && it->first == skip_field_)) continue;
      if (auto p = check(it->second, v, it->first, depth + 1)) return p;
    }
    if (strict_) {
      if (const auto* required = shape.if_contains("required"); required && required->is_array()) {
        for (const auto& r : required->as_array()) {
          if (!r.is_string()) continue;
          std::string name = capitalized(r.as_string());
          if (!value.as_object().if_contains(name)) {
            return fmt::format("Required field '{}' is missing", name);
          }
        }
      }
    }
    return std::nullopt;
  }

  const json::Object& shapes_;
  bool strict_;
  std::string skip_field_;
};

}  // namespace

std::optional<std::string> check_mock_result(const asl::TaskState& task, const json::Value& result,
                                             bool strict, const std::string& models_dir) {
  if (task.kind != asl::ResourceKind::Service || task.wait_for_task_token) return std::nullopt;
  std::string service = task.service;
  std::string action = task.action;
  bool sdk = service.rfind("aws-sdk:", 0) == 0;
  if (sdk) service = service.substr(8);
  // Only the run-and-wait forms whose polling API is known are checked.
  if (auto dot = action.find('.'); dot != std::string::npos) {
    if (service != "states" || action.substr(0, dot) != "startExecution") return std::nullopt;
    action = "describeExecution";
  }
  if (!sdk && (service == "apigateway" || service == "http")) return std::nullopt;
  const json::Value* model =
      load_model(models_dir.empty() ? kBotocoreData : models_dir, model_name(service));
  if (!model || !model->is_object()) return std::nullopt;
  const json::Value* operations = model->as_object().if_contains("operations");
  const json::Value* shapes = model->as_object().if_contains("shapes");
  if (!operations || !operations->is_object() || !shapes || !shapes->is_object()) {
    return std::nullopt;
  }
  const json::Value* operation = operations->as_object().if_contains(capitalized(action));
  if (!operation || !operation->is_object()) return std::nullopt;
  const json::Value* output = operation->as_object().if_contains("output");
  if (!output || !output->is_object()) return std::nullopt;
  const json::Value* shape_name = output->as_object().if_contains("shape");
  if (!shape_name || !shape_name->is_string()) return std::nullopt;
  // The optimized Lambda integration hands back the function's JSON payload, not a blob.
  std::string skip = !sdk && service == "lambda" ? "Payload" : "";
  ShapeChecker checker(shapes->as_object(), strict, skip);
  return checker.check(std::string(shape_name->as_string()), result, "", 0);
}

}  // namespace stepline::engine
