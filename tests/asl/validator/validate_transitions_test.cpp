// Transitions, reachability, terminal states and unique names (MISSING_TRANSITION_TARGET,
// MISSING_END_STATE, DUPLICATE_STATE_NAME), per States scope.
#include "validator_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl {
namespace {

using testing::errors_of;

TEST(ValidateTransitions, MissingTargetsComeBeforeUnreachableStates) {
  EXPECT_EQ(errors_of(R"({"StartAt":"pass1","States":{
                 "pass1":{"Type":"Pass","Next":"pass3"},
                 "pass2":{"Type":"Pass","End":true}}})"),
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next | "
            "MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2");
}

TEST(ValidateTransitions, StartAtMustNameAState) {
  EXPECT_EQ(errors_of(R"({"StartAt":"Nope","States":{"A":{"Type":"Succeed"}}})"),
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /StartAt");
}

TEST(ValidateTransitions, LoopWithoutTerminalStateOnlyReportsMissingEnd) {
  EXPECT_EQ(errors_of(R"({"StartAt":"A","States":{
                 "A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}})"),
            "MISSING_END_STATE: Workflow has no terminal state at null");
}

TEST(ValidateTransitions, ChoiceDefaultAndCatcherTargets) {
  EXPECT_EQ(errors_of(R"({"StartAt":"C","States":{
                 "C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"X"}],
                      "Default":"Y"},
                 "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Z"}]}}})"),
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/C/Choices/0/Next | "
            "MISSING_TRANSITION_TARGET: Missing 'Default' target: Y at /States/C/Default | "
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: Z at /States/T/Catch/0/Next | "
            "MISSING_TRANSITION_TARGET: State \"T\" is not reachable. at /States/T");
}

TEST(ValidateTransitions, CatcherAndChoiceEdgesMakeStatesReachable) {
  EXPECT_EQ(errors_of(R"({"StartAt":"T","States":{
                 "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"C",
                      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}]},
                 "C":{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"S"}],
                      "Default":"F"},
                 "S":{"Type":"Succeed"},"F":{"Type":"Fail"}}})"),
            "");
}

TEST(ValidateTransitions, TransitionsCannotCrossIntoABranch) {
  EXPECT_EQ(errors_of(R"({"StartAt":"P","States":{
                 "P":{"Type":"Parallel","Next":"Inner","Branches":[
                   {"StartAt":"Inner","States":{"Inner":{"Type":"Pass","Next":"Done"}}}]},
                 "Done":{"Type":"Succeed"}}})"),
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: Inner at /States/P/Next | "
            "MISSING_TRANSITION_TARGET: Missing 'Next' target: Done at "
            "/States/P/Branches/0/States/Inner/Next | "
            "MISSING_TRANSITION_TARGET: State \"Done\" is not reachable. at /States/Done | "
            "MISSING_END_STATE: Workflow has no terminal state at null");
}

TEST(ValidateTransitions, StateNamesAreUniqueAcrossTheDocument) {
  EXPECT_EQ(errors_of(R"({"StartAt":"M","States":{
                 "M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"M",
                      "States":{"M":{"Type":"Succeed"}}}}}})"),
            "DUPLICATE_STATE_NAME: Duplicate State name: M at /States/M/ItemProcessor/States/M");
}

TEST(ValidateTransitions, GraphChecksWaitForAWellFormedDefinition) {
  // A schema error hides the transition problems, as AWS reports them one layer at a time.
  EXPECT_EQ(errors_of(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B","Foo":1}}})"),
            "SCHEMA_VALIDATION_FAILED: Field 'Foo' is not supported at /States/A");
}

}  // namespace
}  // namespace stepline::asl
