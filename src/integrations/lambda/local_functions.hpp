// Local Lambda functions from a functions file: per function a pool of warm workers (at most
// `concurrency`), started on demand, reused between invocations and replaced when one times out
// or crashes.
#pragma once

#include "integrations/lambda/functions_file.hpp"
#include "integrations/lambda/lambda_backend.hpp"
#include "integrations/lambda/worker.hpp"

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

  std::map<std::string, std::unique_ptr<Pool>> pools_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  bool closing_ = false;
  int background_ = 0;  // detached threads finishing invocations; the destructor waits for them
  std::condition_variable background_done_;
};

}  // namespace stepline::integrations::lambda
