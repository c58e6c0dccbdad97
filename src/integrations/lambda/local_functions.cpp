#include "integrations/lambda/local_functions.hpp"

#include "common/digest.hpp"
#include "common/ids.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <thread>

namespace stepline::integrations::lambda {

using Clock = std::chrono::steady_clock;

struct LocalFunctions::Pool {
  FunctionConfig config;
  std::vector<std::shared_ptr<Worker>> idle;
  int live = 0;
};

namespace {

std::string new_request_id() {
  static RandomIdSource ids;
  return ids.uuid();
}

// Lambda's LogType Tail: the invocation's log framed by START/END/REPORT lines, its last 4 KB in
// Base64.
std::string log_tail(const std::string& id, const std::string& output,
                     std::chrono::duration<double, std::milli> duration, long memory_mb) {
  std::string log = fmt::format("START RequestId: {} Version: $LATEST\n", id) + output;
  if (!log.empty() && log.back() != '\n') log += '\n';
  log += fmt::format(
      "END RequestId: {}\nREPORT RequestId: {}\tDuration: {:.2f} ms\tBilled Duration: {} ms\t"
      "Memory Size: 128 MB\tMax Memory Used: {} MB\t\n",
      id, id, duration.count(), static_cast<long long>(std::ceil(duration.count())), memory_mb);
  if (log.size() > 4096) log.erase(0, log.size() - 4096);
  return digest::base64_encode(log);
}

std::string function_arn(const InvokeRequest& r) {
  return fmt::format("arn:aws:lambda:{}:{}:function:{}", r.location.region, r.location.account,
                     r.function_name);
}

}  // namespace

std::string function_not_found_message(const InvokeRequest& r) {
  return fmt::format("Function not found: {}:{}", function_arn(r), r.qualifier.value_or("$LATEST"));
}

LocalFunctions::LocalFunctions(FunctionsFile file) {
  for (auto& [name, config] : file.functions) {
    auto pool = std::make_unique<Pool>();
    pool->config = std::move(config);
    pools_.emplace(name, std::move(pool));
  }
}

LocalFunctions::~LocalFunctions() {
  std::unique_lock lock(mutex_);
  closing_ = true;
  idle_.notify_all();
  background_done_.wait(lock, [&] { return background_ == 0; });
  // Idle workers end with their pools.
}

std::shared_ptr<Worker> LocalFunctions::spare_worker(Pool& pool, const std::string& region) {
  try {
    return std::make_shared<Worker>(pool.config, WorkerSetup{region});
  } catch (const std::exception&) {
    return nullptr;  // the next invocation tries again and reports why it cannot start
  }
}

void LocalFunctions::warm_up(const std::string& region, Clock::duration patience) {
  std::vector<std::shared_ptr<Worker>> started;
  {
    std::lock_guard lock(mutex_);
    keep_warm_ = true;
  }
  for (auto& [name, pool] : pools_) {
    if (pool->config.concurrency < 1) continue;
    auto worker = spare_worker(*pool, region);
    if (!worker) continue;
    started.push_back(worker);
    std::lock_guard lock(mutex_);
    ++pool->live;
    pool->idle.push_back(std::move(worker));
  }
  idle_.notify_all();
  // They boot in parallel; one that is still booting then is used all the same.
  const auto until = Clock::now() + patience;
  for (auto& worker : started) worker->wait_ready(until);
}

bool LocalFunctions::has_function(const std::string& function_name) const {
  return pools_.count(function_name) > 0;
}

int LocalFunctions::live_workers(const std::string& function_name) const {
  auto it = pools_.find(function_name);
  if (it == pools_.end()) return 0;
  std::lock_guard lock(mutex_);
  return it->second->live;
}

std::shared_ptr<Worker> LocalFunctions::acquire(Pool& pool, const InvokeRequest& request) {
  std::vector<std::shared_ptr<Worker>> discarded;  // ended after the lock is released
  std::unique_lock lock(mutex_);
  for (;;) {
    if (closing_) {
      throw LambdaServiceError("ServiceException", 500, "Stepline is shutting down");
    }
    // A worker done with its init goes first; a spare still booting is the second choice.
    auto ready = std::find_if(pool.idle.rbegin(), pool.idle.rend(),
                              [](const std::shared_ptr<Worker>& w) { return w->ready(); });
    if (ready != pool.idle.rend()) std::iter_swap(ready, pool.idle.rbegin());
    while (!pool.idle.empty()) {
      auto worker = std::move(pool.idle.back());
      pool.idle.pop_back();
      // A worker that died while idle, or was warmed up for another region: Lambda would start
      // a fresh sandbox, and so do we.
      if (worker->alive() && worker->region() == request.location.region) {
        // Warm functions keep a worker booted ahead of demand: the next concurrent invocation
        // then finds one at least partly started rather than paying a whole cold start.
        if (keep_warm_ && pool.idle.empty() && pool.live < pool.config.concurrency) {
          ++pool.live;
          lock.unlock();
          auto spare = spare_worker(pool, request.location.region);
          lock.lock();
          if (spare && !closing_) {
            pool.idle.push_back(std::move(spare));
          } else {
            --pool.live;
            discarded.push_back(std::move(spare));
          }
        }
        lock.unlock();
        return worker;
      }
      --pool.live;
      discarded.push_back(std::move(worker));
    }
    if (pool.live < pool.config.concurrency) {
      ++pool.live;
      lock.unlock();
      try {
        return std::make_shared<Worker>(pool.config, WorkerSetup{request.location.region});
      } catch (const std::exception& e) {
        lock.lock();
        --pool.live;
        idle_.notify_all();
        throw LambdaServiceError("ServiceException", 500, e.what());
      }
    }
    // Every worker is busy: wait for one, as long as the caller is willing to.
    if (request.give_up) {
      if (idle_.wait_until(lock, *request.give_up) == std::cv_status::timeout &&
          Clock::now() >= *request.give_up) {
        return nullptr;
      }
    } else {
      idle_.wait(lock);
    }
  }
}

void LocalFunctions::release(Pool& pool, std::shared_ptr<Worker> worker, bool reusable) {
  bool replace = false;
  {
    std::lock_guard lock(mutex_);
    if (reusable && !closing_) {
      pool.idle.push_back(std::move(worker));
    } else {
      --pool.live;
      // Keep the function warm: its next invocation should not pay for a process start.
      replace = keep_warm_ && !closing_ && pool.live == 0;
      if (replace) ++pool.live;
    }
  }
  if (replace) {
    const std::string region = worker->region();
    worker.reset();  // the old process ends first, outside the lock
    auto fresh = spare_worker(pool, region);
    std::lock_guard lock(mutex_);
    if (fresh && !closing_) {
      pool.idle.push_back(std::move(fresh));
    } else {
      --pool.live;
    }
  }
  worker.reset();  // a worker that is not reused ends here, outside the lock
  idle_.notify_all();
}

void LocalFunctions::finish_in_background(Pool& pool, std::shared_ptr<Worker> worker) {
  {
    std::lock_guard lock(mutex_);
    if (closing_) {
      --pool.live;
      return;  // `worker` ends with this scope
    }
    ++background_;
  }
  std::thread([this, &pool, worker]() mutable {
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (closing_) break;
      }
      if (auto result = worker->wait(Clock::now() + std::chrono::milliseconds(200))) {
        release(pool, std::move(worker), result->worker_reusable);
        break;
      }
    }
    if (worker) release(pool, std::move(worker), false);
    std::lock_guard lock(mutex_);
    --background_;
    background_done_.notify_all();
  }).detach();
}

