// The plain records the Store reads and writes. JSON documents are kept as the caller built them
// (backends store them as text), so key order survives a round trip.
#pragma once

#include "common/json.hpp"
#include "common/time.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace stepline::store {

// The backend itself failed (I/O, corrupt file, newer schema): not a business outcome.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A PageRequest::token that no query of this store produced (AWS's InvalidToken).
class InvalidPageToken : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Optimistic concurrency: every record carries the version it was read at; 1 after creation.
using Version = long long;

struct PageRequest {
  std::size_t limit = 100;  // 0 means 100
  std::string token;        // empty: the first page; else a Page::next_token from the same query
  bool reverse = false;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_token;  // empty: no more pages
};

// ---- resources ----

// Revision: one immutable (definition, role, type, configuration) of a state machine, kept for
// the executions that ran it (DescribeStateMachineForExecution, recovery after a restart).
enum class ResourceKind { StateMachine, Version, Alias, Activity, Revision };

struct Resource {
  ResourceKind kind = ResourceKind::StateMachine;
  std::string arn;
  std::string parent_arn;  // Version, Alias: the state machine's ARN
  std::string name;
  json::Value document;  // what Describe* returns (definition, role, dates, routing ...)
  json::Object tags;
  Version version = 0;  // set by the store
};

struct ResourceWrite {
  Resource resource;             // for an erase only kind and arn matter
  Version expected_version = 0;  // 0: the resource must not exist yet
  bool erase = false;
};

struct WriteResult {
  bool ok = true;
  std::size_t failed_index = 0;     // the write that did not match
  std::optional<Resource> current;  // what the store holds for it (nullopt: absent)
};

// ---- executions ----

struct ExecutionSummary {
  std::string arn;
  std::string state_machine_arn;
  std::string name;
  std::string status = "RUNNING";  // RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED
  TimePoint start_date{};
  std::optional<TimePoint> stop_date;
  json::Object attributes;  // anything else DescribeExecution/ListExecutions report
};

struct TimerRecord {
  std::string execution_arn;
  long long id = 0;  // the interpreter's effect id
  TimePoint due{};
  json::Value payload;  // what the driver needs to fire it (thread, purpose ...)
};

struct TaskRecord {
  std::string token;
  std::string execution_arn;
  long long id = 0;          // the interpreter's effect id
  std::string activity_arn;  // not empty: queued for GetActivityTask
  std::string claimed_by;    // the worker that got it (set by claim_activity_task)
  json::Value payload;       // input, thread, heartbeat ...
};

// A backend's own rendering of one step, made by Store::prepare on the caller's thread (e.g. the
// step's JSON documents as the text SQLite writes). Opaque to everyone but that backend.
struct PreparedStep {
  virtual ~PreparedStep() = default;
};

// What one step of the interpreter changes in one execution.
struct ExecutionStep {
  std::string execution_arn;
  Version expected_version = 0;       // the version the step was computed from
  json::Value frame;                  // engine::frame_to_json of the new frame
  std::optional<std::string> status;  // a new status; a closed status also drops the
                                      // execution's timers and tasks
  std::optional<TimePoint> stop_date;
  std::optional<json::Object> attributes;  // replaces the summary attributes
  json::Array events;                      // appended to the history; each has an integer "id"
  std::vector<TimerRecord> arm_timers;
  std::vector<long long> clear_timers;
  std::vector<TaskRecord> add_tasks;
  std::vector<std::string> finish_tasks;  // tokens
  // Set by Store::prepare: once set, `frame` and `events` may have been released, and only the
  // store that prepared the step can write it.
  std::shared_ptr<const PreparedStep> prepared;
};

// Committed all or nothing. `lease` is the owner token the committer holds: an execution owned
// by someone else (non-empty owner that differs) refuses the commit (fencing).
struct Commit {
  std::string lease;
  std::vector<ExecutionStep> steps;
};

enum class CommitStatus { Committed, VersionConflict, LeaseLost, NotFound };

struct CommitResult {
  CommitStatus status = CommitStatus::Committed;
  std::size_t failed_step = 0;  // when not Committed
};

struct NewExecution {
  ExecutionSummary summary;
  std::string input;         // the input text as StartExecution got it (compared for idempotency)
  std::string owner;         // lease holder; empty: unowned
  ExecutionStep first_step;  // the start step: frame, events, effects (version is ignored)
};

enum class CreateStatus { Created, AlreadyRunning, AlreadyExists };

struct CreateResult {
  // AlreadyRunning: same ARN and input while RUNNING, the idempotent retry. AlreadyExists:
  // different input, or the execution has closed (AWS's ExecutionAlreadyExists).
  CreateStatus status = CreateStatus::Created;
  ExecutionSummary execution;
};

struct ExecutionRecord {
  ExecutionSummary summary;
  std::string input;
  std::string owner;
  json::Value frame;
  Version version = 0;
  long long history_length = 0;
};

struct ExecutionFilter {
  std::string state_machine_arn;  // empty: all
  std::string status;             // empty: all
};

// Group commit for a caller that gathers the work of many executions (the runtime's committer):
// every create and every commit succeeds or fails on its own, and all of them become durable
// together (one transaction on SQLite).
struct WriteBatch {
  std::vector<NewExecution> creates;
  std::vector<Commit> commits;
};

struct BatchResult {
  std::vector<CreateResult> creates;  // one per WriteBatch::creates, same order
  std::vector<CommitResult> commits;  // one per WriteBatch::commits, same order
};

struct Counts {
  long long state_machines = 0;
  long long activities = 0;
  long long open_executions = 0;
};

}  // namespace stepline::store
