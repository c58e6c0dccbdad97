#include "query/jsonata/signature.hpp"

#include "query/jsonata/failure.hpp"
#include "query/jsonata/value.hpp"

namespace stepline::jsonata {

namespace {

std::size_t closing_bracket(const std::string& s, std::size_t start, char open, char close) {
  int depth = 1;
  std::size_t pos = start;
  while (pos < s.size()) {
    ++pos;
    if (pos >= s.size()) break;
    if (s[pos] == close) {
      if (--depth == 0) break;
    } else if (s[pos] == open) {
      ++depth;
    }
  }
  return pos;
}

bool accepts(const SignatureParam& p, char symbol) {
  return p.allowed.find(symbol) != std::string::npos;
}

// Backtracking equivalent of the reference's generated regex: per parameter, how many argument
// symbols it consumes.
bool match_from(const std::vector<SignatureParam>& params, std::size_t pi, const std::string& sig,
                std::size_t si, std::vector<std::size_t>& counts) {
  if (pi == params.size()) return si == sig.size();
  const auto& p = params[pi];
  std::size_t max = 0;
  while (si + max < sig.size() && accepts(p, sig[si + max])) {
    ++max;
    if (p.quantifier != '+') break;
  }
  std::size_t min = (p.quantifier == '?') ? 0 : 1;
  for (std::size_t n = max + 1; n-- > min;) {
    counts[pi] = n;
    if (match_from(params, pi + 1, sig, si + n, counts)) return true;
    if (n == 0) break;
  }
  return false;
}

}  // namespace

char type_symbol(const Value& v) {
  switch (v.type()) {
    case Type::Function:
      return 'f';
    case Type::String:
      return 's';
    case Type::Number:
      return 'n';
    case Type::Bool:
      return 'b';
    case Type::Null:
      return 'l';
    case Type::Array:
      return 'a';
    case Type::Object:
      return 'o';
    case Type::Undefined:
      break;
  }
  return 'm';
}

Signature parse_signature(const std::string& text) {
  Signature sig;
  sig.definition = text;
  SignatureParam param;
  SignatureParam* prev = nullptr;
  auto next = [&] {
    sig.params.push_back(param);
    prev = &sig.params.back();
    param = SignatureParam{};
  };
  static SignatureParam dummy;
  for (std::size_t pos = 1; pos < text.size(); ++pos) {
    char symbol = text[pos];
    if (symbol == ':') break;
    SignatureParam& p = prev ? *prev : dummy;
    switch (symbol) {
      case 's':
      case 'n':
      case 'b':
      case 'l':
      case 'o':
        param.allowed = std::string(1, symbol) + "m";
        param.type = symbol;
        next();
        break;
      case 'a':
        param.allowed = "asnblfom";
        param.type = 'a';
        next();
        break;
      case 'f':
        param.allowed.assign(1, 'f');  // not = "f": GCC 12 -O3 warns falsely (-Wrestrict)
        param.type = 'f';
        next();
        break;
      case 'j':
        param.allowed = "asnblom";
        param.type = 'j';
        next();
        break;
      case 'x':
        param.allowed = "asnblfom";
        param.type = 'x';
        next();
        break;
      case '-':
        p.context = true;
        p.quantifier = '?';
        break;
      case '?':
      case '+':
        p.quantifier = symbol;
        break;
      case '(': {
        std::size_t end = closing_bracket(text, pos, '(', ')');
        std::string choice = text.substr(pos + 1, end - pos - 1);
        if (choice.find('<') != std::string::npos) {
          Failure f("S0402");
          f.with_value(Value::string(choice));
          f.index = static_cast<int>(pos);
          throw f;
        }
        param.allowed = choice + "m";
        param.type = '(';
        pos = end;
        next();
        break;
      }
      case '<': {
        if (prev && (prev->type == 'a' || prev->type == 'f')) {
          std::size_t end = closing_bracket(text, pos, '<', '>');
          prev->subtype = text.substr(pos + 1, end - pos - 1);
          pos = end;
        } else {
          Failure f("S0401");
          f.with_value(Value::string(prev ? std::string(1, prev->type) : std::string()));
          f.index = static_cast<int>(pos);
          throw f;
        }
        break;
      }
      default:
        break;
    }
  }
  return sig;
}

bool arguments_fit_directly(const Signature& sig, std::vector<Value>& args) {
  const auto& params = sig.params;
  if (args.size() > params.size()) return false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& p = params[i];
    char symbol = type_symbol(args[i]);
    if (p.quantifier == '+' || !accepts(p, symbol)) return false;
    // array parameters may wrap or check their argument
    if (p.type == 'a' && (symbol != 'a' || !p.subtype.empty())) return false;
  }
  for (std::size_t i = args.size(); i < params.size(); ++i)
    if (params[i].quantifier != '?' || params[i].context) return false;
  args.resize(params.size());
  return true;
}

