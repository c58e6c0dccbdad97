// maxResults / nextToken of the List* resource operations: the request's page, store pages with
// AWS's InvalidToken for tokens the store did not issue, and paging over an in-memory list
// (filtered lists such as the aliases routing to one version).
#pragma once

#include "common/json.hpp"
#include "store/store.hpp"

#include <functional>
#include <string>
#include <vector>

namespace stepline::api::resources {

// maxResults (0 or absent: 100) and nextToken of `body`.
store::PageRequest page_request(const json::Object& body, bool reverse = false);

// One page of resources; throws InvalidToken "Invalid Token: 'Invalid token'" for a bad token.
store::Page<store::Resource> list_page(store::Store& store, store::ResourceKind kind,
                                       const std::string& parent_arn,
                                       const store::PageRequest& page);

// One page of `items` (already in answer order) for `page`, with a token of our own.
store::Page<json::Value> page_of(std::vector<json::Value> items, const store::PageRequest& page);

// Puts `items` and, when there is one, `nextToken` into a List* answer.
json::Object list_answer(const char* member, json::Array items, const std::string& next_token);

}  // namespace stepline::api::resources
