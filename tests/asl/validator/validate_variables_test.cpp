// Assign and variables: names, the reserved `states`, nested scopes assigning outer names.
#include "validator_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl {
namespace {

using testing::errors_of;
using testing::one_jsonata_state;
using testing::one_state;

TEST(ValidateVariables, NamesAndReservedStates) {
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Pass","End":true,"Assign":{"ok_1":1,"x.$":"$.a"}})")),
            "");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Pass","End":true,"Assign":{"states":1}})")),
            "SCHEMA_VALIDATION_FAILED: The variable name 'states' is reserved at /States/S/Assign");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Pass","End":true,"Assign":{"a.b":1}})")),
            "SCHEMA_VALIDATION_FAILED: The variable name 'a.b' is not valid at /States/S/Assign");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Pass","End":true,"Assign":{"x.$":"nope"}})")),
            "SCHEMA_VALIDATION_FAILED: The value for the field 'x.$' must be a valid JSONPath or a "
            "valid intrinsic function call at /States/S/Assign");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Pass","End":true,"Assign":[1]})")),
            "SCHEMA_VALIDATION_FAILED: Expected value of type: Object at /States/S/Assign");
}

TEST(ValidateVariables, NestedScopeCannotAssignAnEarlierOuterName) {
  EXPECT_EQ(errors_of(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"x":1},"Next":"P"},
      "P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{
        "B":{"Type":"Pass","Assign":{"x":2},"End":true}}}]}}})"),
            "SCHEMA_VALIDATION_FAILED: The variable 'x' is assigned in an outer scope and cannot "
            "be assigned in a nested scope at /States/P/Branches/0/States/B/Assign");
}

TEST(ValidateVariables, NamesAssignedOnlyAfterTheNestedStateAreFine) {
  // AWS accepts this: the catcher's assignment happens after the branch ran (recorded case
  // PARALLEL_CATCH_ERROR_VARIABLE_SAMPLING).
  EXPECT_EQ(errors_of(R"({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Parallel","Next":"F","Branches":[{"StartAt":"B","States":{
        "B":{"Type":"Pass","Assign":{"x":"{% $states.input %}"},"End":true}}}],
        "Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"x":1},"Next":"F"}]},
      "F":{"Type":"Succeed"}}})"),
            "");
}

}  // namespace
}  // namespace stepline::asl
