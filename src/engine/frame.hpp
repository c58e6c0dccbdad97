// The state of one execution between two steps of the interpreter: plain data (JSON values,
// numbers, names) so that a durable driver can store it and resume from it. An execution is a
// tree of threads: the top-level machine, and one thread per running Parallel branch or Map
// iteration.
#pragma once

#include "common/errors.hpp"
#include "common/json.hpp"
#include "common/time.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace stepline::engine {

enum class ThreadStatus {
  Running,           // has work to do in this step
  AwaitingTask,      // a TaskInvoker call is out
  AwaitingTimer,     // Wait state or retry back-off
  AwaitingChildren,  // a Parallel or Map state runs its branches/iterations
  Succeeded,
  Failed,
  Aborted,
};

// Why the thread's timer was armed.
enum class TimerPurpose { None, Wait, Retry };

// The ids of a thread's running children, in spawn order. Children mostly finish in that order
// (a Map of 10,000 items finishes them front to back): leaving from the front is O(1), where a
// vector erase moved every id behind it.
class ChildList {
 public:
  void push_back(int id) { ids_.push_back(id); }
  bool empty() const { return head_ == ids_.size(); }
  std::size_t size() const { return ids_.size() - head_; }
  std::vector<int>::const_iterator begin() const {
    return ids_.begin() + static_cast<std::ptrdiff_t>(head_);
  }
  std::vector<int>::const_iterator end() const { return ids_.end(); }
  void clear() {
    ids_.clear();
    head_ = 0;
  }
  // Removes `id` if listed.
  void remove(int id) {
    auto it = std::find(begin(), end(), id);
    if (it == end()) return;
    if (it != begin()) {
      ids_.erase(it);
      return;
    }
    ++head_;
    if (head_ == ids_.size()) {
      clear();
    } else if (head_ >= 64 && head_ * 2 >= ids_.size()) {
      // Drop the departed prefix once it is most of the list: amortised O(1) per child.
      ids_.erase(ids_.begin(), ids_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

 private:
  std::vector<int> ids_;
  std::size_t head_ = 0;  // ids_[0, head_) have left
};

// One path through a `States` block.
struct Thread {
  int id = 0;
  int parent = -1;         // the thread running the owning Map/Parallel state; -1 at top level
  int block = 0;           // asl::StatesBlock::id
  bool silent = false;     // a Distributed Map child: its events are not in this history
  bool ran_ahead = false;  // a Map iteration a MapPrerun runs; only within one step, not stored
  long long index = 0;     // branch index or item index in the parent
  std::string state;       // current state name
  bool entered = false;    // the current state's Entered event has been written
  json::Value input;       // raw input of the current state
  json::Value effective;   // effective input of the work (kept for retries)
  long long entered_event_id = 0;
  long long entered_prev = 0;  // previousEventId of the Entered event
  TimePoint entered_time{};
  long long last_event = 0;             // previousEventId for this thread's next event
  std::vector<long long> retry_counts;  // per retrier, for this visit of the state
  long long retry_count = 0;            // $$.State.RetryCount
  ThreadStatus status = ThreadStatus::Running;
  TimerPurpose timer = TimerPurpose::None;
  long long timer_id = 0;            // the armed timer; a firing with another id is stale
  long long task_id = 0;             // the outstanding task; a completion with another id is stale
  long long task_timer_id = 0;       // the timer racing the outstanding task (TimeoutSeconds)
  long long heartbeat_timer_id = 0;  // the timer a missing heartbeat sets off
  bool task_submitted = false;       // the task's Submitted event is written: a task dispatched
                                     // again after a restart must not write it twice
  bool task_started = false;         // the task's Started event is written (activities: once a
                                     // worker took it)
  json::Object variables;            // this scope's variables
  std::optional<std::string> task_token;  // .waitForTaskToken
  std::optional<long long> timeout_seconds;
  std::optional<long long> heartbeat_seconds;
  std::optional<json::Value> credentials;  // taskCredentials of the Scheduled event

  // A Parallel/Map state in progress.
  ChildList children;             // child threads still running
  json::Array items;              // Map: each iteration's input; Parallel: empty
  json::Array results;            // outputs by index
  long long next_item = 0;        // next Map item to start
  long long failures = 0;         // Map iterations failed
  long long max_concurrency = 0;  // 0: unlimited
  std::optional<long long> tolerated_count;
  std::optional<double> tolerated_percentage;
  long long iteration_anchor = 0;  // previousEventId for the next MapIterationStarted
  long long map_run_started = 0;   // Distributed: the MapRunStarted event id

  // Set when the thread has finished.
  json::Value output;
  StatesError error;
};

struct Frame {
  std::map<int, Thread> threads;
  int next_thread = 0;
  long long next_event_id = 1;
  long long next_effect_id = 1;  // numbers timers and task dispatches
  json::Value execution_input;
  TimePoint start_time{};
  std::string status = "RUNNING";  // RUNNING | SUCCEEDED | FAILED | TIMED_OUT | ABORTED
  std::optional<json::Value> output;
  StatesError error;
};

}  // namespace stepline::engine
