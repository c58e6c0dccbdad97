// TestState (API.md §4): runs one state in-process through engine::test_state; needs neither the
// store nor the runtime.
#include "api/handlers/handlers.hpp"
#include "engine/test_state.hpp"

#include <chrono>
#include <cstdlib>
#include <string>

namespace stepline::api {

namespace {

std::optional<std::string> text_member(const json::Object& body, std::string_view key) {
  const json::Value* v = body.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<long long> integer_member(const json::Object& body, std::string_view key) {
  const json::Value* v = body.if_contains(key);
  if (v && v->is_int64()) return v->as_int64();
  if (v && v->is_uint64()) return static_cast<long long>(v->as_uint64());
  return std::nullopt;
}

engine::TestStateRequest read_request(const json::Object& body) {
  engine::TestStateRequest r;
  r.definition = text_member(body, "definition").value_or("");
  r.role_arn = text_member(body, "roleArn");
  r.input = text_member(body, "input");
  r.inspection_level = text_member(body, "inspectionLevel").value_or("INFO");
  if (const json::Value* v = body.if_contains("revealSecrets"); v && v->is_bool()) {
    r.reveal_secrets = v->as_bool();
  }
  r.variables = text_member(body, "variables");
  r.state_name = text_member(body, "stateName");
  r.context = text_member(body, "context");
  if (const json::Value* m = body.if_contains("mock"); m && m->is_object()) {
    const json::Object& mock = m->as_object();
    engine::TestStateMock out;
    out.result = text_member(mock, "result");
    if (const json::Value* e = mock.if_contains("errorOutput"); e && e->is_object()) {
      out.error_output =
          StatesError{text_member(e->as_object(), "error"), text_member(e->as_object(), "cause")};
    }
    out.field_validation_mode = text_member(mock, "fieldValidationMode").value_or("STRICT");
    r.mock = std::move(out);
  }
  if (const json::Value* c = body.if_contains("stateConfiguration"); c && c->is_object()) {
    const json::Object& config = c->as_object();
    r.retrier_retry_count = integer_member(config, "retrierRetryCount");
    r.error_caused_by_state = text_member(config, "errorCausedByState");
    r.map_iteration_failure_count = integer_member(config, "mapIterationFailureCount");
    r.map_item_reader_data = text_member(config, "mapItemReaderData");
  }
  return r;
}

}  // namespace

void register_test_state_operation(OperationRegistry& registry, const ServiceContext& context) {
  registry.add_sync("TestState", [context](const ApiRequest& request) -> ApiOutcome {
    // Without the service's id source the test still gets distinct names.
    RandomIdSource fallback_ids;
    engine::TestStateEnvironment env;
    env.region = context.region;
    env.account = context.account;
    env.now = context.clock
                  ? context.clock->now()
                  : std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
    env.ids = context.ids ? context.ids : &fallback_ids;
    env.invoker = context.invoker;
    // Where the AWS service models for mock result checks live, when not botocore's.
    if (const char* dir = std::getenv("STEPLINE_SERVICE_MODELS_DIR")) env.service_models_dir = dir;
    engine::TestStateOutcome outcome = engine::test_state(read_request(request.body), env);
    if (auto* rejection = std::get_if<engine::TestStateRejection>(&outcome)) {
      return ApiError{rejection->type, rejection->message, 400, {}};
    }
    return std::move(std::get<json::Object>(outcome));
  });
}

}  // namespace stepline::api
