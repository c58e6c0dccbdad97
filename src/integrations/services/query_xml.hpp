// Just enough XML for the AWS query protocol's answers (SNS): elements and text, no attributes
// kept, turned into JSON (leaf elements are strings, `member`/`entry` lists are arrays).
#pragma once

#include "common/json.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace stepline::integrations::services {

// The JSON form of the first element named `name` in `xml`; nullopt when absent or malformed.
std::optional<json::Value> xml_element_to_json(std::string_view xml, std::string_view name);

// The text of the first element named `name`, or "".
std::string xml_text(std::string_view xml, std::string_view name);

}  // namespace stepline::integrations::services
