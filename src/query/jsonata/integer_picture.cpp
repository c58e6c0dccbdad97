#include "query/jsonata/integer_picture.hpp"

#include "query/jsonata/failure.hpp"
#include "query/jsonata/lexer.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace stepline::jsonata {

namespace {

const char* const kFew[] = {"Zero",    "One",     "Two",       "Three",    "Four",
                            "Five",    "Six",     "Seven",     "Eight",    "Nine",
                            "Ten",     "Eleven",  "Twelve",    "Thirteen", "Fourteen",
                            "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"};
const char* const kOrdinals[] = {
    "Zeroth",     "First",     "Second",    "Third",       "Fourth",     "Fifth",     "Sixth",
    "Seventh",    "Eighth",    "Ninth",     "Tenth",       "Eleventh",   "Twelfth",   "Thirteenth",
    "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"};
const char* const kDecades[] = {"Twenty",  "Thirty", "Forty",  "Fifty",  "Sixty",
                                "Seventy", "Eighty", "Ninety", "Hundred"};
const char* const kMagnitudes[] = {"Thousand", "Million", "Billion", "Trillion"};

const char32_t kDecimalGroups[] = {0x30,   0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6,
                                   0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0,
                                   0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
                                   0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900,
                                   0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

std::string words_lookup(double num, bool prev, bool ord) {
  std::string words;
  if (num <= 19) {
    words = std::string(prev ? " and " : "") +
            (ord ? kOrdinals[static_cast<int>(num)] : kFew[static_cast<int>(num)]);
  } else if (num < 100) {
    int tens = static_cast<int>(num / 10);
    int remainder = static_cast<int>(std::fmod(num, 10));
    words = std::string(prev ? " and " : "") + kDecades[tens - 2];
    if (remainder > 0)
      words += "-" + words_lookup(remainder, false, ord);
    else if (ord)
      words = words.substr(0, words.size() - 1) + "ieth";
  } else if (num < 1000) {
    int hundreds = static_cast<int>(num / 100);
    int remainder = static_cast<int>(std::fmod(num, 100));
    words = std::string(prev ? ", " : "") + kFew[hundreds] + " Hundred";
    if (remainder > 0)
      words += words_lookup(remainder, true, ord);
    else if (ord)
      words += "th";
  } else {
    int mag = static_cast<int>(std::floor(std::log10(num) / 3));
    if (mag > 4) mag = 4;
    double factor = std::pow(10, mag * 3);
    double mant = std::floor(num / factor);
    double remainder = num - mant * factor;
    words = std::string(prev ? ", " : "") + words_lookup(mant, false, false) + " " +
            kMagnitudes[mag - 1];
    if (remainder > 0)
      words += words_lookup(remainder, true, ord);
    else if (ord)
      words += "th";
  }
  return words;
}

const std::map<std::string, double>& word_values() {
  static const std::map<std::string, double> table = [] {
    std::map<std::string, double> t;
    auto lower = [](std::string s) {
      for (auto& c : s) c = static_cast<char>(std::tolower(c));
      return s;
    };
    for (int i = 0; i < 20; ++i) {
      t[lower(kFew[i])] = i;
      t[lower(kOrdinals[i])] = i;
    }
    for (int i = 0; i < 9; ++i) {
      std::string w = lower(kDecades[i]);
      t[w] = (i + 2) * 10;
      t[w.substr(0, w.size() - 1) + "ieth"] = (i + 2) * 10;
    }
    t["hundredth"] = 100;
    for (int i = 0; i < 4; ++i) {
      std::string w = lower(kMagnitudes[i]);
      double v = std::pow(10, (i + 1) * 3);
      t[w] = v;
      t[w + "th"] = v;
    }
    return t;
  }();
  return table;
}

double words_to_number(const std::string& text) {
  // split on ", ", " and ", whitespace or '-'
  std::vector<std::string> parts;
  std::string cur;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, ", ") == 0) {
      parts.push_back(cur);
      cur.clear();
      i += 2;
    } else if (text.compare(i, 5, " and ") == 0) {
      parts.push_back(cur);
      cur.clear();
      i += 5;
    } else if (std::isspace(static_cast<unsigned char>(text[i])) || text[i] == '-') {
      parts.push_back(cur);
      cur.clear();
      ++i;
    } else {
      cur += text[i++];
    }
  }
  parts.push_back(cur);
  std::vector<double> segs{0};
  for (const auto& part : parts) {
    auto it = word_values().find(part);
    if (it == word_values().end()) return NAN;
    double value = it->second;
    if (value < 100) {
      double top = segs.back();
      segs.pop_back();
      if (top >= 1000) {
        segs.push_back(top);
        top = 0;
      }
      segs.push_back(top + value);
    } else {
      double top = segs.back();
      segs.pop_back();
      segs.push_back(top * value);
    }
  }
  return std::accumulate(segs.begin(), segs.end(), 0.0);
}

