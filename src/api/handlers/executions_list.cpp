// ListExecutions and GetExecutionHistory (API.md §4, §6): pages read from the store. Listing
// through a version or alias ARN keeps only the executions started through it, so those pages
// are filled from as many store pages as it takes while the store's own token stays the cursor.
#include "api/handlers/executions_support.hpp"
#include "api/resources/api_failure.hpp"
#include "api/resources/resource_arn.hpp"

#include <utility>
#include <variant>

namespace stepline::api::executions {

namespace {

// Which executions a ListExecutions call asks for.
struct Selection {
  std::string machine_arn;    // the unqualified state machine
  std::string attribute;      // empty, or the attribute that must equal `qualified_arn`
  std::string qualified_arn;  // the version or alias ARN
};

bool is_express(const store::Resource& machine) {
  const json::Value* type =
      machine.document.is_object() ? machine.document.get_object().if_contains("type") : nullptr;
  return type && type->is_string() && type->get_string() == "EXPRESS";
}

std::variant<Selection, ApiError> select(const ServiceContext& context, const std::string& arn) {
  resources::ResourceArn parsed;
  try {
    parsed = resources::parse_state_machine_family(arn);
  } catch (const resources::ApiFailure& failure) {
    return failure.error();
  }
  Selection selection{parsed.machine_arn, "", ""};
  switch (parsed.kind) {
    case resources::ArnKind::Version:
      if (!context.store->get_resource(store::ResourceKind::Version, arn))
        return state_machine_does_not_exist(arn);
      selection.attribute = attribute::kVersionArn;
      selection.qualified_arn = arn;
      break;
    case resources::ArnKind::Alias:
      if (!context.store->get_resource(store::ResourceKind::Alias, arn))
        return state_machine_does_not_exist(arn);
      selection.attribute = attribute::kAliasArn;
      selection.qualified_arn = arn;
      break;
    case resources::ArnKind::Labelled:
      // Distributed Map child workflows are listed through their Map Run (mapRunArn).
      return resources::labelled_arn_not_supported(arn);
    default:
      break;
  }
  std::optional<store::Resource> machine =
      context.store->get_resource(store::ResourceKind::StateMachine, parsed.machine_arn);
  if (!machine) return state_machine_does_not_exist(arn);
  if (is_express(*machine)) return state_machine_type_not_supported();
  return selection;
}

json::Object list_item(const store::ExecutionSummary& summary) {
  json::Object item;
  item["executionArn"] = summary.arn;
  item["stateMachineArn"] = summary.state_machine_arn;
  item["name"] = summary.name;
  item["status"] = summary.status;
  item["startDate"] = timestamp(summary.start_date);
  if (summary.stop_date) item["stopDate"] = timestamp(*summary.stop_date);
  for (std::string_view key : {attribute::kVersionArn, attribute::kAliasArn})
    if (const json::Value* v = summary.attributes.if_contains(key); v && v->is_string())
      item[key] = *v;
  const json::Value* redrive_count = summary.attributes.if_contains(attribute::kRedriveCount);
  item["redriveCount"] =
      redrive_count && redrive_count->is_int64() ? redrive_count->get_int64() : 0;
  return item;
}

bool selected(const Selection& selection, const store::ExecutionSummary& summary) {
  if (selection.attribute.empty()) return true;
  const json::Value* v = summary.attributes.if_contains(selection.attribute);
  return v && v->is_string() && v->get_string() == selection.qualified_arn;
}

ApiOutcome list_executions(const ServiceContext& context, const ApiRequest& call) {
  const json::Object& body = call.body;
  const std::optional<std::string> machine_arn = string_member(body, "stateMachineArn");
  const std::optional<std::string> map_run_arn = string_member(body, "mapRunArn");
  const std::string status = string_member(body, "statusFilter").value_or("");
  if (machine_arn.has_value() == map_run_arn.has_value())
    return validation_error("Must provide a StateMachine ARN or MapRun ARN");
  if (machine_arn && (status == "PENDING_REDRIVE" || body.contains("redriveFilter")))
    return validation_error(
        "The statusFilter PENDING_REDRIVE and the redriveFilter are only valid with a Map Run "
        "ARN");
  if (map_run_arn) {
    if (map_run_arn->substr(0, 4) != "arn:")
      return invalid_arn("Invalid ARN prefix: " + *map_run_arn);
    // Map Runs (Distributed Map) are not recorded by this store, so none can be found.
    return resources::resource_not_found_named(*map_run_arn);
  }

  std::variant<Selection, ApiError> chosen = select(context, *machine_arn);
  if (auto* error = std::get_if<ApiError>(&chosen)) return std::move(*error);
  const Selection& selection = std::get<Selection>(chosen);

  store::PageRequest page = page_request(body);
  const std::size_t wanted = page.limit;
  store::ExecutionFilter filter{selection.machine_arn, status};
  json::Array items;
  std::string next_token;
  try {
    // Ask the store for no more than the rows still missing, so that its token, taken after the
    // last row read, is exactly where the next page starts.
    while (true) {
      page.limit = wanted - items.size();
      store::Page<store::ExecutionSummary> rows = context.store->list_executions(filter, page);
      for (const store::ExecutionSummary& summary : rows.items)
        if (selected(selection, summary)) items.push_back(list_item(summary));
      next_token = rows.next_token;
      if (next_token.empty() || items.size() >= wanted) break;
      page.token = next_token;
    }
  } catch (const store::InvalidPageToken&) {
    return invalid_page_token("Invalid token");
  }
  json::Object out{{"executions", std::move(items)}};
  if (!next_token.empty()) out["nextToken"] = next_token;
  return out;
}

// includeExecutionData:false keeps every event and its *Details flags but not the payloads.
void drop_payloads(json::Value& event) {
  if (!event.is_object()) return;
  for (auto& member : event.get_object()) {
    if (!member.value().is_object() || !std::string_view(member.key()).ends_with("EventDetails"))
      continue;
    json::Object& details = member.value().get_object();
    details.erase("input");
    details.erase("output");
  }
}

ApiOutcome get_execution_history(const ServiceContext& context, const ApiRequest& call) {
  const json::Object& body = call.body;
  const std::string arn = string_member(body, "executionArn").value_or("");
  if (auto error = check_execution_arn(arn)) return std::move(*error);
  if (!context.store->load_execution(arn)) return execution_does_not_exist(arn);
  store::PageRequest page = page_request(body);
  page.reverse = bool_member(body, "reverseOrder", false);
  store::Page<json::Value> events;
  try {
    events = context.store->read_history(arn, page);
  } catch (const store::InvalidPageToken&) {
    return invalid_page_token("Invalid token");
  }
  if (!bool_member(body, "includeExecutionData", true))
    for (json::Value& event : events.items) drop_payloads(event);
  json::Array list(events.items.begin(), events.items.end());
  json::Object out{{"events", std::move(list)}};
  if (!events.next_token.empty()) out["nextToken"] = events.next_token;
  return out;
}

}  // namespace

void register_execution_listings(OperationRegistry& registry, const ServiceContext& context) {
  registry.add_sync("ListExecutions",
                    [context](const ApiRequest& call) { return list_executions(context, call); });
  registry.add_sync("GetExecutionHistory", [context](const ApiRequest& call) {
    return get_execution_history(context, call);
  });
}

}  // namespace stepline::api::executions
