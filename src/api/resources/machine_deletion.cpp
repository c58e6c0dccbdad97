#include "api/resources/machine_deletion.hpp"

#include "api/resources/api_failure.hpp"
#include "api/resources/documents.hpp"
#include "api/resources/machine_store.hpp"

#include <atomic>
#include <memory>
#include <vector>

namespace stepline::api::resources {

namespace {

// Marks the machine DELETING; false when it does not exist.
bool mark_deleting(const ServiceContext& context, const std::string& arn) {
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    std::optional<store::Resource> resource =
        context.store->get_resource(store::ResourceKind::StateMachine, arn);
    if (!resource) return false;
    MachineRecord machine = machine_from(*resource);
    if (machine.status == "DELETING") return true;
    machine.status = "DELETING";
    store::Resource updated = machine_resource(machine);
    updated.tags = resource->tags;
    if (context.store->write_resources({{std::move(updated), resource->version, false}}).ok)
      return true;
  }
  throw ApiFailure(conflict("Concurrent modification of state machine '" + arn + "'"));
}

std::vector<std::string> running_executions(const ServiceContext& context, const std::string& arn) {
  std::vector<std::string> out;
  store::ExecutionFilter filter;
  filter.state_machine_arn = arn;
  filter.status = "RUNNING";
  store::PageRequest page;
  page.limit = 1000;
  do {
    store::Page<store::ExecutionSummary> got = context.store->list_executions(filter, page);
    for (const store::ExecutionSummary& e : got.items) out.push_back(e.arn);
    page.token = got.next_token;
  } while (!page.token.empty());
  return out;
}

void erase_machine(const ServiceContext& context, const std::string& arn) {
  for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
    std::optional<store::Resource> machine =
        context.store->get_resource(store::ResourceKind::StateMachine, arn);
    if (!machine) return;
    std::vector<store::ResourceWrite> writes;
    for (auto kind : {store::ResourceKind::Alias, store::ResourceKind::Version}) {
      for (store::Resource& r : list_all(context, kind, arn)) {
        const store::Version version = r.version;
        writes.push_back({std::move(r), version, true});
      }
    }
    writes.push_back({*machine, machine->version, true});
    if (context.store->write_resources(writes).ok) return;
  }
  throw ApiFailure(conflict("Concurrent modification of state machine '" + arn + "'"));
}

}  // namespace

void delete_machine(const ServiceContext& context, const std::string& machine_arn,
                    std::function<void(ApiOutcome)> done) {
  std::vector<std::string> executions;
  ApiOutcome marked = answer_with([&]() -> json::Object {
    if (mark_deleting(context, machine_arn)) executions = running_executions(context, machine_arn);
    return {};
  });
  if (std::holds_alternative<ApiError>(marked) || executions.empty() ||
      context.runtime == nullptr) {
    if (std::holds_alternative<ApiError>(marked)) {
      done(std::move(marked));
      return;
    }
    done(answer_with([&]() -> json::Object {
      erase_machine(context, machine_arn);
      return {};
    }));
    return;
  }
  // The last stop to be acknowledged erases the machine and answers.
  struct Pending {
    std::atomic<std::size_t> remaining;
    std::function<void(ApiOutcome)> done;
  };
  auto pending = std::make_shared<Pending>();
  pending->remaining = executions.size();
  pending->done = std::move(done);
  for (const std::string& execution : executions) {
    context.runtime->stop(execution, StatesError{},
                          [context, machine_arn, pending](runtime::StopResult) {
                            if (pending->remaining.fetch_sub(1) != 1) return;
                            pending->done(answer_with([&]() -> json::Object {
                              erase_machine(context, machine_arn);
                              return {};
                            }));
                          });
  }
}

}  // namespace stepline::api::resources
