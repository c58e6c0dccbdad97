// The HTTP Task against a local HTTP server: request shape, authentication from each connection
// type (an OAuth token endpoint included), the result, and States.Http.StatusCode.NNN errors.
#include "common/clock.hpp"
#include "common/digest.hpp"
#include "common/ids.hpp"
#include "engine/run.hpp"
#include "http_peer.hpp"
#include "integrations/http/http_task_invoker.hpp"
#include "integrations/routing/task_router.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace stepline::integrations::http {
namespace {

using testing::HttpPeer;
using testing::PeerRequest;
using testing::PeerResponse;

PeerResponse json_reply(const std::string& body) {
  return {200, "OK", {{"Content-Type", "application/json"}, {"X-Trace", "t-1"}}, body};
}

TaskRequest task(const std::string& input_json) {
  TaskRequest r;
  r.execution_arn = "arn:aws:states:us-east-1:123456789012:execution:m:e";
  r.state_name = "Call";
  r.resource = "arn:aws:states:::http:invoke";
  r.input = json::parse(input_json);
  return r;
}

Connections connections(const std::string& text) {
  return Connections::from_json(json::parse(text), "test");
}

TEST(HttpTask, SendsMethodHeadersQueryAndJsonBody) {
  HttpPeer peer([](const PeerRequest&) { return json_reply(R"({"ok":true,"n":1})"); });
  HttpTaskInvoker invoker{Connections{}};
  auto outcome = invoker.invoke(task(R"({"ApiEndpoint":")" + peer.url() + R"(/orders",
      "Method":"POST","Headers":{"X-Custom":"v1"},"QueryParameters":{"q":"a b","page":"2"},
      "RequestBody":{"item":"book","count":3}})"));
  ASSERT_EQ(outcome.kind, TaskOutcome::Kind::Succeeded) << outcome.error.cause.value_or("");
  const PeerRequest seen = peer.last();
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/orders?page=2&q=a%20b");
  EXPECT_EQ(seen.header("X-Custom"), "v1");
  EXPECT_EQ(seen.header("Content-Type"), "application/json");
  EXPECT_TRUE(json::equal(json::parse(seen.body), json::parse(R"({"item":"book","count":3})")));
  const json::Value expected = json::parse(R"({"Headers":{"content-length":["17"],
      "connection":["close"],"content-type":["application/json"],"x-trace":["t-1"]},
      "ResponseBody":{"ok":true,"n":1},"StatusCode":200,"StatusText":"OK"})");
  EXPECT_TRUE(json::equal(outcome.output, expected)) << json::dump(outcome.output);
}

