#include "query/jsonata/regex.hpp"

#include "query/jsonata/failure.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace stepline::jsonata {

namespace {
// JavaScript spells some escapes PCRE2 does not know (`\/`); PCRE2 treats unknown escapes of
// punctuation literally already, so only the pattern text is passed through.
}

Regex::Regex(const std::string& pattern, const std::string& flags) : pattern_(pattern) {
  uint32_t options = PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_MATCH_UNSET_BACKREF;
  for (char f : flags) {
    if (f == 'i') options |= PCRE2_CASELESS;
    if (f == 'm') options |= PCRE2_MULTILINE;
  }
  int error = 0;
  PCRE2_SIZE offset = 0;
  code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options,
                        &error, &offset, nullptr);
  if (!code_) throw Failure("S0303").with_value(Value::string(pattern));
}

Regex::~Regex() {
  pcre2_code_free(static_cast<pcre2_code*>(code_));
}

std::optional<RegexMatch> Regex::exec(std::string_view subject, std::size_t from) const {
  if (from > subject.size()) return std::nullopt;
  auto* code = static_cast<pcre2_code*>(code_);
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code, nullptr);
  int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), from, 0,
                       md, nullptr);
  if (rc < 0) {
    pcre2_match_data_free(md);
    return std::nullopt;
  }
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  uint32_t pairs = pcre2_get_ovector_count(md);
  RegexMatch m;
  m.start = ov[0];
  m.end = ov[1];
  m.text = std::string(subject.substr(m.start, m.end - m.start));
  uint32_t captures = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &captures);
  for (uint32_t i = 1; i <= captures; ++i) {
    if (i < pairs && ov[2 * i] != PCRE2_UNSET)
      m.groups.emplace_back(std::string(subject.substr(ov[2 * i], ov[2 * i + 1] - ov[2 * i])));
    else
      m.groups.emplace_back(std::nullopt);
  }
  pcre2_match_data_free(md);
  return m;
}

}  // namespace stepline::jsonata
