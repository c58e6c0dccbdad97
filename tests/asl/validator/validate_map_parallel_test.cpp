// Parallel and Map: branches and processors as nested machines, ProcessorConfig, concurrency
// and tolerance ranges, ItemReader/ItemBatcher/ResultWriter, Label.
#include "validator_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl {
namespace {

using testing::errors_of;
using testing::one_jsonata_state;
using testing::one_state;

const std::string kProcessor =
    R"("ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}})";

std::string map_with(const std::string& fields) {
  return one_state(R"({"Type":"Map","End":true,)" + kProcessor + (fields.empty() ? "" : ",") +
                   fields + "}");
}

TEST(ValidateParallel, BranchesAreRequiredNonEmptyMachines) {
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Parallel","End":true})")),
            "SCHEMA_VALIDATION_FAILED: These fields are required: [Branches] at /States/S");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Parallel","End":true,"Branches":[]})")),
            "SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/S/Branches");
  EXPECT_EQ(
      errors_of(one_state(
          R"({"Type":"Parallel","End":true,"Branches":[{"States":{"B":{"Type":"Succeed"}}}]})")),
      "SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /States/S/Branches/0");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Parallel","End":true,"Branches":[{"StartAt":"B",
      "QueryLanguage":"JSONPath","States":{"B":{"Type":"Succeed"}}}]})")),
            "SCHEMA_VALIDATION_FAILED: Field 'QueryLanguage' is not supported at "
            "/States/S/Branches/0");
}

TEST(ValidateMap, ProcessorIsRequiredAndExclusive) {
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Map","End":true})")),
            "SCHEMA_VALIDATION_FAILED: These fields are required: [ItemProcessor] at /States/S");
  EXPECT_EQ(errors_of(map_with(R"("Iterator":{"StartAt":"J","States":{"J":{"Type":"Succeed"}}})")),
            "SCHEMA_VALIDATION_FAILED: There should only be one of the following fields: "
            "[ItemProcessor, Iterator] at /States/S");
  EXPECT_EQ(
      errors_of(one_state(R"({"Type":"Map","End":true,"ItemProcessor":{"QueryLanguage":"JSONata",
      "StartAt":"I","States":{"I":{"Type":"Succeed"}}}})")),
      "SCHEMA_VALIDATION_FAILED: Field 'QueryLanguage' is not supported at "
      "/States/S/ItemProcessor");
}

TEST(ValidateMap, ProcessorConfig) {
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":
      {"Mode":"SOMETIMES"},"StartAt":"I","States":{"I":{"Type":"Succeed"}}}})")),
            "SCHEMA_VALIDATION_FAILED: The field 'Mode' should have one of these values: [INLINE, "
            "DISTRIBUTED] at /States/S/ItemProcessor/ProcessorConfig/Mode");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":
      {"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"I","States":{"I":{"Type":"Succeed"}}}})")),
            "");
}

TEST(ValidateMap, ConcurrencyAndTolerances) {
  EXPECT_EQ(errors_of(map_with(R"("MaxConcurrency":-1)")),
            "SCHEMA_VALIDATION_FAILED: Minimum value is 0 at /States/S/MaxConcurrency");
  EXPECT_EQ(errors_of(map_with(R"("ToleratedFailurePercentage":101)")),
            "SCHEMA_VALIDATION_FAILED: Maximum value is 100.0 at "
            "/States/S/ToleratedFailurePercentage");
  EXPECT_EQ(
      errors_of(map_with(R"("ToleratedFailurePercentage":-0.5)")),
      "SCHEMA_VALIDATION_FAILED: Minimum value is 0.0 at /States/S/ToleratedFailurePercentage");
  EXPECT_EQ(errors_of(map_with(R"("MaxConcurrency":1,"MaxConcurrencyPath":"$.m")")),
            "SCHEMA_VALIDATION_FAILED: There should only be one of the following fields: "
            "[MaxConcurrency, MaxConcurrencyPath] at /States/S");
  EXPECT_EQ(errors_of(map_with(R"("ToleratedFailureCountPath":"$$.Execution.Input.n")")),
            "SCHEMA_VALIDATION_FAILED: Value is not a Reference Path at "
            "/States/S/ToleratedFailureCountPath");
  EXPECT_EQ(errors_of(map_with(R"("MaxConcurrencyPath":"$max")")), "");
}