TEST(HttpTask, EveryMethodReachesTheServer) {
  HttpPeer peer([](const PeerRequest&) { return PeerResponse{200, "OK", {}, "plain text"}; });
  HttpTaskInvoker invoker{Connections{}};
  for (const std::string method : {"GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}) {
    auto outcome = invoker.invoke(
        task(R"({"ApiEndpoint":")" + peer.url() + R"(/x","Method":")" + method + R"("})"));
    ASSERT_EQ(outcome.kind, TaskOutcome::Kind::Succeeded) << method;
    EXPECT_EQ(peer.last().method, method);
    const json::Value& body = outcome.output.as_object().at("ResponseBody");
    EXPECT_EQ(body.as_string(), method == "HEAD" ? "" : "plain text") << method;
  }
}

TEST(HttpTask, UrlEncodedBodyWithEachArrayFormat) {
  HttpPeer peer([](const PeerRequest&) { return json_reply("{}"); });
  HttpTaskInvoker invoker{Connections{}};
  const std::string body = R"("RequestBody":{"name":"a&b","tags":["x","y"],"meta":{"k":"v"}})";
  const std::pair<std::string, std::string> cases[] = {
      {"INDICES", "meta%5Bk%5D=v&name=a%26b&tags%5B0%5D=x&tags%5B1%5D=y"},
      {"REPEAT", "meta%5Bk%5D=v&name=a%26b&tags=x&tags=y"},
      {"COMMAS", "meta%5Bk%5D=v&name=a%26b&tags=x%2Cy"},
      {"BRACKETS", "meta%5Bk%5D=v&name=a%26b&tags%5B%5D=x&tags%5B%5D=y"},
  };
  for (const auto& [format, expected] : cases) {
    auto outcome = invoker.invoke(task(
        R"({"ApiEndpoint":")" + peer.url() + R"(","Method":"POST",)" + body +
        R"(,"Transform":{"RequestBodyEncoding":"URL_ENCODED","RequestEncodingOptions":{"ArrayFormat":")" +
        format + R"("}}})"));
    ASSERT_EQ(outcome.kind, TaskOutcome::Kind::Succeeded) << format;
    EXPECT_EQ(peer.last().header("Content-Type"), "application/x-www-form-urlencoded");
    // Members in the order the object holds them.
    auto sorted = [](std::string s) {
      std::vector<std::string> parts;
      std::size_t at = 0;
      for (;;) {
        auto amp = s.find('&', at);
        parts.push_back(s.substr(at, amp - at));
        if (amp == std::string::npos) break;
        at = amp + 1;
      }
      std::stable_sort(parts.begin(), parts.end(), [](const std::string& a, const std::string& b) {
        return a.substr(0, a.find('=')) < b.substr(0, b.find('='));
      });
      std::string out;
      for (auto& p : parts) out += (out.empty() ? "" : "&") + p;
      return out;
    };
    EXPECT_EQ(sorted(peer.last().body), expected) << format;
  }
}

TEST(HttpTask, ApiKeyAndBasicConnections) {
  HttpPeer peer([](const PeerRequest&) { return json_reply("{}"); });
  HttpTaskInvoker invoker(connections(R"({"connections":{
      "keyed":{"type":"API_KEY","apiKeyName":"x-api-key","apiKeyValue":"s3cret",
               "invocationHttpParameters":{"headerParameters":{"X-From-Connection":"yes"},
                                           "queryStringParameters":{"tenant":"t1"}}},
      "arn:aws:events:us-east-1:123456789012:connection/basic/0000":
               {"type":"BASIC","username":"ann","password":"pw"}}})"));
  auto keyed = invoker.invoke(task(R"({"ApiEndpoint":")" + peer.url() +
                                   R"(/k","Method":"GET","Authentication":{"ConnectionArn":
      "arn:aws:events:us-east-1:123456789012:connection/keyed/1234-abcd"}})"));
  ASSERT_EQ(keyed.kind, TaskOutcome::Kind::Succeeded) << keyed.error.cause.value_or("");
  EXPECT_EQ(peer.last().header("x-api-key"), "s3cret");
  EXPECT_EQ(peer.last().header("X-From-Connection"), "yes");
  EXPECT_EQ(peer.last().target, "/k?tenant=t1");

  auto basic = invoker.invoke(task(R"({"ApiEndpoint":")" + peer.url() +
                                   R"(/b","Method":"GET","Authentication":{"ConnectionArn":
      "arn:aws:events:us-east-1:123456789012:connection/basic/0000"}})"));
  ASSERT_EQ(basic.kind, TaskOutcome::Kind::Succeeded);
  EXPECT_EQ(peer.last().header("Authorization"), "Basic " + digest::base64_encode("ann:pw"));
}

