#include "api/resources/resource_arn.hpp"

#include "api/resources/api_failure.hpp"
#include "common/arns.hpp"

#include <charconv>

namespace stepline::api::resources {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

ResourceArn parse_resource_arn(std::string_view arn) {
  if (arn.substr(0, 4) != "arn:") throw ApiFailure(invalid_arn_prefix(arn));
  std::optional<arns::Parsed> parsed = arns::parse(arn);
  if (!parsed || parsed->service != "states") throw ApiFailure(invalid_arn(arn));
  ResourceArn out;
  out.text = std::string(arn);
  const std::string& resource = parsed->resource;
  const std::size_t colon = resource.find(':');
  const std::string type = resource.substr(0, colon);
  if (colon == std::string::npos || colon + 1 == resource.size()) {
    throw ApiFailure(type == "stateMachine" || type == "activity" ? invalid_arn(arn)
                                                                  : invalid_arn_type(type));
  }
  std::string_view rest = std::string_view(resource).substr(colon + 1);
  const std::string prefix = std::string(arn.substr(0, arn.size() - rest.size()));
  if (type == "activity") {
    if (rest.find(':') != std::string_view::npos) throw ApiFailure(invalid_arn(arn));
    out.kind = ArnKind::Activity;
    out.machine_name = std::string(rest);
    return out;
  }
  if (type != "stateMachine") throw ApiFailure(invalid_arn_type(type));
  const std::size_t qualifier = rest.find(':');
  std::string_view name = rest.substr(0, qualifier);
  if (name.empty()) throw ApiFailure(invalid_arn(arn));
  if (const std::size_t slash = name.find('/'); slash != std::string_view::npos) {
    if (qualifier != std::string_view::npos) throw ApiFailure(invalid_arn(arn));
    out.kind = ArnKind::Labelled;
    out.machine_name = std::string(name.substr(0, slash));
    out.machine_arn = prefix + out.machine_name;
    return out;
  }
  out.machine_name = std::string(name);
  out.machine_arn = prefix + out.machine_name;
  if (qualifier == std::string_view::npos) {
    out.kind = ArnKind::StateMachine;
    return out;
  }
  std::string_view tail = rest.substr(qualifier + 1);
  if (tail.empty() || tail.find(':') != std::string_view::npos) throw ApiFailure(invalid_arn(arn));
  if (all_digits(tail)) {
    long long number = 0;
    auto [ptr, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), number);
    if (ec != std::errc() || ptr != tail.data() + tail.size()) throw ApiFailure(invalid_arn(arn));
    out.kind = ArnKind::Version;
    out.version = number;
    return out;
  }
  out.kind = ArnKind::Alias;
  out.alias_name = std::string(tail);
  return out;
}

ResourceArn parse_state_machine_family(std::string_view arn) {
  ResourceArn parsed = parse_resource_arn(arn);
  if (parsed.kind == ArnKind::Activity) throw ApiFailure(invalid_arn_type("activity"));
  return parsed;
}

ResourceArn parse_activity_arn(std::string_view arn) {
  ResourceArn parsed = parse_resource_arn(arn);
  if (parsed.kind != ArnKind::Activity) throw ApiFailure(invalid_arn_type("stateMachine"));
  return parsed;
}

std::string version_arn(std::string_view machine_arn, long long number) {
  return std::string(machine_arn) + ":" + std::to_string(number);
}

std::string alias_arn(std::string_view machine_arn, std::string_view alias) {
  return std::string(machine_arn) + ":" + std::string(alias);
}

std::string state_machine_arn(const ServiceContext& context, std::string_view name) {
  return arns::state_machine(arns::Location{context.region, context.account}, name);
}

std::string activity_arn(const ServiceContext& context, std::string_view name) {
  return arns::activity(arns::Location{context.region, context.account}, name);
}

}  // namespace stepline::api::resources
