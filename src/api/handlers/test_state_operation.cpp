// Scaffolding until this group is written: registers nothing, so its operations still answer
// UnsupportedOperation. Replaced by the group's handlers.
#include "api/handlers/handlers.hpp"

namespace stepline::api {

void register_test_state_operation(OperationRegistry&, const ServiceContext&) {}

}  // namespace stepline::api
