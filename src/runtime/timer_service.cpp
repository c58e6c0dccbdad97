#include "runtime/timer_service.hpp"

#include <vector>

namespace stepline::runtime {

TimerService::TimerService(Clock& clock, Fire fire) : clock_(clock), fire_(std::move(fire)) {
  listener_ = clock_.add_listener([this] { wake(); });
  thread_ = std::thread([this] { loop(); });
}

TimerService::~TimerService() {
  stop();
}

void TimerService::arm(TimerKey key) {
  {
    std::lock_guard lock(mutex_);
    timers_.insert(std::move(key));
    ++generation_;
  }
  changed_.notify_one();
}

void TimerService::cancel(const TimerKey& key) {
  std::lock_guard lock(mutex_);
  timers_.erase(key);
}

void TimerService::wake() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  changed_.notify_one();
}

void TimerService::stop() {
  clock_.remove_listener(listener_);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void TimerService::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (timers_.empty()) {
      const long long seen = generation_;
      changed_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      continue;
    }
    const TimerKey first = *timers_.begin();
    const long long seen = generation_;
    lock.unlock();
    auto wait = clock_.real_wait(first.due);
    lock.lock();
    if (!wait) {  // only a manual move of the clock can bring it
      changed_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      continue;
    }
    if (wait->count() > 0) {
      const auto until = std::chrono::steady_clock::now() + *wait;
      if (changed_.wait_until(lock, until, [&] { return stopping_ || generation_ != seen; })) {
        continue;  // something changed: look again
      }
    }
    lock.unlock();
    clock_.reached(first.due);
    const TimePoint now = clock_.now();
    lock.lock();
    std::vector<TimerKey> due;
    while (!timers_.empty() && timers_.begin()->due <= now) {
      due.push_back(*timers_.begin());
      timers_.erase(timers_.begin());
    }
    lock.unlock();
    for (const auto& key : due) fire_(key);
    lock.lock();
  }
}

SteadyDeadlines::SteadyDeadlines() : thread_([this] { loop(); }) {}

SteadyDeadlines::~SteadyDeadlines() {
  stop();
}

long long SteadyDeadlines::schedule(std::chrono::steady_clock::time_point at,
                                    std::function<void()> expired) {
  long long id = 0;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
    order_.emplace(at, id);
    entries_.emplace(id, std::pair(at, std::move(expired)));
  }
  changed_.notify_one();
  return id;
}

void SteadyDeadlines::cancel(long long id) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  order_.erase({it->second.first, id});
  entries_.erase(it);
}

void SteadyDeadlines::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void SteadyDeadlines::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (order_.empty()) {
      changed_.wait(lock);
      continue;
    }
    const auto [at, id] = *order_.begin();
    if (std::chrono::steady_clock::now() < at) {
      changed_.wait_until(lock, at);
      continue;
    }
    order_.erase(order_.begin());
    auto it = entries_.find(id);
    auto expired = std::move(it->second.second);
    entries_.erase(it);
    lock.unlock();
    expired();
    lock.lock();
  }
}

}  // namespace stepline::runtime
