// TagResource, UntagResource and ListTagsForResource (API.md §4) for state machines and
// activities; versions, aliases and anything else are "Resource not found" as on AWS.
#include "api/handlers/handlers.hpp"
#include "api/resources/api_failure.hpp"
#include "api/resources/documents.hpp"
#include "api/resources/machine_store.hpp"
#include "api/resources/names.hpp"
#include "api/resources/resource_arn.hpp"

#include <string>

namespace stepline::api {

namespace {

using namespace resources;

store::Resource load_taggable(const ServiceContext& context, const json::Object& body) {
  const ResourceArn parsed = parse_resource_arn(string_member(body, "resourceArn"));
  std::optional<store::Resource> resource;
  if (parsed.kind == ArnKind::StateMachine) {
    resource = context.store->get_resource(store::ResourceKind::StateMachine, parsed.text);
  } else if (parsed.kind == ArnKind::Activity) {
    resource = context.store->get_resource(store::ResourceKind::Activity, parsed.text);
  }
  if (!resource) throw ApiFailure(resource_not_found_named(parsed.text));
  return *resource;
}

json::Object tag_resource(const ServiceContext& context, const json::Object& body) {
  const json::Object added = tags_from_request(body.if_contains("tags"));
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    store::Resource resource = load_taggable(context, body);
    merge_tags(resource.tags, added, resource.arn);
    const store::Version expected = resource.version;
    if (context.store->write_resources({{std::move(resource), expected, false}}).ok) return {};
  }
  throw ApiFailure(conflict("Concurrent modification of the resource's tags"));
}

json::Object untag_resource(const ServiceContext& context, const json::Object& body) {
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    store::Resource resource = load_taggable(context, body);
    if (const json::Value* keys = body.if_contains("tagKeys"); keys && keys->is_array()) {
      for (const json::Value& key : keys->get_array())
        if (key.is_string()) resource.tags.erase(key.get_string());
    }
    const store::Version expected = resource.version;
    if (context.store->write_resources({{std::move(resource), expected, false}}).ok) return {};
  }
  throw ApiFailure(conflict("Concurrent modification of the resource's tags"));
}

json::Object list_tags(const ServiceContext& context, const json::Object& body) {
  json::Object out;
  out["tags"] = tags_to_list(load_taggable(context, body).tags);
  return out;
}

}  // namespace

void register_tag_operations(OperationRegistry& registry, const ServiceContext& context) {
  registry.add_sync("TagResource", sync_operation(context, tag_resource));
  registry.add_sync("UntagResource", sync_operation(context, untag_resource));
  registry.add_sync("ListTagsForResource", sync_operation(context, list_tags));
}

}  // namespace stepline::api
