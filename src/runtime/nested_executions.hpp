// Nested executions: Tasks on `arn:aws:states:::states:startExecution` in its four forms
// (request-response, `.sync`, `.sync:2`, `.waitForTaskToken`). The pieces that need no runtime:
// reading the resource and the Task's parameters, the answers AWS's integration gives (the
// StartExecution response, the DescribeExecution-shaped result of a closed child), and the links
// between a parent's waiting Task and its child, which the runtime keeps in memory and rebuilds
// on recovery when the parent's open Task is dispatched again.
#pragma once

#include "common/json.hpp"
#include "common/time.hpp"
#include "integrations/invoker.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace stepline::runtime {

enum class NestedMode {
  RequestResponse,  // the Task's result is StartExecution's answer
  Sync,             // waits for the child; its result is DescribeExecution with JSON texts
  Sync2,            // the same with Input/Output as JSON values
  Callback,         // `.waitForTaskToken`: SendTask* answers, whatever the child does
};

// The form of a `states:startExecution` resource; nullopt for every other resource.
std::optional<NestedMode> nested_mode(const std::string& resource);

// The parent's Task a child reports to when it closes.
struct NestedParent {
  std::string execution_arn;
  long long effect_id = 0;
  NestedMode mode = NestedMode::Sync;
};

// What the Task asks StartExecution for, or the failure AWS's integration reports instead.
struct NestedStart {
  std::string state_machine_arn;
  std::optional<std::string> name;  // absent: the runtime picks one
  std::string input_text;           // "{}" when Input is absent or null
};
// `request_id` goes into the SDK-style cause of a failure.
std::optional<NestedStart> parse_nested_start(const json::Value& parameters,
                                              const std::string& request_id, StatesError& error);

// The failure of a StepFunctions API call as the integration words it:
// "StepFunctions.<Code>Exception", "<message> (Service: AWSStepFunctions; ...)".
StatesError sfn_api_error(const std::string& code, const std::string& message,
                          const std::string& request_id);

// A child name that is the same each time the parent's Task (known by its store token) is
// dispatched, so that dispatching it again after a restart finds the child it already started.
std::string nested_child_name(const std::string& parent_task_token);

// StartExecution's answer with the SDK metadata AWS's integration adds (TaskSubmitted's output,
// and the request-response result).
json::Value start_execution_response(const std::string& execution_arn, TimePoint start_date,
                                     const std::string& request_id, TimePoint now);

// A closed child as DescribeExecution shows it.
struct ChildExecution {
  std::string arn;
  std::string name;
  std::string state_machine_arn;
  std::string version_arn;
  std::string alias_arn;
  std::string input_text;
  std::string status;  // SUCCEEDED | FAILED | TIMED_OUT | ABORTED
  std::optional<std::string> output_text;
  std::optional<std::string> error;
  std::optional<std::string> cause;
  TimePoint start_date{};
  TimePoint stop_date{};
  bool express = false;
};
// `.sync`/`.sync:2`: SUCCEEDED gives the description; anything else fails the Task with
// States.TaskFailed and the description (with Error/Cause) as its cause.
integrations::TaskOutcome child_outcome(const ChildExecution& child, NestedMode mode);

// Which parent Tasks wait for which `.sync` children. A link is made before the child starts;
// until the parent has heard StartExecution's answer (the TaskSubmitted event) a child that
// already closed has its outcome held here, so the parent's history keeps AWS's order.
class NestedLinks {
 public:
  using Post = std::function<void(const NestedParent&, integrations::TaskOutcome)>;

  // Before starting the child of a fresh dispatch.
  void open(const NestedParent& parent);
  // StartExecution answered: `submitted` (Pending with the response) is posted, then any
  // outcome held for it; later closes of `child_arn` go straight to the parent. With
  // `open_if_missing` (a dispatch after a restart adopting its child) the link is made here.
  void submitted(const NestedParent& parent, const std::string& child_arn,
                 integrations::TaskOutcome submitted, const Post& post,
                 bool open_if_missing = false);
  // The child closed: the outcome goes to every parent Task waiting for it (or is held).
  // `started_by`: the parent the child was started for in this process, if any.
  void child_closed(const std::string& child_arn, const std::optional<NestedParent>& started_by,
                    const ChildExecution& child, const Post& post);
  // Answers the link for `parent` with `outcome` if it is still open (a child found closed in
  // the store after a restart).
  void answer(const NestedParent& parent, integrations::TaskOutcome outcome, const Post& post);
  // A start that failed: the link goes away.
  void drop(const NestedParent& parent);
  // The parent closed: its links go away; the children they named are returned.
  std::vector<std::string> parent_closed(const std::string& parent_arn);
  // No link at all: a closing execution has nothing to check (read without the lock).
  bool empty() const { return size_.load(std::memory_order_relaxed) == 0; }

 private:
  struct Link {
    NestedParent parent;
    std::string child_arn;  // empty until StartExecution answers
    bool submitted = false;
    std::optional<integrations::TaskOutcome> held;
  };
  static std::string key(const NestedParent& parent);
  // Declared after the lock in each method: empty() sees the map as the method left it.
  struct Resize {
    NestedLinks& links;
    ~Resize() { links.size_.store(links.links_.size(), std::memory_order_relaxed); }
  };

  std::mutex mutex_;
  std::map<std::string, Link> links_;                 // by parent arn + effect id
  std::multimap<std::string, std::string> by_child_;  // child arn → link key
  std::atomic<std::size_t> size_{0};
};

}  // namespace stepline::runtime
