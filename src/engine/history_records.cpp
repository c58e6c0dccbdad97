// History records and their JSON form.
#include "engine/history_records.hpp"

#include <boost/json/monotonic_resource.hpp>

#include <cstring>
#include <string>

namespace stepline::engine {

HistoryRecords::HistoryRecords()
    : storage_(boost::json::make_shared_resource<boost::json::monotonic_resource>()) {
  records_.reserve(16);
}

std::string_view HistoryRecords::keep(std::string_view text) {
  if (text.empty()) return {};
  auto* bytes = static_cast<char*>(storage_->allocate(text.size(), 1));
  std::memcpy(bytes, text.data(), text.size());
  return {bytes, text.size()};
}

json::Object HistoryRecords::to_json(const HistoryRecord& r) const {
  json::Object e(storage_);
  e.reserve(r.details_key.empty() ? 4 : 5);
  e.emplace("timestamp", to_epoch_seconds(r.timestamp));
  e.emplace("type", r.type);
  e.emplace("id", r.id);
  e.emplace("previousEventId", r.previous_event_id);
  if (r.details_key.empty()) return e;
  if (r.index >= 0) {
    json::Object details(storage_);
    details.reserve(2);
    details.emplace("name", r.name);
    details.emplace("index", r.index);
    e.emplace(r.details_key, std::move(details));
    return e;
  }
  if (r.data_field.empty()) {
    e.emplace(r.details_key,
              r.details ? json::Object(*r.details, storage_) : json::Object(storage_));
    return e;
  }
  json::Object details(storage_);
  details.reserve(4);
  if (r.has_name) details.emplace("name", r.name);
  details.emplace(r.data_field, r.data);
  json::Object truncated(storage_);
  truncated.emplace("truncated", false);
  details.emplace(std::string(r.data_field) + "Details", std::move(truncated));
  if (!r.last_key.empty()) details.emplace(r.last_key, r.last_value);
  e.emplace(r.details_key, std::move(details));
  return e;
}

json::Array HistoryRecords::to_json() const {
  json::Array out;
  out.reserve(records_.size());
  for (const auto& r : records_) out.emplace_back(json::Object(to_json(r), out.storage()));
  return out;
}

}  // namespace stepline::engine