InvokeResponse LocalFunctions::invoke(const InvokeRequest& request) {
  auto it = pools_.find(request.function_name);
  // A functions file has no versions or aliases: every qualifier runs the one local handler.
  if (it == pools_.end()) {
    throw LambdaServiceError("ResourceNotFoundException", 404, function_not_found_message(request));
  }
  Pool& pool = *it->second;
  InvokeResponse response;
  response.request_id = new_request_id();
  if (request.invocation_type == "DryRun") {
    response.status_code = 204;
    return response;
  }
  std::shared_ptr<Worker> worker = acquire(pool, request);
  if (!worker) {
    response.abandoned = true;
    return response;
  }
  worker->start(response.request_id, request.payload.empty() ? "{}" : request.payload,
                function_arn(request));
  if (request.invocation_type == "Event") {
    response.status_code = 202;
    finish_in_background(pool, std::move(worker));
    return response;
  }
  // A local process start is far slower than Lambda's cold start: the Task's patience starts
  // once the worker has taken the invocation, not while the interpreter boots.
  const auto started = Clock::now();
  std::optional<InvocationResult> result;
  while (!result && !worker->taken_at()) {
    result = worker->wait(Clock::now() + std::chrono::milliseconds(50));
  }
  if (!result) {
    auto until = Clock::time_point::max();
    if (request.give_up) until = *request.give_up + (*worker->taken_at() - started);
    result = worker->wait(until);
  }
  if (!result) {
    response.abandoned = true;
    finish_in_background(pool, std::move(worker));
    return response;
  }
  response.payload = std::move(result->payload);
  response.function_error = std::move(result->function_error);
  if (request.tail_log) {
    const auto began = worker->taken_at().value_or(started);
    response.log_result = log_tail(response.request_id, result->log,
                                   std::chrono::duration<double, std::milli>(Clock::now() - began),
                                   worker->peak_memory_mb());
  }
  release(pool, std::move(worker), result->worker_reusable);
  return response;
}

}  // namespace stepline::integrations::lambda
