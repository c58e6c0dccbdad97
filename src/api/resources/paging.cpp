#include "api/resources/paging.hpp"

#include "api/resources/api_failure.hpp"
#include "store/page_token.hpp"

namespace stepline::api::resources {

store::PageRequest page_request(const json::Object& body, bool reverse) {
  store::PageRequest page;
  page.reverse = reverse;
  if (const json::Value* m = body.if_contains("maxResults");
      m && m->is_int64() && m->get_int64() > 0)
    page.limit = static_cast<std::size_t>(m->get_int64());
  if (const json::Value* t = body.if_contains("nextToken"); t && t->is_string())
    page.token = std::string(t->get_string());
  return page;
}

store::Page<store::Resource> list_page(store::Store& store, store::ResourceKind kind,
                                       const std::string& parent_arn,
                                       const store::PageRequest& page) {
  try {
    return store.list_resources(kind, parent_arn, page);
  } catch (const store::InvalidPageToken&) {
    throw ApiFailure(invalid_token("Invalid token"));
  }
}

store::Page<json::Value> page_of(std::vector<json::Value> items, const store::PageRequest& page) {
  long long start = 0;
  if (!page.token.empty()) {
    try {
      start = store::decode_page_token(page.token);
    } catch (const store::InvalidPageToken&) {
      throw ApiFailure(invalid_token("Invalid token"));
    }
    if (start < 0 || start > static_cast<long long>(items.size()))
      throw ApiFailure(invalid_token("Invalid token"));
  }
  const std::size_t limit = store::page_limit(page);
  store::Page<json::Value> out;
  std::size_t end = std::min(items.size(), static_cast<std::size_t>(start) + limit);
  for (std::size_t i = static_cast<std::size_t>(start); i < end; ++i)
    out.items.push_back(std::move(items[i]));
  if (end < items.size()) out.next_token = store::encode_page_token(static_cast<long long>(end));
  return out;
}

json::Object list_answer(const char* member, json::Array items, const std::string& next_token) {
  json::Object out;
  out[member] = std::move(items);
  if (!next_token.empty()) out["nextToken"] = next_token;
  return out;
}

}  // namespace stepline::api::resources
