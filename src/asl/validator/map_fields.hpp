// Checks of the Map state's sub-objects: ItemReader, ItemBatcher, ResultWriter, Label, and the
// numeric fields a JSONata state may compute.
#pragma once

#include "asl/validator/context.hpp"
#include "common/json.hpp"

#include <cstdint>
#include <string_view>

namespace stepline::asl::validation {

// An integer field in [min, max]; JSONata states may give an expression instead.
void check_count_field(const StateSite& site, const json::Object& object, std::string_view field,
                       std::int64_t min, std::int64_t max, const std::string* parent = nullptr);

void check_item_reader(const StateSite& site, const json::Value& reader);
void check_item_batcher(const StateSite& site, const json::Value& batcher);
void check_result_writer(const StateSite& site, const json::Value& writer);
// Label: 1..40 characters, none of the characters AWS forbids in names; unique in the document.
void check_label(const StateSite& site, const json::Value& label);

}  // namespace stepline::asl::validation