TEST(ValidateMap, ItemReaderBatcherWriter) {
  EXPECT_EQ(errors_of(map_with(R"("ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
      "ReaderConfig":{"InputType":"CSV","MaxItems":1,"MaxItemsPath":"$.m"}})")),
            "SCHEMA_VALIDATION_FAILED: There should only be one of the following fields: "
            "[MaxItems, MaxItemsPath] at /States/S/ItemReader/ReaderConfig");
  EXPECT_EQ(errors_of(map_with(R"("ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
      "ReaderConfig":{"MaxItems":100000001}})")),
            "SCHEMA_VALIDATION_FAILED: Maximum value is 100000000 at "
            "/States/S/ItemReader/ReaderConfig/MaxItems");
  EXPECT_EQ(errors_of(map_with(R"("ItemReader":{"Parameters":{}})")),
            "SCHEMA_VALIDATION_FAILED: The field 'Resource' is required but was missing at "
            "/States/S/ItemReader");
  EXPECT_EQ(errors_of(map_with(R"("ItemBatcher":{"BatchInput":{}})")),
            "SCHEMA_VALIDATION_FAILED: At least one of these fields must be set: "
            "[MaxItemsPerBatch, MaxItemsPerBatchPath, MaxInputBytesPerBatch, "
            "MaxInputBytesPerBatchPath] at /States/S/ItemBatcher");
  EXPECT_EQ(errors_of(map_with(R"("ResultWriter":{})")),
            "SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/S/ResultWriter");
}

TEST(ValidateMap, Labels) {
  EXPECT_EQ(errors_of(map_with(R"("Label":"")")),
            "INVALID_LABEL_NAME: Label cannot be empty at /States/S/Label");
  EXPECT_EQ(errors_of(map_with(R"("Label":"label_#")")),
            "INVALID_LABEL_NAME: Label contains invalid character: '#' at /States/S/Label");
  EXPECT_EQ(errors_of(map_with(R"("Label":"label_\u0085")")),
            "INVALID_LABEL_NAME: Label contains invalid character: '\\x85' at /States/S/Label");
  EXPECT_EQ(errors_of(map_with(R"("Label":"ok-label_1")")), "");
}

TEST(ValidateMap, JsonataItems) {
  const std::string processor =
      R"("ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}})";
  EXPECT_EQ(errors_of(one_jsonata_state(
                R"({"Type":"Map","End":true,"Items":"{% $states.input.xs %}",)" + processor + "}")),
            "");
  EXPECT_EQ(errors_of(one_jsonata_state(R"({"Type":"Map","End":true,"Items":[1,"{% 2 %}"],)" +
                                        processor + "}")),
            "");
  EXPECT_EQ(
      errors_of(one_jsonata_state(R"({"Type":"Map","End":true,"Items":5,)" + processor + "}")),
      "SCHEMA_VALIDATION_FAILED: Expected value of type: Array at /States/S/Items");
}

TEST(ValidateMap, DeepNestingIsBounded) {
  std::string machine = R"({"StartAt":"L","States":{"L":{"Type":"Succeed"}}})";
  for (int i = 0; i < 60; ++i)
    machine = R"({"StartAt":"M)" + std::to_string(i) + R"(","States":{"M)" + std::to_string(i) +
              R"(":{"Type":"Parallel","End":true,"Branches":[)" + machine + "]}}}";
  EXPECT_NE(errors_of(machine).find("TOO_DEEPLY_NESTED"), std::string::npos);
}

}  // namespace
}  // namespace stepline::asl