TEST(HttpTask, OAuthClientCredentialsFetchesAndReusesTheToken) {
  HttpPeer peer([](const PeerRequest& r) {
    if (r.target.rfind("/token", 0) == 0) {
      return json_reply(R"({"access_token":"tok-1","token_type":"Bearer","expires_in":3600})");
    }
    return json_reply(R"({"called":true})");
  });
  HttpTaskInvoker invoker(connections(R"({"connections":{"oauth":{
      "type":"OAUTH_CLIENT_CREDENTIALS","authorizationEndpoint":")" +
                                      peer.url() +
                                      R"(/token","clientId":"cid","clientSecret":"csec",
      "oauthHttpParameters":{"bodyParameters":{"audience":"api"}}}}})"));
  const std::string input = R"({"ApiEndpoint":")" + peer.url() +
                            R"(/api","Method":"GET","Authentication":{"ConnectionArn":"oauth"}})";
  ASSERT_EQ(invoker.invoke(task(input)).kind, TaskOutcome::Kind::Succeeded);
  ASSERT_EQ(invoker.invoke(task(input)).kind, TaskOutcome::Kind::Succeeded);
  const auto seen = peer.requests();
  ASSERT_EQ(seen.size(), 3u);  // one token request, then two calls
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].header("Authorization"), "Basic " + digest::base64_encode("cid:csec"));
  EXPECT_NE(seen[0].body.find("grant_type=client_credentials"), std::string::npos);
  EXPECT_NE(seen[0].body.find("audience=api"), std::string::npos);
  EXPECT_EQ(seen[1].header("Authorization"), "Bearer tok-1");
  EXPECT_EQ(seen[2].header("Authorization"), "Bearer tok-1");
}

TEST(HttpTask, OAuthRefusalFailsTheTask) {
  HttpPeer peer([](const PeerRequest&) {
    return PeerResponse{401, "Unauthorized", {}, R"({"error":"invalid_client"})"};
  });
  HttpTaskInvoker invoker(connections(R"({"connections":{"oauth":{
      "type":"OAUTH_CLIENT_CREDENTIALS","authorizationEndpoint":")" +
                                      peer.url() +
                                      R"(/token","clientId":"c","clientSecret":"s"}}})"));
  auto outcome =
      invoker.invoke(task(R"({"ApiEndpoint":")" + peer.url() +
                          R"(/api","Method":"GET","Authentication":{"ConnectionArn":"oauth"}})"));
  ASSERT_EQ(outcome.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(outcome.error.error, "States.Http.StatusCode.401");
  EXPECT_EQ(peer.requests().size(), 1u);  // the API itself is never called
}

