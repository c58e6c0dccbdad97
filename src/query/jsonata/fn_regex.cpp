// Pattern built-ins taking a string or a regex: $match $contains $replace $split.
#include "query/jsonata/builtins.hpp"
#include "query/jsonata/regex.hpp"

#include <cmath>

namespace stepline::jsonata {

namespace {

// UTF-8 byte offset of a UTF-16 index.
std::size_t byte_offset(const std::string& s, double index16) {
  std::size_t units = 0, i = 0;
  while (i < s.size() && static_cast<double>(units) < index16) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >= 0xF0 ? 4 : (c >= 0xE0 ? 3 : (c >= 0xC0 ? 2 : 1)));
    units += len == 4 ? 2 : 1;
    i += len;
  }
  return std::min(i, s.size());
}

// Walks the matches of a regex the way the reference's matcher closure does: global search,
// continuing at the previous end; a later zero-length match is error D1004. A JSONata function
// can stand in for the regex when it returns {match, start, end, groups, next} objects.
class Matches {
 public:
  Matches(CallContext& ctx, const Value& matcher, const std::string& subject)
      : ctx_(ctx), matcher_(matcher), subject_(subject) {
    if (!matcher.is_function()) throw Failure("T1010");
    if (matcher.fn().kind == FunctionKind::Regex) {
      re_ = matcher.fn().regex.get();
      current_ = re_->exec(subject_, 0);
    } else {
      take(ctx_.ev.apply(matcher_, {Value::string(subject_)}, Value(), ctx_.env));
    }
  }
  const std::optional<RegexMatch>& current() const { return current_; }
  void next() {
    if (!re_) {
      Value next = next_;
      current_.reset();
      if (next.is_function()) take(ctx_.ev.apply(next, {}, Value(), ctx_.env));
      return;
    }
    std::size_t last = current_->end;
    if (last >= subject_.size()) {
      current_.reset();
      return;
    }
    current_ = re_->exec(subject_, last);
    if (current_ && current_->text.empty())
      throw Failure("D1004").with_value(Value::string(re_->pattern()));
  }

 private:
  void take(const Value& obj) {
    current_.reset();
    bool falsy = obj.undefined() || obj.is_null() || (obj.is_bool() && !obj.as_bool()) ||
                 (obj.is_string() && obj.str().empty()) ||
                 (obj.is_number() && obj.as_number() == 0);
    if (falsy) return;
    if (!obj.is_object()) throw Failure("T1010");
    const ObjectData& o = obj.obj();
    const Value* start = o.find("start");
    const Value* end = o.find("end");
    const Value* groups = o.find("groups");
    const Value* next = o.find("next");
    const Value* match = o.find("match");
    if (!((start && start->is_number()) || (end && end->is_number()) ||
          (groups && groups->is_array()) || (next && next->is_function())))
      throw Failure("T1010");
    RegexMatch m;
    m.text = match && match->is_string() ? match->str() : std::string();
    m.start = start && start->is_number() ? byte_offset(subject_, start->as_number()) : 0;
    m.end =
        end && end->is_number() ? byte_offset(subject_, end->as_number()) : m.start + m.text.size();
    if (groups && groups->is_array())
      for (const auto& g : groups->arr().items)
        m.groups.emplace_back(g.is_string() ? std::optional<std::string>(g.str()) : std::nullopt);
    next_ = next ? *next : Value();
    current_ = std::move(m);
  }

  CallContext& ctx_;
  Value matcher_;
  const std::string& subject_;
  const Regex* re_ = nullptr;
  Value next_;
  std::optional<RegexMatch> current_;
};

Value groups_value(const RegexMatch& m) {
  Value groups = make_array();
  for (const auto& g : m.groups) groups.arr().items.push_back(g ? Value::string(*g) : Value());
  return groups;
}

Value fn_match(CallContext& ctx, std::vector<Value>& args) {
  const Value& s = arg(args, 0);
  if (s.undefined()) return {};
  const Value& limit = arg(args, 2);
  if (limit.is_number() && limit.as_number() < 0) throw Failure("D3040").with_value(limit);
  Value result = make_sequence();
  if (limit.undefined() || limit.as_number() > 0) {
    Matches it(ctx, arg(args, 1), s.str());
    double count = 0;
    while (it.current() && (limit.undefined() || count < limit.as_number())) {
      const auto& m = *it.current();
      Value obj = make_object();
      obj.obj().set("match", Value::string(m.text));
      obj.obj().set("index", Value::number(static_cast<double>(utf16_index(s.str(), m.start))));
      obj.obj().set("groups", groups_value(m));
      result.arr().items.push_back(obj);
      ++count;
      it.next();
    }
  }
  return result;
}

Value fn_contains(CallContext& ctx, std::vector<Value>& args) {
  const Value& s = arg(args, 0);
  if (s.undefined()) return {};
  const Value& token = arg(args, 1);
  if (token.undefined()) return {};
  if (token.is_string()) return Value::boolean(s.str().find(token.str()) != std::string::npos);
  Matches it(ctx, token, s.str());
  return Value::boolean(it.current().has_value());
}

