// Opaque nextToken values: a position in a query's order (a sequence number or an event id),
// wrapped so that callers treat it as a black box and garbage is recognised.
#pragma once

#include "store/records.hpp"

#include <string>

namespace stepline::store {

std::string encode_page_token(long long position);
// Throws InvalidPageToken when `token` was not made by encode_page_token.
long long decode_page_token(const std::string& token);

// The page size a PageRequest asks for (0 means 100, the AWS default; at most 1000).
std::size_t page_limit(const PageRequest& page);

}  // namespace stepline::store
