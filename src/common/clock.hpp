// Time behind an interface so that tests run hour-long Waits instantly: the system clock (with an
// optional time scale for `stepline run --time-scale`) and a manual clock tests advance by hand.
// Single-threaded drivers sleep on it; the server's timer service asks it how long to wait.
#pragma once

#include "common/time.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>

namespace stepline {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() = 0;
  // Blocks (or, for virtual clocks, jumps) until now() >= t. Used only by single-threaded
  // drivers such as `stepline run`; the server arms timers instead.
  virtual void sleep_until(TimePoint t) = 0;

  // ---- for timer services that wait on a condition variable (`stepline serve`) ----

  // The real time to wait before `t` is due (zero once it is), or nullopt when only moving the
  // clock by hand can bring it (ManualClock: wait for a listener call instead).
  virtual std::optional<std::chrono::nanoseconds> real_wait(TimePoint t);
  // A timer service has waited real_wait(t): a scaled clock jumps over the time its scale saved,
  // so that now() >= t afterwards.
  virtual void reached(TimePoint t);
  // `listener` runs after every manual move of the clock (advance/set), on the mover's thread.
  // Returns an id for remove_listener. Clocks that never move by hand ignore listeners.
  virtual long long add_listener(std::function<void()> listener);
  virtual void remove_listener(long long id);
};

// Wall-clock time. With a scale s, time passes s times as fast as real time while waiting:
// s = 1 is real time, s = 0 never waits (a wait jumps straight to its due time).
class SystemClock final : public Clock {
 public:
  explicit SystemClock(double scale = 1.0);
  TimePoint now() override;
  void sleep_until(TimePoint t) override;
  std::optional<std::chrono::nanoseconds> real_wait(TimePoint t) override;
  void reached(TimePoint t) override;

 private:
  double scale_;
  std::mutex mutex_;
  Millis skipped_{0};  // virtual time added by waits that were shortened by the scale
};

// A clock that only moves when told to. sleep_until() advances it, so a single-threaded run
// completes instantly; tests may also advance() by hand, which wakes the server's timers.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start);
  TimePoint now() override;
  void sleep_until(TimePoint t) override;
  void advance(Millis d);
  void set(TimePoint t);
  std::optional<std::chrono::nanoseconds> real_wait(TimePoint t) override;
  long long add_listener(std::function<void()> listener) override;
  void remove_listener(long long id) override;

 private:
  void notify();

  std::mutex mutex_;
  TimePoint now_;
  std::mutex listeners_mutex_;  // held while listeners run, so remove_listener waits for them
  std::map<long long, std::function<void()>> listeners_;
  long long next_listener_ = 1;
};

}  // namespace stepline
