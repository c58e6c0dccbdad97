// The Python and Node.js runtime clients Stepline ships inside the binary, and the private
// folder they are written to at first use.
#pragma once

#include "integrations/lambda/functions_file.hpp"

#include <string>

namespace stepline::integrations::lambda {

extern const char* const kPythonBootstrap;
extern const char* const kNodeBootstrap;

// The path of the runtime client for `runtime` (Python or Node), written on first use into a
// private temporary folder (mode 0700) that is removed at exit.
std::string bootstrap_path(Runtime runtime);

}  // namespace stepline::integrations::lambda
