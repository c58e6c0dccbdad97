#include "api_harness.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace stepline::testing {

std::string Answer::error() const {
  const std::string type = text("__type");
  return type.substr(type.find('#') + 1);
}

std::string Answer::message() const {
  return text("message");
}

std::string Answer::text(std::string_view key) const {
  const json::Value* v = body.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

ApiHarness::ApiHarness(std::unique_ptr<runtime::Runtime> runtime,
                       std::chrono::milliseconds activity_poll)
    : store_(store::open_memory_store()) {
  if (runtime) {
    runtime_ = std::move(runtime);
  } else {
    runtime::RuntimeOptions options;
    options.durable = store_.get();
    options.clock = &clock_;
    options.ids = &ids_;
    options.node_id = "test-node";
    options.threads = 2;
    options.dispatch_threads = 2;
    options.activity_poll = activity_poll;
    runtime_ = runtime::make_runtime(options);
    runtime_->recover();
  }
  context_.store = store_.get();
  context_.runtime = runtime_.get();
  context_.clock = &clock_;
  context_.ids = &ids_;
  registry_ = api::service_registry(api::step_functions_model(), context_);
  dispatcher_ =
      std::make_unique<api::ProtocolDispatcher>(api::step_functions_model(), registry_, ids_);
}

ApiHarness::~ApiHarness() {
  runtime_->shutdown();
}

void ApiHarness::call_async(const std::string& operation, const json::Object& body,
                            std::function<void(Answer)> done) {
  api::HttpRequest request{"POST", "/", "application/x-amz-json-1.0",
                           "AWSStepFunctions." + operation, json::dump(body)};
  dispatcher_->dispatch(request, [done = std::move(done)](api::HttpResponse response) {
    Answer answer;
    answer.status = response.status;
    json::Value parsed = json::parse(response.body);
    if (parsed.is_object()) answer.body = std::move(parsed.get_object());
    done(std::move(answer));
  });
}

Answer ApiHarness::call(const std::string& operation, const json::Object& body) {
  auto promise = std::make_shared<std::promise<Answer>>();
  std::future<Answer> answer = promise->get_future();
  call_async(operation, body, [promise](Answer a) { promise->set_value(std::move(a)); });
  if (answer.wait_for(std::chrono::seconds(20)) != std::future_status::ready) {
    ADD_FAILURE() << operation << " did not answer within 20 s";
    return Answer{};
  }
  return answer.get();
}

std::string ApiHarness::create_machine(const std::string& name, const std::string& definition,
                                       const std::string& type, bool publish) {
  json::Object body{
      {"name", name}, {"definition", definition}, {"roleArn", kRoleArn}, {"type", type}};
  if (publish) body["publish"] = true;
  Answer created = call("CreateStateMachine", body);
  EXPECT_EQ(created.status, 200) << json::dump(created.body);
  return created.text("stateMachineArn");
}

Answer ApiHarness::wait_closed(const std::string& execution_arn) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  Answer described;
  while (std::chrono::steady_clock::now() < deadline) {
    described = call("DescribeExecution", {{"executionArn", execution_arn}});
    if (described.status != 200 || described.text("status") != "RUNNING") return described;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << execution_arn << " still RUNNING after 20 s";
  return described;
}

}  // namespace stepline::testing
