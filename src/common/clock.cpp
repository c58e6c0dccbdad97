#include "common/clock.hpp"

#include <thread>

namespace stepline {

std::optional<std::chrono::nanoseconds> Clock::real_wait(TimePoint t) {
  TimePoint current = now();
  if (t <= current) return std::chrono::nanoseconds(0);
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t - current);
}

void Clock::reached(TimePoint) {}

long long Clock::add_listener(std::function<void()>) {
  return 0;
}

void Clock::remove_listener(long long) {}

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

std::optional<std::chrono::nanoseconds> SystemClock::real_wait(TimePoint t) {
  TimePoint current = now();
  if (t <= current) return std::chrono::nanoseconds(0);
  auto remaining = std::chrono::duration_cast<std::chrono::nanoseconds>(t - current);
  return std::chrono::duration_cast<std::chrono::nanoseconds>(remaining * scale_);
}

void SystemClock::reached(TimePoint t) {
  std::lock_guard lock(mutex_);
  TimePoint current =
      std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now()) + skipped_;
  if (t > current) skipped_ += t - current;
}

ManualClock::ManualClock(TimePoint start) : now_(start) {}

TimePoint ManualClock::now() {
  std::lock_guard lock(mutex_);
  return now_;
}

void ManualClock::sleep_until(TimePoint t) {
  {
    std::lock_guard lock(mutex_);
    if (t <= now_) return;
    now_ = t;
  }
  notify();
}

void ManualClock::advance(Millis d) {
  {
    std::lock_guard lock(mutex_);
    now_ += d;
  }
  notify();
}

void ManualClock::set(TimePoint t) {
  {
    std::lock_guard lock(mutex_);
    now_ = t;
  }
  notify();
}

std::optional<std::chrono::nanoseconds> ManualClock::real_wait(TimePoint t) {
  if (t <= now()) return std::chrono::nanoseconds(0);
  return std::nullopt;
}

long long ManualClock::add_listener(std::function<void()> listener) {
  std::lock_guard lock(listeners_mutex_);
  long long id = next_listener_++;
  listeners_.emplace(id, std::move(listener));
  return id;
}

void ManualClock::remove_listener(long long id) {
  std::lock_guard lock(listeners_mutex_);
  listeners_.erase(id);
}

void ManualClock::notify() {
  std::lock_guard lock(listeners_mutex_);
  for (auto& [id, listener] : listeners_) listener();
}

}  // namespace stepline
