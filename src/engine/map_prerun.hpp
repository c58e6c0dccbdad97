// A Map's iterations run ahead on helper threads while the interpreter works through them in
// order, so that one execution's large Map uses every core.
//
// Why the history stays exactly what one thread writes: an iteration whose states are all
// synchronous (JSONPath Pass, Choice, Succeed, Fail) depends only on its input, the variable
// scopes above it (which cannot change while the Map runs), the execution's input and the step's
// time, and the interpreter runs it from its first state to its end in one go, its events
// contiguous in the history. So it can run beforehand, on any thread, its event ids counted from
// a placeholder base, and be spliced in when the interpreter reaches it: ids renumbered, nothing
// else changes. An iteration that failed is not spliced; the interpreter runs it again itself
// (the error's cause quotes absolute event ids, and failures are rare).
#pragma once

#include "asl/state_machine.hpp"
#include "common/json.hpp"
#include "engine/frame.hpp"
#include "engine/history_records.hpp"

#include <atomic>
#include <cstddef>
#include <memory>

namespace stepline::engine {

class IterationHelpers;
class StepRun;

// What an iteration that ran ahead left for the interpreter.
struct RanAheadIteration {
  bool succeeded = false;
  json::Value output;
  std::size_t first_record = 0;  // its events, in `records`
  std::size_t end_record = 0;
  long long last_event = 0;  // placeholder numbering (MapPrerun::kFirstId...)
  HistoryRecords* records = nullptr;
  bool first_of_records = false;  // the first of them handed over (adopt their storage then)
};

class MapPrerun {
 public:
  // Event ids of an iteration run ahead start here; kFirstId - 1 stands for the event the
  // iteration's first event follows (its MapIterationStarted), unknown until it is spliced.
  static constexpr long long kFirstId = 1LL << 50;

  // Whether every state of `block` lets its iterations run ahead.
  static bool qualifies(const asl::StatesBlock& block);
  // Items per unit of work a thread takes.
  static constexpr std::size_t kChunk = 64;

  // Starts helpers on the iterations of `map_thread`'s Map over `inputs`. `run` is the step
  // being run: its interpreter, id source, clock, execution input and frame (for the scopes
  // above the Map) are read now or, for the interpreter and the execution input, while helpers
  // run; the caller destroys this object before any of those changes.
  MapPrerun(const StepRun& run, const Thread& map_thread, json::Array inputs,
            IterationHelpers& helpers);
  ~MapPrerun();  // helpers stop taking work; waits for what they are running
  MapPrerun(const MapPrerun&) = delete;
  MapPrerun& operator=(const MapPrerun&) = delete;

  // Iteration `index`, run here if no helper has taken it yet. Each index is taken once.
  RanAheadIteration& await(long long index);
  const json::Value& input(long long index) const;

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
};

}  // namespace stepline::engine
