// Local Lambda end to end: real Python, Node and `provided` workers behind the Runtime API,
// driven through the Lambda task invoker as the engine drives it.
#include "common/digest.hpp"
#include "integrations/lambda/lambda_task_invoker.hpp"
#include "integrations/lambda/local_functions.hpp"
#include "lambda_test_support.hpp"

#include <gtest/gtest.h>

#include <future>
#include <set>
#include <thread>

namespace stepline::integrations::lambda {
namespace {

using testing::Scratch;

constexpr const char* kExecution = "arn:aws:states:us-east-1:111111111111:execution:Machine:run-1";

TaskRequest task(const std::string& resource, json::Value input) {
  TaskRequest r;
  r.execution_arn = kExecution;
  r.resource = resource;
  r.input = std::move(input);
  return r;
}

std::string legacy(const std::string& name) {
  return "arn:aws:lambda:us-east-1:111111111111:function:" + name;
}

class LocalLambdaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_.write("py/app.py", R"(import os, time

class ValidationError(Exception):
    pass

def echo(event, context):
    return event

def fail(event, context):
    raise ValidationError("bad order " + str(event.get("id")))

def sleepy(event, context):
    time.sleep(event.get("seconds", 30))
    return "woke"

def pid(event, context):
    # Waits until `n` invocations run at once (each leaves a file), then reports its worker.
    folder = event["folder"]
    open(os.path.join(folder, str(os.getpid())), "w").close()
    deadline = time.time() + 20
    while len(os.listdir(folder)) < event["n"] and time.time() < deadline:
        time.sleep(0.02)
    return {"pid": os.getpid(), "together": len(os.listdir(folder))}

def crash(event, context):
    os._exit(3)

def big(event, context):
    return "a" * (300 * 1024)

def talk(event, context):
    print("processing", event["id"])
    return {}

def unmarshallable(event, context):
    return {"when": object()}

def die_later(event, context):
    import threading
    threading.Timer(0.2, lambda: os._exit(0)).start()
    return os.getpid()

def env(event, context):
    return {"greeting": os.environ.get("GREETING"), "name": context.function_name,
            "remaining": context.get_remaining_time_in_millis() > 0}
)");
    scratch_.write(
        "node/index.js",
        R"(exports.echo = async (event, context) => ({echo: event, fn: context.functionName});
exports.fail = async () => { throw new TypeError('no such order'); };
exports.callback = (event, context, done) => done(null, event.n + 1);
)");
    scratch_.write("node/esm.mjs",
                   "export const handler = async (event) => ({module: 'esm', ...event});\n");
    // A `provided` runtime: any executable that speaks the Runtime API.
    scratch_.write("provided/bootstrap", R"(#!/usr/bin/env python3
import json, os, urllib.request
api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
while True:
    with urllib.request.urlopen(api + "next") as r:
        request_id = r.headers["Lambda-Runtime-Aws-Request-Id"]
        event = json.loads(r.read())
    if event.get("fail"):
        body = json.dumps({"errorMessage": "asked to fail", "errorType": "Custom.Failure"}).encode()
        req = urllib.request.Request(api + request_id + "/error", data=body, method="POST",
            headers={"Lambda-Runtime-Function-Error-Type": "Custom.Failure"})
    else:
        body = json.dumps({"upper": event["text"].upper()}).encode()
        req = urllib.request.Request(api + request_id + "/response", data=body, method="POST")
    urllib.request.urlopen(req).read()
)",
                   true);
    FunctionsFile file;
    auto add = [&](FunctionConfig f) { file.functions.emplace(f.name, std::move(f)); };
    const auto py = scratch_.root() / "py";
    add(testing::function("echo", Runtime::Python, "app.echo", py));
    add(testing::function("fail", Runtime::Python, "app.fail", py));
    add(testing::function("sleepy", Runtime::Python, "app.sleepy", py, 1));
    add(testing::function("pid", Runtime::Python, "app.pid", py, 30, 3));
    add(testing::function("crash", Runtime::Python, "app.crash", py));
    add(testing::function("big", Runtime::Python, "app.big", py));
    add(testing::function("missing", Runtime::Python, "nomodule.handler", py));
    add(testing::function("talk", Runtime::Python, "app.talk", py));
    add(testing::function("unmarshallable", Runtime::Python, "app.unmarshallable", py));
    add(testing::function("die-later", Runtime::Python, "app.die_later", py));
    auto env = testing::function("env", Runtime::Python, "app.env", py);
    env.environment = {{"GREETING", "hello"}};
    add(env);
    const auto node = scratch_.root() / "node";
    add(testing::function("node-echo", Runtime::Node, "index.echo", node));
    add(testing::function("node-fail", Runtime::Node, "index.fail", node));
    add(testing::function("node-callback", Runtime::Node, "index.callback", node));
    add(testing::function("node-esm", Runtime::Node, "esm.handler", node));
    add(testing::function("native", Runtime::Provided, "bootstrap", scratch_.root() / "provided"));
    functions_ = std::make_unique<LocalFunctions>(std::move(file));
    invoker_ = std::make_unique<LambdaTaskInvoker>(*functions_);
  }

  TaskOutcome run(const std::string& resource, const char* input) {
    return invoker_->invoke(task(resource, json::parse(input)));
  }

  Scratch scratch_;
  std::unique_ptr<LocalFunctions> functions_;
  std::unique_ptr<LambdaTaskInvoker> invoker_;
};

