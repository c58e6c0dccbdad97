// Time behind an interface so that tests run hour-long Waits instantly: the system clock (with an
// optional time scale for `stepline run --time-scale`) and a manual clock tests advance by hand.
#pragma once

#include "common/time.hpp"

#include <mutex>

namespace stepline {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() = 0;
  // Blocks (or, for virtual clocks, jumps) until now() >= t. Used only by single-threaded
  // drivers such as `stepline run`; the server arms timers instead.
  virtual void sleep_until(TimePoint t) = 0;
};

// Wall-clock time. With a scale s, time passes s times as fast as real time while waiting:
// s = 1 is real time, s = 0 never waits (a wait jumps straight to its due time).
class SystemClock final : public Clock {
 public:
  explicit SystemClock(double scale = 1.0);
  TimePoint now() override;
  void sleep_until(TimePoint t) override;

 private:
  double scale_;
  std::mutex mutex_;
  Millis skipped_{0};  // virtual time added by waits that were shortened by the scale
};

// A clock that only moves when told to. sleep_until() advances it, so a single-threaded run
// completes instantly; tests may also advance() by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start);
  TimePoint now() override;
  void sleep_until(TimePoint t) override;
  void advance(Millis d);
  void set(TimePoint t);

 private:
  std::mutex mutex_;
  TimePoint now_;
};

}  // namespace stepline
