// Serialisation straight into a JSON string value (on that value's storage): history events hold
// their state data as JSON text, and building it in place saves a copy per event.
#pragma once

#include "common/json.hpp"

#include <boost/json/string.hpp>

namespace stepline::json {

// Appends dump(value) to `out`.
void dump_to(String& out, const Value& value);

// dump(value) into a buffer of this thread, valid until its next call: for text that is copied
// elsewhere at once.
std::string_view dump_scratch(const Value& value);

}  // namespace stepline::json
