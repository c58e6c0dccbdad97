// JSON text the way Python's json.dumps writes it by default (", " and ": " separators, non-ASCII
// escaped): Step Functions words the cause of a legacy Lambda task's error in this form.
#pragma once

#include "common/json.hpp"

#include <string>

namespace stepline::integrations::lambda {

std::string python_dumps(const json::Value& value);

}  // namespace stepline::integrations::lambda