std::string to_roman(double value) {
  static const std::pair<int, const char*> numerals[] = {
      {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
      {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
  std::string out;
  while (value > 0) {
    bool found = false;
    for (const auto& [n, s] : numerals) {
      if (value >= n) {
        out += s;
        value -= n;
        found = true;
        break;
      }
    }
    if (!found) break;
  }
  return out;
}

double from_roman(const std::string& roman) {
  auto val = [](char c) {
    switch (c) {
      case 'M':
        return 1000;
      case 'D':
        return 500;
      case 'C':
        return 100;
      case 'L':
        return 50;
      case 'X':
        return 10;
      case 'V':
        return 5;
      case 'I':
        return 1;
      default:
        return 0;
    }
  };
  double decimal = 0;
  int max = 1;
  for (auto it = roman.rbegin(); it != roman.rend(); ++it) {
    int v = val(*it);
    if (v < max) {
      decimal -= v;
    } else {
      max = v;
      decimal += v;
    }
  }
  return decimal;
}

std::string to_letters(double value, char a) {
  std::string out;
  while (value > 0) {
    out.insert(out.begin(), static_cast<char>(static_cast<long long>(value - 1) % 26 + a));
    value = std::floor((value - 1) / 26);
  }
  return out;
}

double from_letters(const std::string& letters, char a) {
  double decimal = 0;
  for (std::size_t i = 0; i < letters.size(); ++i)
    decimal += (letters[letters.size() - i - 1] - a + 1) * std::pow(26, static_cast<double>(i));
  return decimal;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::u32string to_u32(const std::string& s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >= 0xF0 ? 4 : (c >= 0xE0 ? 3 : (c >= 0xC0 ? 2 : 1)));
    if (i + len > s.size()) len = s.size() - i;
    char32_t cp = len == 1 ? c : (c & (0x7F >> len));
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out += cp;
    i += len;
  }
  return out;
}

std::string from_u32(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) append_utf8(out, c);
  return out;
}

IntegerPicture analyse_integer_picture(const std::string& picture) {
  IntegerPicture format;
  std::string primary = picture;
  auto semicolon = picture.rfind(';');
  if (semicolon != std::string::npos) {
    primary = picture.substr(0, semicolon);
    std::string modifier = picture.substr(semicolon + 1);
    if (!modifier.empty() && modifier[0] == 'o') format.ordinal = true;
  }
  using P = IntegerPicture::Primary;
  using C = IntegerPicture::Case;
  if (primary == "A") {
    format.letter_case = C::Upper;
    format.primary = P::Letters;
  } else if (primary == "a") {
    format.primary = P::Letters;
  } else if (primary == "I") {
    format.letter_case = C::Upper;
    format.primary = P::Roman;
  } else if (primary == "i") {
    format.primary = P::Roman;
  } else if (primary == "W") {
    format.letter_case = C::Upper;
    format.primary = P::Words;
  } else if (primary == "Ww") {
    format.letter_case = C::Title;
    format.primary = P::Words;
  } else if (primary == "w") {
    format.primary = P::Words;
  } else {
    std::optional<char32_t> zero;
    int separator_position = 0;
    std::vector<IntegerPicture::Separator> separators;
    std::u32string cps = to_u32(primary);
    for (auto it = cps.rbegin(); it != cps.rend(); ++it) {
      char32_t cp = *it;
      bool digit = false;
      for (char32_t group : kDecimalGroups) {
        if (cp >= group && cp <= group + 9) {
          digit = true;
          format.mandatory_digits++;
          separator_position++;
          if (!zero)
            zero = group;
          else if (*zero != group)
            throw Failure("D3131");
          break;
        }
      }
      if (!digit) {
        if (cp == U'#') {
          separator_position++;
          format.optional_digits++;
        } else {
          separators.push_back({separator_position, std::u32string(1, cp)});
        }
      }
    }
    if (format.mandatory_digits > 0) {
      format.primary = P::Decimal;
      format.zero_code = *zero;
      int regular = 0;
      if (!separators.empty()) {
        bool same = std::all_of(separators.begin(), separators.end(), [&](const auto& s) {
          return s.character == separators[0].character;
        });
        if (same) {
          int factor = 0;
          for (const auto& s : separators) factor = std::gcd(factor, s.position);
          bool all = true;
          for (std::size_t index = 1; index <= separators.size(); ++index) {
            bool found = false;
            for (const auto& s : separators)
              if (s.position == static_cast<int>(index) * factor) found = true;
            if (!found) all = false;
          }
          if (all) regular = factor;
        }
      }
      if (regular > 0) {
        format.regular = true;
        format.separators = {{regular, separators[0].character}};
      } else {
        format.separators = separators;
      }
    } else {
      format.primary = P::Sequence;
      format.token = primary;
    }
  }
  return format;
}

std::string format_integer(double value, const IntegerPicture& format) {
  using P = IntegerPicture::Primary;
  using C = IntegerPicture::Case;
  std::string out;
  bool negative = value < 0;
  value = std::fabs(value);
  switch (format.primary) {
    case P::Letters:
      out = to_letters(value, format.letter_case == C::Upper ? 'A' : 'a');
      break;
    case P::Roman:
      out = to_roman(value);
      if (format.letter_case == C::Upper) out = upper(out);
      break;
    case P::Words:
      out = words_lookup(value, false, format.ordinal);
      if (format.letter_case == C::Upper)
        out = upper(out);
      else if (format.letter_case == C::Lower)
        out = lower(out);
      break;
    case P::Decimal: {
      std::string digits = js_number_to_string(value);
      int pad = format.mandatory_digits - static_cast<int>(digits.size());
      if (pad > 0) digits = std::string(static_cast<std::size_t>(pad), '0') + digits;
      std::u32string text = to_u32(digits);
      if (format.zero_code != U'0')
        for (auto& c : text) c = c + format.zero_code - U'0';
      if (format.regular) {
        int interval = format.separators[0].position;
        int n = (static_cast<int>(text.size()) - 1) / interval;
        for (int ii = n; ii > 0; --ii) {
          std::size_t pos = text.size() - static_cast<std::size_t>(ii * interval);
          text.insert(pos, format.separators[0].character);
        }
      } else {
        for (auto it = format.separators.rbegin(); it != format.separators.rend(); ++it) {
          long pos = static_cast<long>(text.size()) - it->position;
          if (pos < 0) pos = 0;
          text.insert(static_cast<std::size_t>(pos), it->character);
        }
      }
      out = from_u32(text);
      if (format.ordinal) {
        char last = out.empty() ? '0' : out.back();
        std::string suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : "th";
        if (out.size() > 1 && out[out.size() - 2] == '1') suffix = "th";
        out += suffix;
      }
      break;
    }
    case P::Sequence:
      throw Failure("D3130").with_value(Value::string(format.token));
  }
  if (negative) out = "-" + out;
  return out;
}

std::string integer_regex(const IntegerPicture& format) {
  using P = IntegerPicture::Primary;
  using C = IntegerPicture::Case;
  switch (format.primary) {
    case P::Letters:
      return format.letter_case == C::Upper ? "[A-Z]+" : "[a-z]+";
    case P::Roman:
      return format.letter_case == C::Upper ? "[MDCLXVI]+" : "[mdclxvi]+";
    case P::Words: {
      std::string re = "(?:";
      for (const auto& [w, v] : word_values()) re += w + "|";
      re += "and|[\\-, ])+";
      return re;
    }
    case P::Decimal: {
      std::string re =
          format.parse_width > 0 ? "[0-9]{" + std::to_string(format.parse_width) + "}" : "[0-9]+";
      if (format.zero_code != U'0') {
        std::string lo, hi;
        append_utf8(lo, format.zero_code);
        append_utf8(hi, format.zero_code + 9);
        re = "[" + lo + "-" + hi + ",]+";
      } else if (!format.separators.empty()) {
        re = "[0-9";
        for (const auto& s : format.separators) {
          std::string ch = from_u32(s.character);
          re += (ch == "]" || ch == "\\" || ch == "-" || ch == "^") ? "\\" + ch : ch;
        }
        re += "]+";
      }
      if (format.ordinal) re += "(?:th|st|nd|rd)";
      return re;
    }
    case P::Sequence:
      break;
  }
  throw Failure("D3130").with_value(Value::string(format.token));
}

double parse_integer_text(const std::string& text, const IntegerPicture& format) {
  using P = IntegerPicture::Primary;
  using C = IntegerPicture::Case;
  switch (format.primary) {
    case P::Letters:
      return from_letters(text, format.letter_case == C::Upper ? 'A' : 'a');
    case P::Roman:
      return from_roman(upper(text));
    case P::Words:
      return words_to_number(lower(text));
    case P::Decimal: {
      std::string digits = text;
      if (format.ordinal && digits.size() >= 2) digits = digits.substr(0, digits.size() - 2);
      std::u32string cps = to_u32(digits);
      std::string plain;
      for (char32_t c : cps) {
        if (format.zero_code != U'0' && c >= format.zero_code && c <= format.zero_code + 9)
          plain += static_cast<char>('0' + (c - format.zero_code));
        else if (c >= U'0' && c <= U'9')
          plain += static_cast<char>(c);
      }
      if (plain.empty()) return NAN;
      return std::strtod(plain.c_str(), nullptr);
    }
    case P::Sequence:
      break;
  }
  throw Failure("D3130").with_value(Value::string(format.token));
}

}  // namespace stepline::jsonata
