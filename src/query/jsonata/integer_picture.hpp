// XPath integer pictures as $formatInteger/$parseInteger and date/time markers use them:
// decimal digit patterns with grouping separators, roman numerals, letters, English words.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace stepline::jsonata {

struct IntegerPicture {
  enum class Primary { Decimal, Letters, Roman, Words, Sequence } primary = Primary::Decimal;
  enum class Case { Upper, Lower, Title } letter_case = Case::Lower;
  bool ordinal = false;
  char32_t zero_code = U'0';
  int mandatory_digits = 0;
  int optional_digits = 0;
  bool regular = false;
  struct Separator {
    int position;
    std::u32string character;
  };
  std::vector<Separator> separators;  // when regular: one entry, its position is the interval
  std::string token;                  // the picture, for D3130
  int parse_width = 0;                // fixed width when parsing adjacent numeric markers
};

// Throws Failure D3130/D3131.
IntegerPicture analyse_integer_picture(const std::string& picture);
std::string format_integer(double value, const IntegerPicture& picture);
// A regex (PCRE2 syntax) matching what the picture produces, and the parser of a match.
std::string integer_regex(const IntegerPicture& picture);
double parse_integer_text(const std::string& text, const IntegerPicture& picture);

std::u32string to_u32(const std::string& s);
std::string from_u32(const std::u32string& s);

}  // namespace stepline::jsonata
