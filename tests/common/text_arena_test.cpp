#include "common/json_text.hpp"

#include <gtest/gtest.h>
#include <boost/json/monotonic_resource.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace stepline::json {
namespace {

TEST(TextArena, TextsStayWhereTheyWereWrittenAsChunksFillUp) {
  TextArena arena(boost::json::make_shared_resource<boost::json::monotonic_resource>());
  std::vector<Value> values;
  std::vector<std::string_view> texts;
  for (int i = 0; i < 300; ++i) {
    Object o;
    o["i"] = i;
    // Sizes from a few bytes to several chunks: some texts outgrow the chunk they start in.
    o["s"] = std::string(static_cast<std::size_t>(i * i % 5000), static_cast<char>('a' + i % 26));
    o["q"] = "say \"hi\"\n";
    values.emplace_back(std::move(o));
    texts.push_back(arena.dump(values.back()));
  }
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(texts[i], dump(values[i])) << i;
}

TEST(TextArena, ScalarsAndEmptyContainers) {
  TextArena arena(boost::json::make_shared_resource<boost::json::monotonic_resource>());
  EXPECT_EQ(arena.dump(Value()), "null");
  EXPECT_EQ(arena.dump(Value(Object())), "{}");
  EXPECT_EQ(arena.dump(Value(Array())), "[]");
  EXPECT_EQ(arena.dump(Value(1.5)), "1.5");
}

}  // namespace
}  // namespace stepline::json