TEST(HttpTask, ErrorStatusesBecomeStatesHttpStatusCodeErrors) {
  HttpPeer peer([](const PeerRequest& r) {
    if (r.target == "/missing") {
      return PeerResponse{404,
                          "Not Found",
                          {{"Content-Type", "application/json"}},
                          R"({"message":"no such order"})"};
    }
    return PeerResponse{503, "Service Unavailable", {}, "try later"};
  });
  HttpTaskInvoker invoker{Connections{}};
  auto missing =
      invoker.invoke(task(R"({"ApiEndpoint":")" + peer.url() + R"(/missing","Method":"GET"})"));
  ASSERT_EQ(missing.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(missing.error.error, "States.Http.StatusCode.404");
  const json::Value cause = json::parse(*missing.error.cause);
  EXPECT_EQ(cause.as_object().at("StatusCode").as_int64(), 404);
  EXPECT_EQ(cause.as_object().at("StatusText").as_string(), "Not Found");
  EXPECT_TRUE(json::equal(cause.as_object().at("ResponseBody"),
                          json::parse(R"({"message":"no such order"})")));

  auto unavailable =
      invoker.invoke(task(R"({"ApiEndpoint":")" + peer.url() + R"(/busy","Method":"GET"})"));
  ASSERT_EQ(unavailable.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(unavailable.error.error, "States.Http.StatusCode.503");
}

TEST(HttpTask, BadInputAndMissingConfigurationAreReported) {
  HttpTaskInvoker invoker{Connections{}};
  auto no_endpoint = invoker.invoke(task(R"({"Method":"GET"})"));
  ASSERT_EQ(no_endpoint.kind, TaskOutcome::Kind::Failed);
  EXPECT_EQ(no_endpoint.error.error, "States.Runtime");
  EXPECT_NE(no_endpoint.error.cause->find("ApiEndpoint"), std::string::npos);

  auto bad_method =
      invoker.invoke(task(R"({"ApiEndpoint":"http://127.0.0.1:1","Method":"FETCH"})"));
  EXPECT_EQ(bad_method.error.error, "States.Runtime");

  auto injected = invoker.invoke(task(
      R"({"ApiEndpoint":"http://127.0.0.1:1","Method":"GET","Headers":{"X-A":"v\r\nX-B: w"}})"));
  EXPECT_EQ(injected.error.error, "States.Runtime");

  auto no_connection = invoker.invoke(task(
      R"({"ApiEndpoint":"http://127.0.0.1:1","Method":"GET","Authentication":{"ConnectionArn":"nope"}})"));
  EXPECT_EQ(no_connection.error.error, "States.Runtime");
  EXPECT_NE(no_connection.error.cause->find("--connections"), std::string::npos);

  // Port 1 on the loopback refuses connections.
  auto refused = invoker.invoke(task(R"({"ApiEndpoint":"http://127.0.0.1:1/","Method":"GET"})"));
  EXPECT_EQ(refused.error.error, "States.Http.Socket");
}

TEST(HttpTask, ConnectionsFileProblemsNameTheEntry) {
  EXPECT_THROW(connections(R"({"connections":{"c":{"type":"DIGEST"}}})"), ConnectionsError);
  EXPECT_THROW(connections(R"({"connections":{"c":{"type":"BASIC","username":"u"}}})"),
               ConnectionsError);
  EXPECT_THROW(connections(R"({"other":{}})"), ConnectionsError);
  IntegrationOptions options;
  options.connections_file = "/nonexistent/connections.json";
  EXPECT_THROW(make_task_invoker(options), IntegrationConfigError);
}

TEST(HttpTask, TheRouterRunsHttpTasksWithoutConfiguration) {
  HttpPeer peer([](const PeerRequest&) { return json_reply(R"([1,2])"); });
  auto router = make_task_invoker({});
  auto outcome = router->invoke(task(R"({"ApiEndpoint":")" + peer.url() + R"(","Method":"GET"})"));
  ASSERT_EQ(outcome.kind, TaskOutcome::Kind::Succeeded);
  EXPECT_TRUE(json::equal(outcome.output.as_object().at("ResponseBody"), json::parse("[1,2]")));
}

engine::RunResult run_with_router(const std::string& definition) {
  auto router = make_task_invoker({});
  ManualClock clock(TimePoint{std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}});
  RandomIdSource ids(7);
  engine::RunOptions options;
  options.input = json::Object();
  options.clock = &clock;
  options.ids = &ids;
  options.invoker = router.get();
  return engine::run_definition(json::parse(definition), options);
}

TEST(HttpTask, WholeExecutionCatchesStatusCodeErrorsAndTimesOut) {
  HttpPeer peer([](const PeerRequest& r) {
    if (r.target == "/slow") std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    return PeerResponse{404, "Not Found", {}, "gone"};
  });
  auto caught = run_with_router(R"({"StartAt":"Call","States":{"Call":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","Parameters":{"ApiEndpoint":")" +
                                peer.url() + R"(/x","Method":"GET"},
      "Catch":[{"ErrorEquals":["States.Http.StatusCode.404"],"Next":"Gone"}],"End":true},
      "Gone":{"Type":"Pass","End":true}}})");
  ASSERT_EQ(caught.status, "SUCCEEDED") << caught.cause.value_or("");
  EXPECT_EQ(caught.output->as_object().at("Error").as_string(), "States.Http.StatusCode.404");

  auto timed_out = run_with_router(R"({"StartAt":"Call","States":{"Call":{"Type":"Task",
      "Resource":"arn:aws:states:::http:invoke","TimeoutSeconds":1,
      "Parameters":{"ApiEndpoint":")" +
                                   peer.url() + R"(/slow","Method":"GET"},"End":true}}})");
  EXPECT_EQ(timed_out.status, "FAILED");
  EXPECT_EQ(timed_out.error, "States.Timeout");
}

}  // namespace
}  // namespace stepline::integrations::http
