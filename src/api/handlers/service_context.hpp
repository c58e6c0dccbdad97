// What the store- and runtime-backed operation handlers share: the durable store, the runtime,
// the clock and id source, and the region/account every ARN is built in.
#pragma once

#include "common/clock.hpp"
#include "common/ids.hpp"
#include "integrations/invoker.hpp"
#include "runtime/runtime.hpp"
#include "store/store.hpp"

#include <memory>
#include <string>

namespace stepline::api {

class MachineRefCache;

struct ServiceContext {
  store::Store* store = nullptr;
  runtime::Runtime* runtime = nullptr;
  Clock* clock = nullptr;
  IdSource* ids = nullptr;
  // Runs the un-mocked Tasks of TestState (the runtime has its own reference to it).
  integrations::TaskInvoker* invoker = nullptr;
  std::string region = "us-east-1";
  std::string account = "123456789012";
  // Machine ARNs StartExecution/StartSyncExecution resolved (machine_ref_cache.hpp); null: none.
  // service_registry sets one for its handlers.
  std::shared_ptr<MachineRefCache> machine_refs;
};

}  // namespace stepline::api
