// CreateActivity, DescribeActivity, ListActivities and DeleteActivity (API.md §4). Activity
// tasks themselves (GetActivityTask, SendTask*) belong to the runtime.
#include "api/handlers/handlers.hpp"
#include "api/resources/api_failure.hpp"
#include "api/resources/documents.hpp"
#include "api/resources/machine_config.hpp"
#include "api/resources/machine_store.hpp"
#include "api/resources/names.hpp"
#include "api/resources/paging.hpp"
#include "api/resources/resource_arn.hpp"

#include <string>

namespace stepline::api {

namespace {

using namespace resources;

// AWS's quota of registered activities (LOCAL.md §4, the current documentation's figure).
constexpr long long kMaxActivities = 100000;

json::Object create_activity(const ServiceContext& context, const json::Object& body) {
  const std::string name = string_member(body, "name");
  require_valid_name(name);
  const std::string arn = activity_arn(context, name);
  const json::Object tags = tags_from_request(body.if_contains("tags"));
  if (tags.size() > kMaxTags) throw ApiFailure(too_many_tags(arn));
  const json::Value encryption = normalize_encryption(body.if_contains("encryptionConfiguration"));
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    // Idempotent on the name: a repeat returns the existing activity, ignoring tags/encryption.
    if (std::optional<store::Resource> existing =
            context.store->get_resource(store::ResourceKind::Activity, arn)) {
      json::Object out;
      out["activityArn"] = arn;
      out["creationDate"] = number_member(existing->document.as_object(), "creationDate");
      return out;
    }
    if (context.store->counts().activities >= kMaxActivities) {
      throw ApiFailure(ApiError{"ActivityLimitExceeded",
                                "Activity Limit Exceeded: the maximum number of activities for "
                                "this account and region has been reached",
                                400,
                                {}});
    }
    const double now = now_seconds(context);
    json::Object doc;
    doc["activityArn"] = arn;
    doc["name"] = name;
    doc["creationDate"] = now;
    doc["encryptionConfiguration"] = encryption;
    store::Resource activity;
    activity.kind = store::ResourceKind::Activity;
    activity.arn = arn;
    activity.name = name;
    activity.document = std::move(doc);
    activity.tags = tags;
    if (!context.store->write_resources({{std::move(activity), 0, false}}).ok) continue;
    json::Object out;
    out["activityArn"] = arn;
    out["creationDate"] = now;
    return out;
  }
  throw ApiFailure(conflict("Concurrent creation of activity '" + arn + "'"));
}

json::Object describe_activity(const ServiceContext& context, const json::Object& body) {
  const ResourceArn parsed = parse_activity_arn(string_member(body, "activityArn"));
  std::optional<store::Resource> activity =
      context.store->get_resource(store::ResourceKind::Activity, parsed.text);
  if (!activity) throw ApiFailure(activity_does_not_exist(parsed.text));
  return activity->document.as_object();
}

json::Object list_activities(const ServiceContext& context, const json::Object& body) {
  const store::Page<store::Resource> page =
      list_page(*context.store, store::ResourceKind::Activity, "", page_request(body));
  json::Array items;
  for (const store::Resource& resource : page.items) {
    json::Object item;
    item["activityArn"] = resource.arn;
    item["name"] = resource.name;
    item["creationDate"] = number_member(resource.document.as_object(), "creationDate");
    items.push_back(std::move(item));
  }
  return list_answer("activities", std::move(items), page.next_token);
}

json::Object delete_activity(const ServiceContext& context, const json::Object& body) {
  const ResourceArn parsed = parse_activity_arn(string_member(body, "activityArn"));
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    std::optional<store::Resource> activity =
        context.store->get_resource(store::ResourceKind::Activity, parsed.text);
    if (!activity) return {};  // AWS answers 200 for a second delete too
    if (context.store->write_resources({{*activity, activity->version, true}}).ok) return {};
  }
  throw ApiFailure(conflict("Concurrent modification of activity '" + parsed.text + "'"));
}

}  // namespace

void register_activity_operations(OperationRegistry& registry, const ServiceContext& context) {
  registry.add_sync("CreateActivity", sync_operation(context, create_activity));
  registry.add_sync("DescribeActivity", sync_operation(context, describe_activity));
  registry.add_sync("ListActivities", sync_operation(context, list_activities));
  registry.add_sync("DeleteActivity", sync_operation(context, delete_activity));
}

}  // namespace stepline::api
