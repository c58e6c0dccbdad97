// The summary `attributes` the runtime writes for every Standard execution; DescribeExecution
// and ListExecutions read them back. Keys (all optional unless noted):
//   "revisionArn"            the Revision resource whose definition the execution runs
//   "stateMachineVersionArn" started through a version (or an alias's pick of one)
//   "stateMachineAliasArn"   started through an alias
//   "traceHeader"            StartExecution's traceHeader, when given
//   "redriveCount"           always present: 0 (redrive is not implemented)
//   "mockTestCase"           the `#TestCase` it was started with (Step Functions Local mocks)
//   "output"                 on SUCCEEDED: the output as JSON text
//   "error", "cause"         on FAILED / TIMED_OUT / ABORTED, when known
#pragma once

namespace stepline::runtime::attributes {

inline constexpr const char* kRevisionArn = "revisionArn";
inline constexpr const char* kVersionArn = "stateMachineVersionArn";
inline constexpr const char* kAliasArn = "stateMachineAliasArn";
inline constexpr const char* kTraceHeader = "traceHeader";
inline constexpr const char* kRedriveCount = "redriveCount";
inline constexpr const char* kMockTestCase = "mockTestCase";
inline constexpr const char* kOutput = "output";
inline constexpr const char* kError = "error";
inline constexpr const char* kCause = "cause";

}  // namespace stepline::runtime::attributes
