// JavaScript regular expressions on PCRE2: literal /pattern/flags with i and m, matched
// globally from a start offset. Offsets are UTF-8 byte offsets.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepline::jsonata {

struct RegexMatch {
  std::size_t start = 0;
  std::size_t end = 0;
  std::vector<std::optional<std::string>> groups;  // capture groups 1..n
  std::string text;
};

class Regex {
 public:
  // Throws Failure("S0303") when the pattern does not compile.
  Regex(const std::string& pattern, const std::string& flags);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  std::optional<RegexMatch> exec(std::string_view subject, std::size_t from) const;
  const std::string& pattern() const { return pattern_; }

 private:
  std::string pattern_;
  void* code_ = nullptr;
};

}  // namespace stepline::jsonata
