#include "common/clock.hpp"

#include <thread>

namespace stepline {

SystemClock::SystemClock(double scale) : scale_(scale) {}

TimePoint SystemClock::now() {
  std::lock_guard lock(mutex_);
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()) + skipped_;
}

void SystemClock::sleep_until(TimePoint t) {
  TimePoint current = now();
  if (t <= current) return;
  Millis remaining = t - current;
  auto real = std::chrono::duration_cast<Millis>(remaining * scale_);
  if (real.count() > 0) std::this_thread::sleep_for(real);
  std::lock_guard lock(mutex_);
  skipped_ += remaining - real;
}

ManualClock::ManualClock(TimePoint start) : now_(start) {}

TimePoint ManualClock::now() {
  std::lock_guard lock(mutex_);
  return now_;
}

void ManualClock::sleep_until(TimePoint t) {
  std::lock_guard lock(mutex_);
  if (t > now_) now_ = t;
}

void ManualClock::advance(Millis d) {
  std::lock_guard lock(mutex_);
  now_ += d;
}

void ManualClock::set(TimePoint t) {
  std::lock_guard lock(mutex_);
  now_ = t;
}

}  // namespace stepline
