// A Standard execution whose large Map runs its iterations on the runtime's helper threads
// (RuntimeOptions::map_helper_threads) stores the same history as with none.
#include "runtime_fixture.hpp"

#include <string>

namespace stepline::runtime::testing {
namespace {

class MapHelpersTest : public RuntimeTest {};
STEPLINE_RUNTIME_BACKENDS(MapHelpersTest);

const char* kMap = R"json({"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items",
    "ItemProcessor":{"StartAt":"Tag","States":{
      "Tag":{"Type":"Pass","Parameters":{"v.$":"$","tag.$":"States.Format('n-{}', $)"},
             "Next":"Check"},
      "Check":{"Type":"Choice","Choices":[{"Variable":"$.v","NumericEquals":150,"Next":"Boom"}],
               "Default":"Done"},
      "Boom":{"Type":"Fail","Error":"Odd","Cause":"150"},
      "Done":{"Type":"Pass","OutputPath":"$.tag","End":true}}},
    "ToleratedFailureCount":1,"End":true}}})json";

std::string input() {
  std::string out = R"({"items":[)";
  for (int i = 0; i < 300; ++i) out += (i ? "," : "") + std::to_string(i);
  return out + "]}";
}

TEST_P(MapHelpersTest, HistoryIsTheSameWithAndWithoutHelpers) {
  options.map_helper_threads = 0;
  open_runtime();
  auto m = machine("m", kMap);
  auto alone = start(m, "alone", input()).execution_arn;
  wait_status(alone, "SUCCEEDED");
  const std::string expected = json::dump(json::Value(history(alone)));

  options.map_helper_threads = 2;
  open_runtime();
  auto helped = start(m, "helped", input()).execution_arn;
  wait_status(helped, "SUCCEEDED");
  const json::Array events = history(helped);
  // 299 iterations of 8 events, the failed one's 7, and the execution's and the Map's 6.
  EXPECT_EQ(events.size(), 299u * 8 + 7 + 6);
  EXPECT_EQ(json::dump(json::Value(events)), expected);
}

}  // namespace
}  // namespace stepline::runtime::testing
