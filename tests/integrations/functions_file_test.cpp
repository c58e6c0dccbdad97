#include "integrations/lambda/functions_file.hpp"
#include "lambda_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::integrations::lambda {
namespace {

using testing::Scratch;

TEST(FunctionsFile, ReadsTheIssueShapeAndResolvesCodeAgainstTheFileFolder) {
  Scratch s;
  s.write("src/app.py", "def handler(event, context):\n    return event\n");
  const auto path = s.write("config/functions.json", R"({"functions": {
    "echo": {"runtime": "python3", "handler": "app.handler", "code": "../src",
             "environment": {"GREETING": "hi"}, "timeout": 5, "concurrency": 2},
    "plain": {"runtime": "nodejs", "handler": "index.handler", "code": "../src"}}})");
  FunctionsFile file = load_functions_file(path.string());
  ASSERT_EQ(file.functions.size(), 2u);
  const FunctionConfig& echo = file.functions.at("echo");
  EXPECT_EQ(echo.runtime, Runtime::Python);
  EXPECT_EQ(echo.handler, "app.handler");
  EXPECT_EQ(echo.code, std::filesystem::canonical(s.root() / "src"));
  ASSERT_EQ(echo.environment.size(), 1u);
  EXPECT_EQ(echo.environment[0].second, "hi");
  EXPECT_EQ(echo.timeout_seconds, 5);
  EXPECT_EQ(echo.concurrency, 2);
  const FunctionConfig& plain = file.functions.at("plain");
  EXPECT_EQ(plain.runtime, Runtime::Node);
  EXPECT_EQ(plain.timeout_seconds, 3);  // AWS's default
}

std::string error_of(const std::string& text, const std::filesystem::path& base) {
  try {
    parse_functions_file(json::parse(text), base, "f.json");
  } catch (const FunctionsFileError& e) {
    return e.what();
  }
  return "";
}

TEST(FunctionsFile, ReportsWhatIsWrong) {
  Scratch s;
  s.write("code/x.py", "");
  const auto base = s.root();
  EXPECT_NE(error_of(R"({"functions": {"f": {"handler": "x.h", "code": "code"}}})", base)
                .find("function 'f' has no \"runtime\""),
            std::string::npos);
  EXPECT_NE(
      error_of(R"({"functions": {"f": {"runtime": "ruby", "handler": "x.h", "code": "code"}}})",
               base)
          .find("runtime 'ruby'"),
      std::string::npos);
  EXPECT_NE(
      error_of(R"({"functions": {"f": {"runtime": "python3", "handler": "x.h", "code": "nope"}}})",
               base)
          .find("does not exist"),
      std::string::npos);
  EXPECT_NE(error_of(R"({"functions": {"f": {"runtime": "python3", "handler": "x.h", "code": "code",
                     "memory": 128}}})",
                     base)
                .find("unknown field \"memory\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"functions": {"f": {"runtime": "python3", "handler": "x.h", "code": "code",
                     "timeout": 0}}})",
                     base)
                .find("\"timeout\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"functions": {"bad name": {"runtime": "python3", "handler": "x.h",
                     "code": "code"}}})",
                     base)
                .find("not a Lambda function name"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"lambdas": {}})", base).find("unknown field \"lambdas\""),
            std::string::npos);
  EXPECT_THROW(load_functions_file((s.root() / "missing.json").string()), FunctionsFileError);
}

}  // namespace
}  // namespace stepline::integrations::lambda
