#include "observability/log.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace stepline::observability {
namespace {

TEST(Logger, FormatsOneJsonObjectPerLine) {
  json::Object fields;
  fields["operation"] = "StartExecution";
  fields["status"] = 200;
  fields["msg"] = "ignored: reserved key";
  EXPECT_EQ(Logger::format(LogLevel::Warn, "say \"hi\"\n", fields, "2026-01-02T03:04:05.006Z"),
            R"({"time":"2026-01-02T03:04:05.006Z","level":"warn","msg":"say \"hi\"\n",)"
            R"("operation":"StartExecution","status":200})");
}

TEST(Logger, FiltersByLevel) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  Logger logger(out);
  logger.set_level(LogLevel::Info);
  logger.log(LogLevel::Debug, "hidden");
  logger.log(LogLevel::Error, "shown", {{"code", 7}});
  std::rewind(out);
  char buffer[512] = {};
  const std::size_t read = std::fread(buffer, 1, sizeof buffer - 1, out);
  std::fclose(out);
  const std::string text(buffer, read);
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  EXPECT_NE(text.find(R"("level":"error","msg":"shown","code":7})"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1);
}

TEST(Logger, LevelNames) {
  EXPECT_EQ(parse_log_level("debug"), LogLevel::Debug);
  EXPECT_EQ(parse_log_level("warning"), LogLevel::Warn);
  EXPECT_EQ(parse_log_level("loud"), std::nullopt);
  EXPECT_STREQ(log_level_name(LogLevel::Error), "error");
}

}  // namespace
}  // namespace stepline::observability
