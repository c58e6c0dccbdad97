// Replays every recorded TestState call of shared/conformance/aws-recorded.jsonl through the
// operation handler in-process (model validation first, as the server does) and compares the
// response, or the error's code and message, with what AWS answered. Prints "passed / total" and
// exits non-zero when fewer pass than the committed baseline.
#include "api/handlers/handlers.hpp"
#include "api/model/embedded_model.hpp"
#include "api/request_validator.hpp"
#include "api/service_model.hpp"
#include "common/ids.hpp"
#include "loose_match.hpp"

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

// The replay is built without the generated model source: the model comes from the source tree.
const std::string& stepline::api::embedded_service_model() {
  static const std::string text = [] {
    std::ifstream in(STEPLINE_MODEL_PATH);
    std::stringstream all;
    all << in.rdbuf();
    return all.str();
  }();
  return text;
}

namespace {

using namespace stepline;

struct Options {
  std::string shared = "../shared";
  std::string baseline;
  std::string failures;
  bool verbose = false;
};

struct ExpectedError {
  std::optional<std::string> code;  // nullopt: any error (the client refused the call itself)
  std::string message;
};

// AWS's recorded error, from either of the recorder's two shapes.
ExpectedError expected_error(const json::Object& e) {
  ExpectedError out;
  if (const auto* err = e.if_contains("Error"); err && err->is_object()) {
    const json::Object& o = err->as_object();
    if (const auto* c = o.if_contains("Code"); c && c->is_string()) out.code = c->as_string();
    if (const auto* m = o.if_contains("Message"); m && m->is_string()) out.message = m->as_string();
    return out;
  }
  std::string type, value;
  if (const auto* t = e.if_contains("exception_typename"); t && t->is_string())
    type = t->as_string();
  if (const auto* v = e.if_contains("exception_value"); v && v->is_string()) value = v->as_string();
  if (type == "ParamValidationError") return out;  // botocore's own check: any refusal will do
  out.code = type;
  const std::string marker = "operation: ";
  auto at = value.find(marker);
  out.message = at == std::string::npos ? value : value.substr(at + marker.size());
  return out;
}

std::optional<std::string> compare(const json::Object& step, const api::ApiOutcome& outcome) {
  const json::Value* expect = step.if_contains("expect");
  if (!expect || !expect->is_object() || expect->as_object().empty()) return "no expectation";
  const json::Value& inner = expect->as_object().begin()->value();
  if (!inner.is_object()) return "unreadable expectation";
  bool expect_error = false;
  if (const auto* e = step.if_contains("expect_error"); e && e->is_bool())
    expect_error = e->as_bool();
  if (expect_error) {
    ExpectedError want = expected_error(inner.as_object());
    const auto* got = std::get_if<api::ApiError>(&outcome);
    if (!got) {
      return "expected error " + want.code.value_or("(any)") + ": " + want.message +
             "; got response " + harness::brief(json::Value(std::get<json::Object>(outcome)), 400);
    }
    if (!want.code) return std::nullopt;
    if (got->type != *want.code || got->message != want.message) {
      return "expected error " + *want.code + ": " + want.message + "; got " + got->type + ": " +
             got->message;
    }
    return std::nullopt;
  }
  if (const auto* got = std::get_if<api::ApiError>(&outcome)) {
    return "expected a response; got error " + got->type + ": " + got->message;
  }
  json::Object want = inner.as_object();
  want.erase("ResponseMetadata");
  return harness::loose_diff(json::Value(want), json::Value(std::get<json::Object>(outcome)));
}

int run(const Options& options) {
  std::ifstream in(options.shared + "/conformance/aws-recorded.jsonl");
  if (!in) {
    std::cerr << "cannot read " << options.shared << "/conformance/aws-recorded.jsonl\n";
    return 2;
  }
  const api::ServiceModel& model = api::step_functions_model();
  RandomIdSource ids(7);
  api::ServiceContext context;
  context.ids = &ids;
  context.account = "111111111111";  // the recordings' account
  api::OperationRegistry registry;
  api::register_test_state_operation(registry, context);
  const api::OperationHandler* handler = registry.find("TestState");
  const std::string input_shape = model.input_shape("TestState");

  std::ofstream failures;
  if (!options.failures.empty()) failures.open(options.failures);
  int total = 0, passed = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json::Value record = json::parse(line);
    const json::Object& c = record.as_object();
    const auto* kind = c.if_contains("kind");
    if (!kind || !kind->is_string() || kind->as_string() != "api") continue;
    const auto* steps = c.if_contains("steps");
    if (!steps || !steps->is_array()) continue;
    std::string id = c.if_contains("id") ? std::string(c.at("id").as_string()) : "?";
    for (const auto& s : steps->as_array()) {
      const json::Object& step = s.as_object();
      if (step.at("op").as_string() != "test_state") continue;
      ++total;
      const json::Value& params = step.at("params");
      api::ApiOutcome outcome = json::Object{};
      if (auto refused = api::validate_request(model, input_shape, params)) {
        outcome = *refused;
      } else {
        api::ApiRequest request{"TestState", params.as_object(), "replay"};
        (*handler)(request, [&](api::ApiOutcome o) { outcome = std::move(o); });
      }
      auto problem = compare(step, outcome);
      if (!problem) {
        ++passed;
        continue;
      }
      std::string report =
          id + " step " + std::to_string(step.at("i").as_int64()) + ": " + *problem;
      if (failures) failures << report << "\n";
      if (options.verbose) std::cout << "FAIL " << report << "\n";
    }
  }
  std::cout << passed << " / " << total << " TestState calls match AWS\n";
  if (!options.baseline.empty()) {
    std::ifstream b(options.baseline);
    int baseline = 0;
    if (b >> baseline && passed < baseline) {
      std::cerr << "below the baseline of " << baseline << "\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
    if (arg == "--shared") {
      options.shared = next();
    } else if (arg == "--baseline") {
      options.baseline = next();
    } else if (arg == "--failures") {
      options.failures = next();
    } else if (arg == "--verbose") {
      options.verbose = true;
    } else {
      std::cerr << "usage: teststate_replay [--shared DIR] [--baseline FILE] [--failures FILE] "
                   "[--verbose]\n";
      return 2;
    }
  }
  try {
    return run(options);
  } catch (const std::exception& e) {
    std::cerr << "teststate_replay: " << e.what() << "\n";
    return 2;
  }
}
