#include "query/jsonata/lexer.hpp"

#include "query/jsonata/failure.hpp"

#include <cmath>
#include <cstdlib>

namespace stepline::jsonata {

bool is_operator_char(char c) {
  switch (c) {
    case '.':
    case '[':
    case ']':
    case '{':
    case '}':
    case '(':
    case ')':
    case ',':
    case '@':
    case '#':
    case ';':
    case ':':
    case '?':
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '|':
    case '=':
    case '<':
    case '>':
    case '^':
    case '&':
    case '!':
    case '~':
      return true;
    default:
      return false;
  }
}

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

Token Lexer::make(TokenType type, std::string value) const {
  Token t;
  t.type = type;
  t.value = std::move(value);
  t.position = static_cast<int>(pos_);
  return t;
}

Token Lexer::scan_regex() {
  std::size_t start = pos_;
  int depth = 0;
  auto closing_slash = [&](std::size_t p) {
    if (src_[p] == '/' && depth == 0) {
      std::size_t backslashes = 0;
      while (p >= backslashes + 1 && src_[p - (backslashes + 1)] == '\\') ++backslashes;
      return backslashes % 2 == 0;
    }
    return false;
  };
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (closing_slash(pos_)) {
      std::string pattern(src_.substr(start, pos_ - start));
      if (pattern.empty()) throw Failure("S0301", static_cast<int>(pos_));
      ++pos_;
      std::size_t fstart = pos_;
      while (pos_ < src_.size() && (src_[pos_] == 'i' || src_[pos_] == 'm')) ++pos_;
      Token t = make(TokenType::Regex, pattern);
      t.flags = std::string(src_.substr(fstart, pos_ - fstart));
      return t;
    }
    bool escaped = pos_ > 0 && src_[pos_ - 1] == '\\';
    if ((c == '(' || c == '[' || c == '{') && !escaped) ++depth;
    if ((c == ')' || c == ']' || c == '}') && !escaped) --depth;
    ++pos_;
  }
  throw Failure("S0302", static_cast<int>(pos_));
}

Token Lexer::next(bool infix) {
  const std::size_t n = src_.size();
  // whitespace and comments
  for (;;) {
    while (pos_ < n && (src_[pos_] == ' ' || src_[pos_] == '\t' || src_[pos_] == '\n' ||
                        src_[pos_] == '\r' || src_[pos_] == '\v'))
      ++pos_;
    if (pos_ + 1 < n && src_[pos_] == '/' && src_[pos_ + 1] == '*') {
      std::size_t start = pos_;
      pos_ += 2;
      while (!(pos_ + 1 < n && src_[pos_] == '*' && src_[pos_ + 1] == '/')) {
        if (++pos_ >= n) throw Failure("S0106", static_cast<int>(start));
      }
      pos_ += 2;
      continue;
    }
    break;
  }
  if (pos_ >= n) return make(TokenType::End, "");
  char c = src_[pos_];
  if (!infix && c == '/') {
    ++pos_;
    return scan_regex();
  }
  auto two = [&](const char* op) {
    return pos_ + 1 < n && src_[pos_] == op[0] && src_[pos_ + 1] == op[1];
  };
  for (const char* op : {"..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"}) {
    if (two(op)) {
      pos_ += 2;
      return make(TokenType::Operator, op);
    }
  }
  if (is_operator_char(c)) {
    ++pos_;
    return make(TokenType::Operator, std::string(1, c));
  }
  if (c == '"' || c == '\'') {
    char quote = c;
    ++pos_;
    std::string out;
    while (pos_ < n) {
      char ch = src_[pos_];
      if (ch == '\\') {
        ++pos_;
        if (pos_ >= n) break;
        ch = src_[pos_];
        switch (ch) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            auto hex4 = [&](std::size_t at, unsigned& cp) {
              if (at + 4 > n) return false;
              cp = 0;
              for (std::size_t i = at; i < at + 4; ++i) {
                char h = src_[i];
                cp <<= 4;
                if (h >= '0' && h <= '9')
                  cp |= h - '0';
                else if (h >= 'a' && h <= 'f')
                  cp |= h - 'a' + 10;
                else if (h >= 'A' && h <= 'F')
                  cp |= h - 'A' + 10;
                else
                  return false;
              }
              return true;
            };
            unsigned cp;
            if (!hex4(pos_ + 1, cp)) throw Failure("S0104", static_cast<int>(pos_));
            pos_ += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && pos_ + 2 < n && src_[pos_ + 1] == '\\' &&
                src_[pos_ + 2] == 'u') {
              unsigned lo;
              if (hex4(pos_ + 3, lo) && lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                pos_ += 6;
              }
            }
            append_utf8(out, cp);
            break;
          }
          default:
            throw Failure("S0103", static_cast<int>(pos_)).with_token(std::string(1, ch));
        }
      } else if (ch == quote) {
        ++pos_;
        Token t = make(TokenType::String, out);
        return t;
      } else {
        out += ch;
      }
      ++pos_;
    }
    throw Failure("S0101", static_cast<int>(pos_));
  }
  // numbers: -?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?
  if (c >= '0' && c <= '9') {
    std::size_t p = pos_;
    if (src_[p] == '0') {
      ++p;
    } else {
      while (p < n && src_[p] >= '0' && src_[p] <= '9') ++p;
    }
    if (p + 1 < n && src_[p] == '.' && src_[p + 1] >= '0' && src_[p + 1] <= '9') {
      ++p;
      while (p < n && src_[p] >= '0' && src_[p] <= '9') ++p;
    }
    if (p < n && (src_[p] == 'e' || src_[p] == 'E')) {
      std::size_t q = p + 1;
      if (q < n && (src_[q] == '+' || src_[q] == '-')) ++q;
      if (q < n && src_[q] >= '0' && src_[q] <= '9') {
        while (q < n && src_[q] >= '0' && src_[q] <= '9') ++q;
        p = q;
      }
    }
    std::string text(src_.substr(pos_, p - pos_));
    double d = std::strtod(text.c_str(), nullptr);
    pos_ = p;
    if (!std::isfinite(d)) throw Failure("S0102", static_cast<int>(pos_)).with_token(text);
    Token t = make(TokenType::Number, text);
    t.number = d;
    return t;
  }
  if (c == '`') {
    ++pos_;
    auto end = src_.find('`', pos_);
    if (end == std::string_view::npos) throw Failure("S0105", static_cast<int>(n));
    std::string name(src_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return make(TokenType::Name, name);
  }
  std::size_t i = pos_;
  while (i < n && !(src_[i] == ' ' || src_[i] == '\t' || src_[i] == '\n' || src_[i] == '\r' ||
                    src_[i] == '\v' || is_operator_char(src_[i])))
    ++i;
  if (src_[pos_] == '$') {
    std::string name(src_.substr(pos_ + 1, i - pos_ - 1));
    pos_ = i;
    return make(TokenType::Variable, name);
  }
  std::string name(src_.substr(pos_, i - pos_));
  pos_ = i;
  if (name == "or" || name == "in" || name == "and") return make(TokenType::Operator, name);
  if (name == "true" || name == "false" || name == "null") {
    Token t = make(TokenType::Literal, name);
    t.literal = name == "null" ? Value::null() : Value::boolean(name == "true");
    return t;
  }
  return make(TokenType::Name, name);
}

}  // namespace stepline::jsonata
