// The AWS Step Functions service model (botocore JSON), embedded in the binary at build time so
// `stepline serve` needs no file beside it. See README.md in this folder for its origin.
#pragma once

#include <string>

namespace stepline::api {

// The model's JSON text, exactly as in src/api/model/stepfunctions-service-2.json.
const std::string& embedded_service_model();

}  // namespace stepline::api
