// Bad input never escapes as an exception: every prefix and many byte mutations of a definition
// that exercises most rules still yield diagnostics.
#include "validator_test_support.hpp"

#include <gtest/gtest.h>

#include <random>

namespace stepline::asl {
namespace {

const std::string kRichDefinition = R"j({"Comment":"c","StartAt":"T","TimeoutSeconds":60,"States":{
 "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"a.$":"$.x",
   "b.$":"States.Format('{}', $.y)","c":[{"d.$":"$$.Execution.Id"}]},"ResultSelector":{"r.$":"$"},
   "ResultPath":"$.r","TimeoutSeconds":10,"HeartbeatSeconds":5,"Assign":{"v":1,"w.$":"$.z"},
   "Retry":[{"ErrorEquals":["E"],"MaxAttempts":2,"BackoffRate":1.5},{"ErrorEquals":["States.ALL"]}],
   "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F","ResultPath":"$.e"}],"Next":"C"},
 "C":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","StringMatches":"x*"},
   {"Not":{"Variable":"$v","NumericLessThanPath":"$.b"}}],"Next":"W"}],"Default":"M"},
 "W":{"Type":"Wait","Timestamp":"2024-01-01T00:00:00Z","Next":"P"},
 "P":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],
   "Next":"M"},
 "M":{"Type":"Map","QueryLanguage":"JSONata","Items":"{% $states.input.xs %}","MaxConcurrency":2,
   "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
   "StartAt":"I","States":{"I":{"Type":"Pass","QueryLanguage":"JSONata",
   "Output":"{% $states.input %}","End":true}}},
   "ItemBatcher":{"MaxItemsPerBatch":2},"Label":"lbl","Next":"S"},
 "S":{"Type":"Succeed"},"F":{"Type":"Fail","Error":"E","Cause":"C"}}})j";

TEST(ValidateRobustness, RichDefinitionIsValid) {
  EXPECT_EQ(testing::errors_of(kRichDefinition), "");
}

TEST(ValidateRobustness, EveryPrefixYieldsDiagnostics) {
  for (std::size_t n = 0; n < kRichDefinition.size(); ++n) {
    const auto diagnostics = validate_text(std::string_view(kRichDefinition).substr(0, n), {});
    ASSERT_TRUE(has_errors(diagnostics)) << n;
  }
}

TEST(ValidateRobustness, MutatedDefinitionsNeverThrow) {
  std::mt19937 random(12345);
  const std::string alphabet = "{}[]\",:.$*?@()'\\ 0123456789aZ-\x01\xc3\xa9";
  for (int round = 0; round < 3000; ++round) {
    std::string text = kRichDefinition;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = random() % text.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          text.erase(at, 1 + random() % 8);
          break;
      }
    }
    for (auto type : {MachineType::Standard, MachineType::Express}) {
      std::vector<Diagnostic> diagnostics;
      ASSERT_NO_THROW(diagnostics = validate_text(text, {type})) << text;
      (void)invalid_definition_message(diagnostics);
    }
  }
}

}  // namespace
}  // namespace stepline::asl
