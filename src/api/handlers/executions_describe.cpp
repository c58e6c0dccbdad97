// DescribeExecution and DescribeStateMachineForExecution (API.md §4): read straight from the
// store, in the shapes AWS answers per status (recorded responses).
#include "api/handlers/executions_support.hpp"

#include <chrono>
#include <utility>

namespace stepline::api::executions {

namespace {

// AWS keeps a failed execution redrivable for 14 days after it stopped.
constexpr std::chrono::hours kRedriveWindow{14 * 24};
// Redrive needs room for the ExecutionRedriven event under the 25,000-event history cap.
constexpr long long kRedriveHistoryLimit = 24999;

void copy_string_attribute(const json::Object& attributes, std::string_view key,
                           json::Object& out) {
  if (const json::Value* v = attributes.if_contains(key); v && v->is_string()) out[key] = *v;
}

void add_redrive_status(const store::ExecutionRecord& record, TimePoint now, json::Object& out) {
  const store::ExecutionSummary& summary = record.summary;
  if (summary.status == "RUNNING" || summary.status == "SUCCEEDED") {
    out["redriveStatus"] = "NOT_REDRIVABLE";
    out["redriveStatusReason"] = "Execution is " + summary.status + " and cannot be redriven";
    return;
  }
  if (summary.stop_date && now - *summary.stop_date > kRedriveWindow) {
    out["redriveStatus"] = "NOT_REDRIVABLE";
    out["redriveStatusReason"] = "Execution stopped more than 14 days ago and cannot be redriven";
    return;
  }
  if (record.history_length >= kRedriveHistoryLimit) {
    out["redriveStatus"] = "NOT_REDRIVABLE";
    out["redriveStatusReason"] =
        "Execution history event limit exceeded: the execution cannot be redriven";
    return;
  }
  out["redriveStatus"] = "REDRIVABLE";
}

json::Object describe(const store::ExecutionRecord& record, TimePoint now, bool include_data) {
  const store::ExecutionSummary& summary = record.summary;
  const json::Object& attributes = summary.attributes;
  json::Object out;
  out["executionArn"] = summary.arn;
  out["stateMachineArn"] = summary.state_machine_arn;
  out["name"] = summary.name;
  out["status"] = summary.status;
  out["startDate"] = timestamp(summary.start_date);
  if (summary.stop_date) out["stopDate"] = timestamp(*summary.stop_date);
  if (include_data) out["input"] = record.input;
  out["inputDetails"] = json::Object{{"included", include_data}};
  if (const json::Value* output = attributes.if_contains(attribute::kOutput);
      output && output->is_string() && summary.status == "SUCCEEDED") {
    if (include_data) out["output"] = *output;
    out["outputDetails"] = json::Object{{"included", include_data}};
  }
  copy_string_attribute(attributes, attribute::kTraceHeader, out);
  copy_string_attribute(attributes, attribute::kError, out);
  copy_string_attribute(attributes, attribute::kCause, out);
  copy_string_attribute(attributes, attribute::kVersionArn, out);
  copy_string_attribute(attributes, attribute::kAliasArn, out);
  const json::Value* redrive_count = attributes.if_contains(attribute::kRedriveCount);
  out["redriveCount"] = redrive_count && redrive_count->is_int64() ? redrive_count->get_int64() : 0;
  add_redrive_status(record, now, out);
  return out;
}

// The execution's record, or AWS's error for its ARN.
std::variant<store::ExecutionRecord, ApiError> load(const ServiceContext& context,
                                                    const json::Object& body) {
  const std::string arn = string_member(body, "executionArn").value_or("");
  if (auto error = check_execution_arn(arn)) return std::move(*error);
  std::optional<store::ExecutionRecord> record = context.store->load_execution(arn);
  if (!record) return execution_does_not_exist(arn);
  return std::move(*record);
}

ApiOutcome describe_execution(const ServiceContext& context, const ApiRequest& call) {
  std::variant<store::ExecutionRecord, ApiError> record = load(context, call.body);
  if (auto* error = std::get_if<ApiError>(&record)) return std::move(*error);
  const bool include_data = string_member(call.body, "includedData") != "METADATA_ONLY";
  return describe(std::get<store::ExecutionRecord>(record), context.clock->now(), include_data);
}

// The document that describes what the execution ran: the revision it started with, or the state
// machine itself for executions recorded without one.
std::optional<store::Resource> revision_of(const ServiceContext& context,
                                           const store::ExecutionSummary& summary) {
  if (const json::Value* revision = summary.attributes.if_contains(attribute::kRevisionArn);
      revision && revision->is_string()) {
    if (auto found = context.store->get_resource(store::ResourceKind::Revision,
                                                 std::string(revision->get_string())))
      return found;
  }
  return context.store->get_resource(store::ResourceKind::StateMachine, summary.state_machine_arn);
}

ApiOutcome describe_state_machine_for_execution(const ServiceContext& context,
                                                const ApiRequest& call) {
  std::variant<store::ExecutionRecord, ApiError> loaded = load(context, call.body);
  if (auto* error = std::get_if<ApiError>(&loaded)) return std::move(*error);
  const store::ExecutionRecord& record = std::get<store::ExecutionRecord>(loaded);
  std::optional<store::Resource> revision = revision_of(context, record.summary);
  if (!revision || !revision->document.is_object())
    return internal_failure("the definition of this execution is no longer stored");
  const json::Object& document = revision->document.get_object();

  json::Object out;
  out["stateMachineArn"] = record.summary.state_machine_arn;
  const std::string_view machine_arn = record.summary.state_machine_arn;
  out["name"] = std::string(machine_arn.substr(machine_arn.rfind(':') + 1));
  for (std::string_view key : {"definition", "roleArn"})
    if (const json::Value* v = document.if_contains(key)) out[key] = *v;
  // A revision is dated by its last update, a never-updated machine by its creation.
  if (const json::Value* v = document.if_contains("updateDate"))
    out["updateDate"] = *v;
  else if (const json::Value* created = document.if_contains("creationDate"))
    out["updateDate"] = *created;
  for (std::string_view key : {"loggingConfiguration", "tracingConfiguration", "revisionId",
                               "encryptionConfiguration", "variableReferences"})
    if (const json::Value* v = document.if_contains(key); v && !v->is_null()) out[key] = *v;
  return out;
}

}  // namespace

void register_execution_descriptions(OperationRegistry& registry, const ServiceContext& context) {
  registry.add_sync("DescribeExecution", [context](const ApiRequest& call) {
    return describe_execution(context, call);
  });
  registry.add_sync("DescribeStateMachineForExecution", [context](const ApiRequest& call) {
    return describe_state_machine_for_execution(context, call);
  });
}

}  // namespace stepline::api::executions