TEST_F(LocalLambdaTest, LegacyFormReturnsTheHandlersValueAndWorkersStayWarm) {
  auto first = run(legacy("echo"), R"({"id": 7, "items": [1, 2.5, "x"]})");
  ASSERT_EQ(first.kind, TaskOutcome::Kind::Succeeded) << first.error.cause.value_or("");
  EXPECT_EQ(json::dump(first.output), R"({"id":7,"items":[1,2.5,"x"]})");
  auto second = run(legacy("echo"), R"("text")");
  ASSERT_EQ(second.kind, TaskOutcome::Kind::Succeeded);
  EXPECT_EQ(second.output, json::Value("text"));
  EXPECT_EQ(functions_->live_workers("echo"), 1);
}

TEST_F(LocalLambdaTest, InvokeFormShapesTheResponseAsStepFunctions) {
  auto out =
      run("arn:aws:states:::lambda:invoke", R"({"FunctionName": "echo", "Payload": {"a": 1}})");
  ASSERT_EQ(out.kind, TaskOutcome::Kind::Succeeded) << out.error.cause.value_or("");
  const json::Object& r = out.output.as_object();
  EXPECT_EQ(r.at("ExecutedVersion"), json::Value("$LATEST"));
  EXPECT_EQ(json::dump(r.at("Payload")), R"({"a":1})");
  EXPECT_EQ(r.at("StatusCode"), json::Value(200));
  const auto& http = r.at("SdkHttpMetadata").as_object();
  // Python's json.dumps spacing: {"a": 1} is 8 bytes.
  EXPECT_EQ(http.at("HttpHeaders").as_object().at("Content-Length"), json::Value("8"));
  EXPECT_EQ(r.at("SdkResponseMetadata").as_object().at("RequestId"),
            http.at("HttpHeaders").as_object().at("x-amzn-RequestId"));

  // A string Payload is the body itself; a full ARN names the function too.
  auto text = run("arn:aws:states:::lambda:invoke",
                  R"({"FunctionName": "arn:aws:lambda:us-east-1:111111111111:function:echo",
                      "Payload": "\"raw\""})");
  ASSERT_EQ(text.kind, TaskOutcome::Kind::Succeeded);
  EXPECT_EQ(text.output.as_object().at("Payload"), json::Value("raw"));
}

TEST_F(LocalLambdaTest, EventInvocationsAreAcceptedAndRunInTheBackground) {
  auto out = run("arn:aws:states:::lambda:invoke",
                 R"({"FunctionName": "echo:live", "InvocationType": "Event", "Payload": {}})");
  ASSERT_EQ(out.kind, TaskOutcome::Kind::Succeeded) << out.error.cause.value_or("");
  const json::Object& r = out.output.as_object();
  EXPECT_EQ(r.at("StatusCode"), json::Value(202));
  EXPECT_EQ(r.at("Payload"), json::Value(""));
  EXPECT_FALSE(r.contains("ExecutedVersion"));
}

TEST_F(LocalLambdaTest, WaitForTaskTokenSubmitsTheInvokeResponseAndWaits) {
  auto out = run("arn:aws:states:::lambda:invoke.waitForTaskToken",
                 R"({"FunctionName": "echo", "Payload": {"token": "t-1"}})");
  EXPECT_EQ(out.kind, TaskOutcome::Kind::Pending);
  ASSERT_TRUE(out.submitted);
  EXPECT_EQ(json::dump(out.submitted->as_object().at("Payload")), R"({"token":"t-1"})");
}