std::vector<Value> validate_arguments(const Signature& sig, const std::vector<Value>& args,
                                      const Value& context) {
  std::string supplied;
  for (const auto& a : args) supplied += type_symbol(a);
  std::vector<std::size_t> counts(sig.params.size(), 0);
  if (!match_from(sig.params, 0, supplied, 0, counts)) {
    // Find the first argument that the growing prefix of the signature cannot explain.
    std::size_t good_to = 0;
    for (std::size_t i = 0; i < sig.params.size(); ++i) {
      const auto& p = sig.params[i];
      std::size_t n = 0;
      while (good_to + n < supplied.size() && accepts(p, supplied[good_to + n])) {
        ++n;
        if (p.quantifier != '+') break;
      }
      std::size_t min = p.quantifier == '?' ? 0 : 1;
      if (n < min) break;
      good_to += n;
    }
    Failure f("T0410");
    if (good_to < args.size()) f.with_value(args[good_to]);
    f.index = static_cast<int>(good_to + 1);
    throw f;
  }
  std::vector<Value> out;
  std::size_t arg_index = 0;
  std::size_t sym_pos = 0;
  for (std::size_t i = 0; i < sig.params.size(); ++i) {
    const auto& p = sig.params[i];
    std::size_t n = counts[i];
    if (n == 0) {
      if (p.context) {
        if (accepts(p, type_symbol(context))) {
          out.push_back(context);
        } else {
          Failure f("T0411");
          f.with_value(context);
          f.index = static_cast<int>(arg_index + 1);
          throw f;
        }
      } else {
        out.push_back(arg_index < args.size() ? args[arg_index] : Value());
        ++arg_index;
      }
      continue;
    }
    std::string match = supplied.substr(sym_pos, n);
    sym_pos += n;
    for (char single : match) {
      if (p.type == 'a') {
        Value arg;
        if (single != 'm') {
          arg = arg_index < args.size() ? args[arg_index] : Value();
          if (!arg.is_array() && single == 'a') single = type_symbol(arg);
          bool ok = true;
          if (!p.subtype.empty()) {
            if (single != 'a' && match != p.subtype) {
              ok = false;
            } else if (single == 'a' && arg.arr().size() > 0) {
              char item_type = type_symbol(arg.arr().items[0]);
              if (item_type != p.subtype[0]) {
                ok = false;
              } else {
                for (const auto& item : arg.arr().items)
                  if (type_symbol(item) != item_type) ok = false;
              }
            }
          }
          if (!ok) {
            Failure f("T0412");
            f.with_value(arg);
            f.index = static_cast<int>(arg_index + 1);
            f.type = p.subtype;
            throw f;
          }
          if (single != 'a') arg = make_array({arg});
        }
        out.push_back(arg);
      } else {
        out.push_back(arg_index < args.size() ? args[arg_index] : Value());
      }
      ++arg_index;
    }
  }
  return out;
}

}  // namespace stepline::jsonata
