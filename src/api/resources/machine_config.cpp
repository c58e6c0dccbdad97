#include "api/resources/machine_config.hpp"

#include "api/resources/api_failure.hpp"
#include "asl/validator/validate.hpp"
#include "common/arns.hpp"

namespace stepline::api::resources {

json::Value normalize_logging(const json::Value* requested) {
  json::Object out;
  out["level"] = "OFF";
  out["includeExecutionData"] = false;
  if (requested == nullptr || !requested->is_object()) return out;
  const json::Object& in = requested->get_object();
  if (const json::Value* level = in.if_contains("level"); level && level->is_string())
    out["level"] = *level;
  if (const json::Value* data = in.if_contains("includeExecutionData"); data && data->is_bool())
    out["includeExecutionData"] = *data;
  const json::Value* destinations = in.if_contains("destinations");
  const std::size_t count =
      destinations && destinations->is_array() ? destinations->get_array().size() : 0;
  if (count > 1 || (count == 0 && out["level"].get_string() != "OFF")) {
    throw ApiFailure(invalid_logging_configuration("Must specify exactly one Log Destination."));
  }
  if (count == 1) {
    const json::Value& destination = destinations->get_array()[0];
    const json::Value* group = destination.is_object()
                                   ? destination.as_object().if_contains("cloudWatchLogsLogGroup")
                                   : nullptr;
    const json::Value* arn =
        group && group->is_object() ? group->get_object().if_contains("logGroupArn") : nullptr;
    if (arn == nullptr || !arn->is_string() || !arns::parse(arn->get_string())) {
      throw ApiFailure(
          invalid_logging_configuration("The log group ARN of the Log Destination is not valid."));
    }
    out["destinations"] = *destinations;
  }
  return out;
}

json::Value normalize_tracing(const json::Value* requested) {
  json::Object out;
  out["enabled"] = false;
  if (requested && requested->is_object()) {
    if (const json::Value* e = requested->get_object().if_contains("enabled"); e && e->is_bool())
      out["enabled"] = *e;
  }
  return out;
}

json::Value normalize_encryption(const json::Value* requested) {
  json::Object out;
  out["type"] = "AWS_OWNED_KEY";
  if (requested == nullptr || !requested->is_object()) return out;
  const json::Object& in = requested->get_object();
  if (const json::Value* type = in.if_contains("type"); type && type->is_string())
    out["type"] = *type;
  if (out["type"].get_string() == "CUSTOMER_MANAGED_KMS_KEY") {
    const json::Value* key = in.if_contains("kmsKeyId");
    if (key == nullptr || !key->is_string()) {
      throw ApiFailure(ApiError{"InvalidEncryptionConfiguration",
                                "Invalid Encryption Configuration: kmsKeyId is required for "
                                "CUSTOMER_MANAGED_KMS_KEY",
                                400,
                                {}});
    }
    out["kmsKeyId"] = *key;
    if (const json::Value* period = in.if_contains("kmsDataKeyReusePeriodSeconds"))
      out["kmsDataKeyReusePeriodSeconds"] = *period;
  }
  return out;
}

void require_role_arn(std::string_view role_arn) {
  if (role_arn.substr(0, 4) != "arn:") throw ApiFailure(invalid_arn_prefix(role_arn));
  if (!arns::parse(role_arn)) throw ApiFailure(invalid_arn(role_arn));
}

void require_valid_definition(std::string_view definition, std::string_view type) {
  asl::ValidateOptions options;
  if (type == "EXPRESS") options.type = asl::MachineType::Express;
  const std::vector<asl::Diagnostic> diagnostics = asl::validate_text(definition, options);
  if (asl::has_errors(diagnostics)) {
    throw ApiFailure(ApiError{
        "InvalidDefinition", asl::invalid_definition_message(diagnostics, definition), 400, {}});
  }
}

}  // namespace stepline::api::resources
