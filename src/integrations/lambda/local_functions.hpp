// Local Lambda functions from a functions file: per function a pool of warm workers (at most
// `concurrency`), started on demand (or ahead of it, see warm_up), reused between invocations and
// replaced when one times out or crashes.
#pragma once

#include "integrations/lambda/functions_file.hpp"
#include "integrations/lambda/lambda_backend.hpp"
#include "integrations/lambda/worker.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace stepline::integrations::lambda {

class LocalFunctions final : public LambdaBackend {
 public:
  explicit LocalFunctions(FunctionsFile file);
  // Ends every worker, including those still running abandoned or asynchronous invocations.
  ~LocalFunctions() override;

  // Starts one worker per function now and waits (at most `patience`) until they have
  // initialised, so that a Task's TimeoutSeconds/HeartbeatSeconds never pays for a local
  // interpreter start (far slower than a Lambda cold start, more so on a busy machine). From
  // then on a function whose last worker ends (timeout, crash) gets a fresh one at once.
  // `region` is the workers' AWS_REGION; an invocation in another region starts its own.
  void warm_up(const std::string& region, std::chrono::steady_clock::duration patience);

  InvokeResponse invoke(const InvokeRequest& request) override;
  bool has_function(const std::string& function_name) const override;

  // Workers currently alive for `function_name` (idle or busy).
  int live_workers(const std::string& function_name) const;

 private:
  struct Pool;
  std::shared_ptr<Worker> acquire(Pool& pool, const InvokeRequest& request);
  void release(Pool& pool, std::shared_ptr<Worker> worker, bool reusable);
  // Lets `worker` finish its invocation off the caller's thread, then returns it to the pool.
  void finish_in_background(Pool& pool, std::shared_ptr<Worker> worker);

  // A worker for `pool`, ready to be offered; nullptr when it cannot be started.
  std::shared_ptr<Worker> spare_worker(Pool& pool, const std::string& region);

  std::map<std::string, std::unique_ptr<Pool>> pools_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  bool closing_ = false;
  bool keep_warm_ = false;  // set by warm_up
  int background_ = 0;      // detached threads finishing invocations; the destructor waits for them
  std::condition_variable background_done_;
};

}  // namespace stepline::integrations::lambda