std::string substitute(const std::string& replacement, const RegexMatch& m) {
  std::string out;
  std::size_t position = 0;
  auto index = replacement.find('$', position);
  while (index != std::string::npos && position < replacement.size()) {
    out += replacement.substr(position, index - position);
    position = index + 1;
    char dollar = position < replacement.size() ? replacement[position] : '\0';
    if (dollar == '$') {
      out += '$';
      ++position;
    } else if (dollar == '0') {
      out += m.text;
      ++position;
    } else {
      std::size_t groups = m.groups.size();
      int max_digits =
          groups == 0 ? 1
                      : static_cast<int>(std::floor(std::log10(static_cast<double>(groups)))) + 1;
      auto parse = [&](int digits) -> long {
        std::string part = replacement.substr(position, static_cast<std::size_t>(digits));
        std::size_t k = 0;
        while (k < part.size() && std::isdigit(static_cast<unsigned char>(part[k]))) ++k;
        if (k == 0) return -1;
        return std::stol(part.substr(0, k));
      };
      long idx = parse(max_digits);
      if (max_digits > 1 && idx > static_cast<long>(groups)) idx = parse(max_digits - 1);
      if (idx >= 0) {
        if (groups > 0 && idx >= 1 && static_cast<std::size_t>(idx) <= groups && m.groups[idx - 1])
          out += *m.groups[idx - 1];
        position += std::to_string(idx).size();
      } else {
        out += '$';
      }
    }
    index = replacement.find('$', position);
  }
  if (position < replacement.size()) out += replacement.substr(position);
  return out;
}

Value fn_replace(CallContext& ctx, std::vector<Value>& args) {
  const Value& s = arg(args, 0);
  if (s.undefined()) return {};
  const Value& pattern = arg(args, 1);
  const Value& replacement = arg(args, 2);
  const Value& limit = arg(args, 3);
  if (pattern.is_string() && pattern.str().empty()) {
    Failure f("D3010");
    f.with_value(pattern);
    f.index = 2;
    throw f;
  }
  if (limit.is_number() && limit.as_number() < 0) throw Failure("D3011").with_value(limit);
  const std::string& str = s.str();
  if (!(limit.undefined() || limit.as_number() > 0)) return s;
  std::string result;
  std::size_t position = 0;
  double count = 0;
  if (pattern.is_string()) {
    std::string rep = replacement.is_string() ? replacement.str() : std::string();
    auto index = str.find(pattern.str(), position);
    while (index != std::string::npos && (limit.undefined() || count < limit.as_number())) {
      result += str.substr(position, index - position);
      result += rep;
      position = index + pattern.str().size();
      ++count;
      index = str.find(pattern.str(), position);
    }
    result += str.substr(position);
    return Value::string(std::move(result));
  }
  Matches it(ctx, pattern, str);
  if (!it.current()) return s;
  while (it.current() && (limit.undefined() || count < limit.as_number())) {
    const auto& m = *it.current();
    result += str.substr(position, m.start - position);
    if (replacement.is_string()) {
      result += substitute(replacement.str(), m);
    } else {
      Value obj = make_object();
      obj.obj().set("match", Value::string(m.text));
      obj.obj().set("start", Value::number(static_cast<double>(utf16_index(str, m.start))));
      obj.obj().set("end", Value::number(static_cast<double>(utf16_index(str, m.end))));
      obj.obj().set("groups", groups_value(m));
      Value replaced = ctx.ev.apply(replacement, {obj}, Value(), ctx.env);
      if (!replaced.is_string()) throw Failure("D3012").with_value(replaced);
      result += replaced.str();
    }
    position = m.start + m.text.size();
    ++count;
    it.next();
  }
  result += str.substr(position);
  return Value::string(std::move(result));
}

Value fn_split(CallContext& ctx, std::vector<Value>& args) {
  const Value& s = arg(args, 0);
  if (s.undefined()) return {};
  const Value& sep = arg(args, 1);
  const Value& limit = arg(args, 2);
  if (limit.is_number() && limit.as_number() < 0) throw Failure("D3020").with_value(limit);
  Value result = make_array();
  auto& out = result.arr().items;
  const std::string& str = s.str();
  if (!(limit.undefined() || limit.as_number() > 0)) return result;
  auto room = [&] {
    return limit.undefined() || static_cast<double>(out.size()) < std::trunc(limit.as_number());
  };
  if (sep.is_string()) {
    const std::string& d = sep.str();
    if (d.empty()) {
      for (char16_t u : to_utf16(str)) {
        if (!room()) break;
        out.push_back(Value::string(from_utf16(std::u16string(1, u))));
      }
      return result;
    }
    std::size_t start = 0;
    for (;;) {
      if (!room()) break;
      auto pos = str.find(d, start);
      if (pos == std::string::npos) {
        out.push_back(Value::string(str.substr(start)));
        break;
      }
      out.push_back(Value::string(str.substr(start, pos - start)));
      start = pos + d.size();
    }
    return result;
  }
  Matches it(ctx, sep, str);
  if (!it.current()) {
    out.push_back(s);
    return result;
  }
  std::size_t start = 0;
  double count = 0;
  while (it.current() && (limit.undefined() || count < limit.as_number())) {
    out.push_back(Value::string(str.substr(start, it.current()->start - start)));
    start = it.current()->end;
    ++count;
    it.next();
  }
  if (limit.undefined() || count < limit.as_number())
    out.push_back(Value::string(str.substr(start)));
  return result;
}

}  // namespace

std::vector<BuiltinSpec> regex_functions() {
  return {
      {"match", "<s-f<s:o>n?:a<o>>", fn_match, 3},
      {"contains", "<s-(sf):b>", fn_contains, 2},
      {"replace", "<s-(sf)(sf)n?:s>", fn_replace, 4},
      {"split", "<s-(sf)n?:a<s>>", fn_split, 3},
  };
}

}  // namespace stepline::jsonata
