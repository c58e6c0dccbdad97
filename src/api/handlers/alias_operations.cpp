// Create/Describe/Update/Delete/ListStateMachineAliases (API.md §4): an alias routes executions
// to one or two versions of its machine by weight.
#include "api/handlers/handlers.hpp"
#include "api/resources/api_failure.hpp"
#include "api/resources/documents.hpp"
#include "api/resources/machine_store.hpp"
#include "api/resources/paging.hpp"
#include "api/resources/resource_arn.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace stepline::api {

namespace {

using namespace resources;

struct Routing {
  std::string machine_arn;                // the machine all the versions belong to
  json::Array entries;                    // [{stateMachineVersionArn, weight}] as given
  std::vector<store::Resource> versions;  // as read, for the writes that pin them
};

// Checks a routingConfiguration (1-2 entries and weight bounds are the model's) in AWS's order:
// version ARNs, distinct, one machine, weights summing to 100, versions that exist.
Routing check_routing(const ServiceContext& context, const json::Value& requested) {
  Routing routing;
  std::vector<std::string> arns;
  std::vector<long long> weights;
  for (const json::Value& entry : requested.get_array()) {
    const json::Object& item = entry.as_object();
    arns.push_back(string_member(item, "stateMachineVersionArn"));
    const json::Value* w = item.if_contains("weight");
    weights.push_back(w && w->is_int64() ? w->get_int64() : 0);
  }
  std::vector<ResourceArn> parsed;
  bool all_versions = true;
  for (const std::string& arn : arns) {
    parsed.push_back(parse_state_machine_family(arn));
    all_versions = all_versions && parsed.back().kind == ArnKind::Version;
  }
  if (!all_versions) {
    throw ApiFailure(validation(
        fmt::format("Routing configuration must contain state machine version ARNs. Received: [{}]",
                    fmt::join(arns, ", "))));
  }
  if (std::set<std::string>(arns.begin(), arns.end()).size() != arns.size()) {
    throw ApiFailure(validation(fmt::format(
        "Routing configuration must contain distinct state machine version ARNs. Received: [{}]",
        fmt::join(arns, ", "))));
  }
  for (const ResourceArn& p : parsed) {
    if (p.machine_arn != parsed.front().machine_arn) {
      throw ApiFailure(validation(fmt::format(
          "Routing configuration must contain versions of the same state machine. Received: [{}]",
          fmt::join(arns, ", "))));
    }
  }
  long long sum = 0;
  for (long long w : weights) sum += w;
  if (sum != 100) {
    throw ApiFailure(validation(
        fmt::format("Sum of routing configuration weights must equal 100. Received: [{}]",
                    fmt::join(weights, ", "))));
  }
  routing.machine_arn = parsed.front().machine_arn;
  for (std::size_t i = 0; i < arns.size(); ++i) {
    std::optional<store::Resource> version =
        context.store->get_resource(store::ResourceKind::Version, arns[i]);
    if (!version) throw ApiFailure(resource_not_found());
    routing.versions.push_back(std::move(*version));
    json::Object entry;
    entry["stateMachineVersionArn"] = arns[i];
    entry["weight"] = weights[i];
    routing.entries.push_back(std::move(entry));
  }
  return routing;
}

// Rewrites the routed versions unchanged so that the alias write fails if one of them was
// deleted (or changed) since it was read: DeleteStateMachineVersion checks aliases first.
void pin_versions(const Routing& routing, std::vector<store::ResourceWrite>& writes) {
  for (const store::Resource& version : routing.versions)
    writes.push_back({version, version.version, false});
}

std::optional<std::string> optional_description(const json::Object& body) {
  const json::Value* d = body.if_contains("description");
  if (d && d->is_string()) return std::string(d->get_string());
  return std::nullopt;
}

json::Object create_alias(const ServiceContext& context, const json::Object& body) {
  const std::string name = string_member(body, "name");
  const std::optional<std::string> description = optional_description(body);
  const json::Value* requested = body.if_contains("routingConfiguration");
  if (requested == nullptr || !requested->is_array() || requested->get_array().empty())
    throw ApiFailure(validation("Routing configuration must not be empty"));
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    const Routing routing = check_routing(context, *requested);
    const std::string arn = alias_arn(routing.machine_arn, name);
    load_active_machine(context, routing.machine_arn, routing.machine_arn);
    if (std::optional<store::Resource> existing =
            context.store->get_resource(store::ResourceKind::Alias, arn)) {
      const json::Object& doc = existing->document.as_object();
      const json::Value* current_routing = doc.if_contains("routingConfiguration");
      const std::optional<std::string> current_description = optional_description(doc);
      if (current_routing == nullptr || !json::equal(*current_routing, routing.entries) ||
          current_description != description) {
        throw ApiFailure(conflict(
            "Failed to create alias because an alias with the same name and a different routing "
            "configuration already exists."));
      }
      json::Object out;
      out["stateMachineAliasArn"] = arn;
      out["creationDate"] = number_member(doc, "creationDate");
      return out;
    }
    if (static_cast<long long>(
            list_all(context, store::ResourceKind::Alias, routing.machine_arn).size()) >=
        kMaxAliasesPerMachine) {
      throw ApiFailure(service_quota_exceeded(
          "The maximum number of aliases (100) for the state machine has been reached: '" +
          routing.machine_arn + "'"));
    }
    const double now = now_seconds(context);
    json::Object doc;
    doc["stateMachineAliasArn"] = arn;
    doc["name"] = name;
    if (description) doc["description"] = *description;
    doc["routingConfiguration"] = routing.entries;
    doc["creationDate"] = now;
    doc["updateDate"] = now;
    store::Resource alias;
    alias.kind = store::ResourceKind::Alias;
    alias.arn = arn;
    alias.parent_arn = routing.machine_arn;
    alias.name = name;
    alias.document = std::move(doc);
    std::vector<store::ResourceWrite> writes{{std::move(alias), 0, false}};
    pin_versions(routing, writes);
    if (!context.store->write_resources(writes).ok) continue;
    json::Object out;
    out["stateMachineAliasArn"] = arn;
    out["creationDate"] = now;
    return out;
  }
  throw ApiFailure(conflict("Concurrent modification of alias '" + name + "'"));
}