TEST_F(LocalLambdaTest, FunctionErrorsCarryErrorTypeAndAwsCauseText) {
  auto legacy_out = run(legacy("fail"), R"({"id": 3})");
  ASSERT_EQ(legacy_out.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(legacy_out.error.error, "ValidationError");
  const std::string cause = *legacy_out.error.cause;
  // Legacy form: Python's spacing; the code folder shows as /var/task.
  EXPECT_EQ(cause.rfind(R"({"errorMessage": "bad order 3", "errorType": "ValidationError", )"
                        R"("requestId": ")",
                        0),
            0u)
      << cause;
  EXPECT_NE(cause.find(R"(  File \"/var/task/app.py\", line 10, in fail\n    raise )"),
            std::string::npos)
      << cause;

  auto invoke_out =
      run("arn:aws:states:::lambda:invoke", R"({"FunctionName": "fail", "Payload": {"id": 4}})");
  ASSERT_EQ(invoke_out.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(invoke_out.error.error, "ValidationError");
  EXPECT_EQ(invoke_out.error.cause->rfind(
                R"({"errorMessage":"bad order 4","errorType":"ValidationError","requestId":")", 0),
            0u)
      << *invoke_out.error.cause;
}

TEST_F(LocalLambdaTest, UnknownFunctionIsLambdasResourceNotFound) {
  auto out = run("arn:aws:states:::lambda:invoke", R"({"FunctionName": "nope"})");
  ASSERT_EQ(out.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(out.error.error, "Lambda.ResourceNotFoundException");
  EXPECT_EQ(out.error.cause->rfind(
                "Function not found: arn:aws:lambda:us-east-1:111111111111:function:nope:$LATEST "
                "(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; "
                "Request ID: ",
                0),
            0u)
      << *out.error.cause;
}

TEST_F(LocalLambdaTest, TimeoutEndsTheWorkerAndTheNextInvocationGetsAFreshOne) {
  auto out = run(legacy("sleepy"), R"({"seconds": 30})");
  ASSERT_EQ(out.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(out.error.error, "Sandbox.Timedout");
  EXPECT_NE(out.error.cause->find("Task timed out after 1.00 seconds"), std::string::npos);
  EXPECT_EQ(functions_->live_workers("sleepy"), 0);
  auto again = run(legacy("sleepy"), R"({"seconds": 0})");
  ASSERT_EQ(again.kind, TaskOutcome::Kind::Succeeded) << again.error.cause.value_or("");
  EXPECT_EQ(again.output, json::Value("woke"));
  EXPECT_EQ(functions_->live_workers("sleepy"), 1);
}

TEST_F(LocalLambdaTest, TaskTimeoutLeavesTheOutcomeToTheEnginesTimer) {
  // The function may run 20 s, the Task only 1 s: the invoker stops waiting and reports
  // "pending", so the engine's own timer ends the Task with States.Timeout.
  FunctionsFile file;
  file.functions.emplace(
      "slow", testing::function("slow", Runtime::Python, "app.sleepy", scratch_.root() / "py", 20));
  LocalFunctions slow(std::move(file));
  LambdaTaskInvoker invoker(slow);
  TaskRequest r = task(legacy("slow"), json::parse(R"({"seconds": 5})"));
  r.timeout_seconds = 1;
  auto out = invoker.invoke(r);
  EXPECT_EQ(out.kind, TaskOutcome::Kind::Pending);
  EXPECT_FALSE(out.submitted);
}

TEST_F(LocalLambdaTest, ConcurrentInvocationsRunOnSeparateWorkers) {
  const auto folder = scratch_.root() / "rendezvous";
  std::filesystem::create_directories(folder);
  const std::string input = R"({"folder": ")" + folder.string() + R"(", "n": 3})";
  std::vector<std::future<TaskOutcome>> calls;
  for (int i = 0; i < 3; ++i) {
    calls.push_back(
        std::async(std::launch::async, [&] { return run(legacy("pid"), input.c_str()); }));
  }
  std::set<long long> pids;
  for (auto& c : calls) {
    TaskOutcome out = c.get();
    ASSERT_EQ(out.kind, TaskOutcome::Kind::Succeeded) << out.error.cause.value_or("");
    EXPECT_EQ(out.output.as_object().at("together"), json::Value(3));
    pids.insert(out.output.as_object().at("pid").as_int64());
  }
  EXPECT_EQ(pids.size(), 3u);
  EXPECT_EQ(functions_->live_workers("pid"), 3);
}

TEST_F(LocalLambdaTest, CrashInitErrorAndOversizedResults) {
  auto crashed = run(legacy("crash"), "{}");
  ASSERT_EQ(crashed.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(crashed.error.error, "Runtime.ExitError");
  EXPECT_NE(crashed.error.cause->find("Runtime exited with error: exit status 3"),
            std::string::npos)
      << *crashed.error.cause;

  auto init = run(legacy("missing"), "{}");
  ASSERT_EQ(init.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(init.error.error, "Runtime.ImportModuleError");
  EXPECT_NE(init.error.cause->find("Unable to import module 'nomodule'"), std::string::npos);

  auto big = run(legacy("big"), "{}");
  ASSERT_EQ(big.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(big.error.error, "States.DataLimitExceeded");
  EXPECT_EQ(*big.error.cause, "The state/task '" + legacy("big") +
                                  "' returned a result with a size exceeding the maximum number "
                                  "of bytes service limit.");
}

TEST_F(LocalLambdaTest, LogTypeTailReturnsTheInvocationsLog) {
  auto out = run("arn:aws:states:::lambda:invoke",
                 R"({"FunctionName": "talk", "Payload": {"id": 12}, "LogType": "Tail"})");
  ASSERT_EQ(out.kind, TaskOutcome::Kind::Succeeded) << out.error.cause.value_or("");
  const json::Object& r = out.output.as_object();
  ASSERT_TRUE(r.contains("LogResult"));
  auto log = digest::base64_decode(r.at("LogResult").as_string());
  ASSERT_TRUE(log);
  const std::string id(r.at("SdkResponseMetadata").as_object().at("RequestId").as_string());
  EXPECT_EQ(log->rfind("START RequestId: " + id +
                           " Version: $LATEST\nprocessing 12\nEND RequestId: " + id +
                           "\nREPORT RequestId: " + id + "\tDuration: ",
                       0),
            0u)
      << *log;
  EXPECT_EQ(
      r.at("SdkHttpMetadata").as_object().at("HttpHeaders").as_object().at("X-Amz-Log-Result"),
      r.at("LogResult"));
}

TEST_F(LocalLambdaTest, UnserialisableResultIsAMarshalError) {
  auto out = run(legacy("unmarshallable"), "{}");
  ASSERT_EQ(out.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(out.error.error, "Runtime.MarshalError");
  EXPECT_NE(out.error.cause->find("Unable to marshal response: Object of type object is not JSON "
                                  "serializable"),
            std::string::npos)
      << *out.error.cause;
}

TEST_F(LocalLambdaTest, AWorkerThatDiedWhileIdleIsReplaced) {
  auto first = run(legacy("die-later"), "{}");
  ASSERT_EQ(first.kind, TaskOutcome::Kind::Succeeded) << first.error.cause.value_or("");
  // Give the idle worker time to exit (0.2 s after answering); nothing here is timed.
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  auto second = run(legacy("die-later"), "{}");
  ASSERT_EQ(second.kind, TaskOutcome::Kind::Succeeded) << second.error.cause.value_or("");
  EXPECT_NE(second.output, first.output);  // another process
  EXPECT_EQ(functions_->live_workers("die-later"), 1);
}

TEST_F(LocalLambdaTest, EnvironmentAndContextReachTheHandler) {
  auto out = run(legacy("env"), "{}");
  ASSERT_EQ(out.kind, TaskOutcome::Kind::Succeeded) << out.error.cause.value_or("");
  EXPECT_EQ(json::dump(out.output), R"({"greeting":"hello","name":"env","remaining":true})");
}

TEST_F(LocalLambdaTest, NodeHandlers) {
  auto out = run(legacy("node-echo"), R"({"x": [1, 2]})");
  ASSERT_EQ(out.kind, TaskOutcome::Kind::Succeeded) << out.error.cause.value_or("");
  EXPECT_EQ(json::dump(out.output), R"({"echo":{"x":[1,2]},"fn":"node-echo"})");

  auto esm = run(legacy("node-esm"), R"({"a": 1})");
  ASSERT_EQ(esm.kind, TaskOutcome::Kind::Succeeded) << esm.error.cause.value_or("");
  EXPECT_EQ(json::dump(esm.output), R"({"module":"esm","a":1})");

  auto cb = run(legacy("node-callback"), R"({"n": 41})");
  ASSERT_EQ(cb.kind, TaskOutcome::Kind::Succeeded) << cb.error.cause.value_or("");
  EXPECT_EQ(cb.output, json::Value(42));

  auto failed = run("arn:aws:states:::lambda:invoke", R"({"FunctionName": "node-fail"})");
  ASSERT_EQ(failed.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(failed.error.error, "TypeError");
  EXPECT_EQ(failed.error.cause->rfind(R"({"errorType":"TypeError","errorMessage":"no such order",)"
                                      R"("trace":["TypeError: no such order",)",
                                      0),
            0u)
      << *failed.error.cause;
}

TEST_F(LocalLambdaTest, ProvidedRuntimeIsAnyExecutableSpeakingTheRuntimeApi) {
  auto out = run(legacy("native"), R"({"text": "shout"})");
  ASSERT_EQ(out.kind, TaskOutcome::Kind::Succeeded) << out.error.cause.value_or("");
  EXPECT_EQ(json::dump(out.output), R"({"upper":"SHOUT"})");
  auto failed = run(legacy("native"), R"({"fail": true})");
  ASSERT_EQ(failed.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(failed.error.error, "Custom.Failure");
  EXPECT_EQ(*failed.error.cause,
            R"({"errorMessage": "asked to fail", "errorType": "Custom.Failure"})");
}

}  // namespace
}  // namespace stepline::integrations::lambda
