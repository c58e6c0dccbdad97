#include "api/operation_registry.hpp"

#include <utility>

namespace stepline::api {

void OperationRegistry::add(std::string operation, OperationHandler handler) {
  handlers_[std::move(operation)] = std::move(handler);
}

void OperationRegistry::add_sync(std::string operation,
                                 std::function<ApiOutcome(const ApiRequest&)> handler) {
  add(std::move(operation),
      [handler = std::move(handler)](const ApiRequest& request, ApiReply reply) {
        reply(handler(request));
      });
}

const OperationHandler* OperationRegistry::find(std::string_view operation) const {
  auto it = handlers_.find(operation);
  return it == handlers_.end() ? nullptr : &it->second;
}

}  // namespace stepline::api
