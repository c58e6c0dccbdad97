#define PCRE2_CODE_UNIT_WIDTH 8
#include "api/shape_pattern.hpp"

#include <pcre2.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace stepline::api {

namespace {

struct CodeDeleter {
  void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
using Code = std::unique_ptr<pcre2_code, CodeDeleter>;

// Java spells the ASCII class \p{ASCII}; PCRE2 has no such property.
std::string to_pcre2(std::string_view java_pattern) {
  std::string out(java_pattern);
  const std::string ascii = "\\p{ASCII}";
  for (std::size_t at = out.find(ascii); at != std::string::npos; at = out.find(ascii, at))
    out.replace(at, ascii.size(), "[\\x{00}-\\x{7F}]");
  return out;
}

const pcre2_code* compiled(std::string_view pattern) {
  static std::mutex mutex;
  static std::map<std::string, Code, std::less<>> cache;
  std::lock_guard lock(mutex);
  if (auto it = cache.find(pattern); it != cache.end()) return it->second.get();
  const std::string source = to_pcre2(pattern);
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(),
                                   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &error, &offset, nullptr);
  return cache.emplace(std::string(pattern), Code(code)).first->second.get();
}

}  // namespace

bool matches_shape_pattern(std::string_view pattern, std::string_view value) {
  const pcre2_code* code = compiled(pattern);
  if (!code) return true;
  pcre2_match_data* data = pcre2_match_data_create_from_pattern(code, nullptr);
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(context, 1'000'000);
  pcre2_set_depth_limit(context, 10'000);
  const int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(value.data()), value.size(), 0,
                             PCRE2_ANCHORED | PCRE2_ENDANCHORED, data, context);
  pcre2_match_context_free(context);
  pcre2_match_data_free(data);
  if (rc >= 0) return true;
  return rc != PCRE2_ERROR_NOMATCH;
}

}  // namespace stepline::api
