// Timers on the execution Clock (Wait states, retry back-off, task TimeoutSeconds and
// HeartbeatSeconds, the machine's TimeoutSeconds): one thread sleeps until the earliest due time
// as the Clock says (real time, a scaled time, or a ManualClock tests move), then hands every
// due timer to the callback.
#pragma once

#include "common/clock.hpp"

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>

namespace stepline::runtime {

struct TimerKey {
  TimePoint due{};
  std::string execution_arn;
  long long id = 0;
  auto operator<=>(const TimerKey&) const = default;
};

class TimerService {
 public:
  using Fire = std::function<void(const TimerKey&)>;
  TimerService(Clock& clock, Fire fire);
  ~TimerService();
  TimerService(const TimerService&) = delete;
  TimerService& operator=(const TimerService&) = delete;

  void arm(TimerKey key);
  void cancel(const TimerKey& key);
  void stop();

 private:
  void loop();
  void wake();

  Clock& clock_;
  Fire fire_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::set<TimerKey> timers_;
  long long generation_ = 0;  // bumped by every change that may move the earliest due time
  bool stopping_ = false;
  long long listener_ = 0;
  std::thread thread_;
};

// Deadlines in real (steady) time with a callback each: GetActivityTask's long polls.
class SteadyDeadlines {
 public:
  SteadyDeadlines();
  ~SteadyDeadlines();
  SteadyDeadlines(const SteadyDeadlines&) = delete;
  SteadyDeadlines& operator=(const SteadyDeadlines&) = delete;

  // Runs `expired` on this object's thread once `at` has passed, unless cancelled first.
  long long schedule(std::chrono::steady_clock::time_point at, std::function<void()> expired);
  void cancel(long long id);
  // Runs nothing more; pending callbacks are dropped.
  void stop();

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::set<std::pair<std::chrono::steady_clock::time_point, long long>> order_;
  std::map<long long, std::pair<std::chrono::steady_clock::time_point, std::function<void()>>>
      entries_;
  long long next_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace stepline::runtime
