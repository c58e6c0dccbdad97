#include "api/resources/machine_resolver.hpp"

#include "api/resources/api_failure.hpp"
#include "api/resources/documents.hpp"
#include "api/resources/machine_store.hpp"
#include "api/resources/resource_arn.hpp"

namespace stepline::api {

namespace {

using namespace resources;

// The version an alias routes this execution to: weights are percentages summing to 100.
std::string pick_version(const ServiceContext& context, const json::Object& alias) {
  const json::Value* routing = alias.if_contains("routingConfiguration");
  if (routing == nullptr || !routing->is_array() || routing->get_array().empty())
    throw store::StoreError("alias without routing configuration");
  const double draw = context.ids->uniform() * 100.0;
  double cumulative = 0;
  std::string chosen;
  for (const json::Value& entry : routing->get_array()) {
    const json::Object& item = entry.as_object();
    const double weight = number_member(item, "weight");
    if (weight <= 0) continue;
    chosen = string_member(item, "stateMachineVersionArn");
    cumulative += weight;
    if (draw < cumulative) break;
  }
  if (chosen.empty())
    chosen = string_member(routing->get_array()[0].as_object(), "stateMachineVersionArn");
  return chosen;
}

runtime::MachineRef resolve(const ServiceContext& context, const std::string& given) {
  std::string arn = given;
  std::string test_case;
  if (given.substr(0, 4) == "arn:") {
    if (const std::size_t hash = given.find('#'); hash != std::string::npos) {
      arn = given.substr(0, hash);
      test_case = given.substr(hash + 1);
    }
  }
  const ResourceArn parsed = parse_state_machine_family(arn);
  if (parsed.kind == ArnKind::Labelled) throw ApiFailure(labelled_arn_not_supported(arn));

  runtime::MachineRef ref;
  ref.mock_test_case = test_case;
  const MachineRecord machine = machine_from(load_active_machine(context, parsed.machine_arn, arn));
  ref.state_machine_arn = machine.arn;
  ref.state_machine_name = machine.name;
  std::string revision_arn = machine.revision_arn;

  std::string version_arn;
  if (parsed.kind == ArnKind::Alias) {
    std::optional<store::Resource> alias =
        context.store->get_resource(store::ResourceKind::Alias, arn);
    if (!alias) throw ApiFailure(state_machine_does_not_exist(arn));
    ref.alias_arn = arn;
    version_arn = pick_version(context, alias->document.as_object());
  } else if (parsed.kind == ArnKind::Version) {
    version_arn = arn;
  }
  if (!version_arn.empty()) {
    std::optional<store::Resource> version =
        context.store->get_resource(store::ResourceKind::Version, version_arn);
    if (!version) throw ApiFailure(state_machine_does_not_exist(arn));
    ref.version_arn = version_arn;
    revision_arn = version_from(*version).revision_arn;
  }

  const RevisionRecord revision = load_revision(context, revision_arn);
  ref.revision_arn = revision.arn;
  ref.definition = revision.config.definition;
  ref.role_arn = revision.config.role_arn;
  ref.express = revision.config.type == "EXPRESS";
  ref.logging_configuration = revision.config.logging;
  return ref;
}

}  // namespace

std::variant<runtime::MachineRef, ApiError> resolve_machine(const ServiceContext& context,
                                                            const std::string& arn) {
  try {
    return resolve(context, arn);
  } catch (const ApiFailure& failure) {
    return failure.error();
  } catch (const std::exception& e) {
    return internal_failure(e.what());
  }
}

runtime::MachineResolver runtime_machine_resolver(ServiceContext context) {
  context.runtime = nullptr;
  return [context = std::move(context)](
             const std::string& arn,
             runtime::MachineLookupError& error) -> std::optional<runtime::MachineRef> {
    auto resolved = resolve_machine(context, arn);
    if (auto* machine = std::get_if<runtime::MachineRef>(&resolved)) return std::move(*machine);
    const auto& failure = std::get<ApiError>(resolved);
    error.code = failure.type;
    error.message = failure.message;
    return std::nullopt;
  };
}

}  // namespace stepline::api
