#include "web/console_files.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace stepline::web {
namespace {

namespace fs = std::filesystem;

class ConsoleFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() /
        ("stepline_console_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "dist" / "assets");
    write("dist/index.html", "<html>console</html>");
    write("dist/assets/index-abc.js", "console.log(1)");
    write("dist/.secret", "hidden");
    write("outside.txt", "outside");
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& path, const std::string& text) {
    std::ofstream(root_ / path, std::ios::binary) << text;
  }
  fs::path root_;
};

TEST_F(ConsoleFilesTest, ServesIndexAndAssetsWithTypesAndCaching) {
  const ConsoleFiles files(root_ / "dist");
  ASSERT_TRUE(files.available());
  const auto index = files.get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<html>console</html>");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.cache_control, "no-cache");
  EXPECT_EQ(files.get("/?x=1#/machine/a").body, "<html>console</html>");
  const auto script = files.get("/assets/index-abc.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(script.cache_control, "public, max-age=31536000, immutable");
  EXPECT_EQ(files.get("/assets/index%2Dabc.js").body, "console.log(1)");
}

TEST_F(ConsoleFilesTest, NeverLeavesTheFolder) {
  const ConsoleFiles files(root_ / "dist");
  EXPECT_EQ(files.get("/../outside.txt").status, 404);
  EXPECT_EQ(files.get("/assets/../../outside.txt").status, 404);
  EXPECT_EQ(files.get("/%2e%2e/outside.txt").status, 404);
  EXPECT_EQ(files.get("/.secret").status, 404);
  EXPECT_EQ(files.get("/assets").status, 404);  // a folder
  EXPECT_EQ(files.get("/missing.js").status, 404);
  EXPECT_EQ(files.get("/bad%zz").status, 404);
  EXPECT_EQ(files.get("/nul%00.js").status, 404);
  EXPECT_EQ(files.get("/trailing%2").status, 404);
  EXPECT_EQ(files.get("relative").status, 404);
}

TEST_F(ConsoleFilesTest, UnbuiltConsoleSaysHowToBuildIt) {
  const ConsoleFiles files(root_ / "nowhere");
  EXPECT_FALSE(files.available());
  const auto page = files.get("/");
  EXPECT_EQ(page.status, 404);
  EXPECT_NE(page.body.find("npm --prefix web ci"), std::string::npos);
  EXPECT_NE(page.body.find((root_ / "nowhere").string()), std::string::npos);
}

TEST_F(ConsoleFilesTest, DefaultFolderFollowsTheEnvironment) {
  ::setenv("STEPLINE_CONSOLE_DIR", (root_ / "dist").c_str(), 1);
  EXPECT_EQ(default_console_dir(), root_ / "dist");
  ::unsetenv("STEPLINE_CONSOLE_DIR");
  EXPECT_FALSE(default_console_dir().empty());
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(content_type_for("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("a.png"), "image/png");
  EXPECT_EQ(content_type_for("a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace stepline::web
