#include "api/service_model.hpp"

#include "api/model/embedded_model.hpp"

#include <algorithm>
#include <stdexcept>

namespace stepline::api {

namespace {

const json::Object& member_object(const json::Object& parent, std::string_view key) {
  const json::Value* value = parent.if_contains(key);
  if (!value || !value->is_object())
    throw std::runtime_error("service model: missing object '" + std::string(key) + "'");
  return value->get_object();
}

}  // namespace

ServiceModel::ServiceModel(std::string_view model_text) : document_(json::parse(model_text)) {
  if (!document_.is_object()) throw std::runtime_error("service model: not a JSON object");
  const json::Object& root = document_.get_object();
  operations_ = &member_object(root, "operations");
  shapes_ = &member_object(root, "shapes");
  const json::Value* prefix = member_object(root, "metadata").if_contains("targetPrefix");
  if (!prefix || !prefix->is_string())
    throw std::runtime_error("service model: metadata.targetPrefix missing");
  target_prefix_ = std::string(prefix->get_string());
  for (const auto& op : *operations_) operation_names_.emplace_back(op.key());
  std::sort(operation_names_.begin(), operation_names_.end());
}

const json::Object* ServiceModel::operation(std::string_view name) const {
  const json::Value* op = operations_->if_contains(name);
  return op && op->is_object() ? &op->get_object() : nullptr;
}

std::string ServiceModel::input_shape(std::string_view operation_name) const {
  const json::Object* op = operation(operation_name);
  if (!op) return {};
  const json::Value* input = op->if_contains("input");
  if (!input || !input->is_object()) return {};
  const json::Value* name = input->get_object().if_contains("shape");
  return name && name->is_string() ? std::string(name->get_string()) : std::string();
}

const json::Object* ServiceModel::shape(std::string_view name) const {
  const json::Value* s = shapes_->if_contains(name);
  return s && s->is_object() ? &s->get_object() : nullptr;
}

const ServiceModel& step_functions_model() {
  static const ServiceModel model(embedded_service_model());
  return model;
}

}  // namespace stepline::api