// The alias named by `member`; ResourceNotFound when it is not an alias ARN or does not exist.
store::Resource load_alias(const ServiceContext& context, const json::Object& body) {
  const ResourceArn parsed =
      parse_state_machine_family(string_member(body, "stateMachineAliasArn"));
  if (parsed.kind != ArnKind::Alias) throw ApiFailure(resource_not_found());
  std::optional<store::Resource> alias =
      context.store->get_resource(store::ResourceKind::Alias, parsed.text);
  if (!alias) throw ApiFailure(resource_not_found());
  return *alias;
}

json::Object describe_alias(const ServiceContext& context, const json::Object& body) {
  return load_alias(context, body).document.as_object();
}

json::Object update_alias(const ServiceContext& context, const json::Object& body) {
  const json::Value* requested = body.if_contains("routingConfiguration");
  if (!body.contains("description") && requested == nullptr) {
    throw ApiFailure(
        validation("Either the description or the routing configuration must be specified"));
  }
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    store::Resource alias = load_alias(context, body);
    load_active_machine(context, alias.parent_arn, alias.parent_arn);
    json::Object& doc = alias.document.as_object();
    std::vector<store::ResourceWrite> writes;
    if (requested != nullptr) {
      const Routing routing = check_routing(context, *requested);
      if (routing.machine_arn != alias.parent_arn) {
        throw ApiFailure(validation(
            fmt::format("Routing configuration must contain versions of the state machine '{}'",
                        alias.parent_arn)));
      }
      doc["routingConfiguration"] = routing.entries;
      pin_versions(routing, writes);
    }
    if (const std::optional<std::string> description = optional_description(body)) {
      // Keep the documented member order: description precedes the routing.
      json::Object reordered;
      for (const auto& member : doc) {
        if (member.key() == "description") continue;
        if (member.key() == "routingConfiguration") reordered["description"] = *description;
        reordered[member.key()] = member.value();
      }
      doc = std::move(reordered);
    }
    const double now = now_seconds(context);
    doc["updateDate"] = now;
    const store::Version expected = alias.version;
    writes.insert(writes.begin(), {std::move(alias), expected, false});
    if (!context.store->write_resources(writes).ok) continue;
    json::Object out;
    out["updateDate"] = now;
    return out;
  }
  throw ApiFailure(conflict("Concurrent modification of the alias"));
}

json::Object delete_alias(const ServiceContext& context, const json::Object& body) {
  const ResourceArn parsed =
      parse_state_machine_family(string_member(body, "stateMachineAliasArn"));
  if (parsed.kind != ArnKind::Alias) throw ApiFailure(resource_not_found());
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    std::optional<store::Resource> alias =
        context.store->get_resource(store::ResourceKind::Alias, parsed.text);
    if (!alias) return {};  // deleting what is not there succeeds, like the other deletes
    if (context.store->write_resources({{*alias, alias->version, true}}).ok) return {};
  }
  throw ApiFailure(conflict("Concurrent modification of alias '" + parsed.text + "'"));
}

json::Object list_aliases(const ServiceContext& context, const json::Object& body) {
  const ResourceArn parsed = parse_state_machine_family(string_member(body, "stateMachineArn"));
  if (parsed.kind == ArnKind::Labelled) throw ApiFailure(labelled_arn_not_supported(parsed.text));
  if (parsed.kind == ArnKind::Alias) throw ApiFailure(resource_not_found());
  load_machine(context, parsed.machine_arn, parsed.text);
  const store::PageRequest request = page_request(body);
  if (parsed.kind == ArnKind::Version) {
    if (!context.store->get_resource(store::ResourceKind::Version, parsed.text))
      throw ApiFailure(resource_not_found());
  }
  // Oldest first, as AWS lists them.
  std::vector<json::Value> items;
  for (const store::Resource& alias :
       list_all(context, store::ResourceKind::Alias, parsed.machine_arn)) {
    const json::Object& doc = alias.document.as_object();
    if (parsed.kind == ArnKind::Version) {
      bool routes = false;
      if (const json::Value* routing = doc.if_contains("routingConfiguration");
          routing && routing->is_array()) {
        for (const json::Value& entry : routing->get_array())
          routes =
              routes || string_member(entry.as_object(), "stateMachineVersionArn") == parsed.text;
      }
      if (!routes) continue;
    }
    json::Object item;
    item["stateMachineAliasArn"] = alias.arn;
    item["creationDate"] = number_member(doc, "creationDate");
    items.emplace_back(std::move(item));
  }
  store::Page<json::Value> page = page_of(std::move(items), request);
  json::Array out;
  for (json::Value& v : page.items) out.push_back(std::move(v));
  return list_answer("stateMachineAliases", std::move(out), page.next_token);
}

}  // namespace

void register_alias_operations(OperationRegistry& registry, const ServiceContext& context) {
  registry.add_sync("CreateStateMachineAlias", sync_operation(context, create_alias));
  registry.add_sync("DescribeStateMachineAlias", sync_operation(context, describe_alias));
  registry.add_sync("UpdateStateMachineAlias", sync_operation(context, update_alias));
  registry.add_sync("DeleteStateMachineAlias", sync_operation(context, delete_alias));
  registry.add_sync("ListStateMachineAliases", sync_operation(context, list_aliases));
}

}  // namespace stepline::api
