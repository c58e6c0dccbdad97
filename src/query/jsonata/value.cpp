#include "query/jsonata/value.hpp"

#include "query/jsonata/function.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace stepline::jsonata {

Value Value::string(std::string s) {
  Value v;
  v.type_ = Type::String;
  v.ptr_ = std::make_shared<std::string>(std::move(s));
  return v;
}
Value Value::array(std::shared_ptr<ArrayData> a) {
  Value v;
  v.type_ = Type::Array;
  v.ptr_ = std::move(a);
  return v;
}
Value Value::object(std::shared_ptr<ObjectData> o) {
  Value v;
  v.type_ = Type::Object;
  v.ptr_ = std::move(o);
  return v;
}
Value Value::function(std::shared_ptr<FunctionData> f) {
  Value v;
  v.type_ = Type::Function;
  v.ptr_ = std::move(f);
  return v;
}

namespace {
constexpr std::size_t kIndexThreshold = 8;

// The numeric value of a canonical array index ("0", "17"; not "01" or "-1").
std::optional<std::uint32_t> array_index(std::string_view key) {
  if (key.empty() || key.size() > 10 || (key.size() > 1 && key[0] == '0')) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v >= 4294967295u) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}
}  // namespace

void ObjectData::reindex() const {
  for (; indexed_ < entries.size(); ++indexed_) index_.emplace(entries[indexed_].first, indexed_);
}

const Value* ObjectData::find(std::string_view key) const {
  if (entries.size() <= kIndexThreshold) {
    // length and first byte first: most misses end there without a memcmp call
    const std::size_t n = key.size();
    for (const auto& [k, v] : entries)
      if (k.size() == n && (n == 0 || k[0] == key[0]) && k.compare(0, n, key) == 0) return &v;
    return nullptr;
  }
  reindex();
  auto it = index_.find(std::string(key));
  return it == index_.end() ? nullptr : &entries[it->second].second;
}

void ObjectData::set(const std::string& key, Value value) {
  if (const Value* existing = find(key)) {
    *const_cast<Value*>(existing) = std::move(value);
    return;
  }
  // JavaScript objects enumerate array-index keys first, in numeric order, then the others in
  // insertion order; $keys, $each, $string and results depend on it.
  if (auto idx = array_index(key)) {
    std::size_t pos = 0;
    while (pos < entries.size()) {
      auto other = array_index(entries[pos].first);
      if (!other || *other > *idx) break;
      ++pos;
    }
    if (pos != entries.size()) {
      entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(pos), {key, std::move(value)});
      index_.clear();
      indexed_ = 0;
      return;
    }
  }
  entries.emplace_back(key, std::move(value));
}

bool ObjectData::erase(std::string_view key) {
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (it->first == key) {
      entries.erase(it);
      index_.clear();
      indexed_ = 0;
      return true;
    }
  }
  return false;
}

Value make_sequence() {
  auto a = std::make_shared<ArrayData>();
  a->sequence = true;
  return Value::array(std::move(a));
}
Value make_sequence(Value first) {
  auto a = std::make_shared<ArrayData>();
  a->sequence = true;
  a->items.push_back(std::move(first));
  return Value::array(std::move(a));
}
Value make_array(std::vector<Value> items) {
  auto a = std::make_shared<ArrayData>();
  a->items = std::move(items);
  return Value::array(std::move(a));
}
Value make_object() {
  return Value::object(std::make_shared<ObjectData>());
}

Value from_json(const json::Value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return Value::null();
    case boost::json::kind::bool_:
      return Value::boolean(v.get_bool());
    case boost::json::kind::int64:
      return Value::number(static_cast<double>(v.get_int64()));
    case boost::json::kind::uint64:
      return Value::number(static_cast<double>(v.get_uint64()));
    case boost::json::kind::double_:
      return Value::number(v.get_double());
    case boost::json::kind::string:
      return Value::string(std::string(v.get_string()));
    case boost::json::kind::array: {
      auto a = std::make_shared<ArrayData>();
      a->items.reserve(v.get_array().size());
      for (const auto& item : v.get_array()) a->items.push_back(from_json(item));
      return Value::array(std::move(a));
    }
    case boost::json::kind::object: {
      auto o = std::make_shared<ObjectData>();
      const auto& in = v.get_object();
      o->entries.reserve(in.size());
      bool index_keys = false;
      for (const auto& kv : in) {
        if (!index_keys && array_index(kv.key())) index_keys = true;
      }
      if (index_keys) {
        for (const auto& kv : in) o->set(std::string(kv.key()), from_json(kv.value()));
      } else {
        // JSON object keys are unique and need no reordering: append directly
        for (const auto& kv : in)
          o->entries.emplace_back(std::string(kv.key()), from_json(kv.value()));
      }
      return Value::object(std::move(o));
    }
  }
  return {};
}

json::Value to_json(const Value& v) {
  switch (v.type()) {
    case Type::Undefined:
    case Type::Null:
      return nullptr;
    case Type::Bool:
      return v.as_bool();
    case Type::Number: {
      double d = v.as_number();
      // integral values within 2^53 come back as integers (-0 included: JSON has no -0)
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) <= 9007199254740992.0)
        return static_cast<std::int64_t>(d);
      return d;
    }
    case Type::String:
      return json::String(v.str());
    case Type::Array: {
      json::Array out;
      out.reserve(v.arr().size());
      for (const auto& item : v.arr().items) {
        if (item.undefined()) continue;
        out.push_back(to_json(item));
      }
      return out;
    }
    case Type::Object: {
      json::Object out;
      for (const auto& [k, item] : v.obj().entries) {
        if (item.undefined()) continue;
        out[k] = to_json(item);
      }
      return out;
    }
    case Type::Function:
      return json::String("");
  }
  return nullptr;
}

std::string js_number_to_string(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return "0";
  char buf[64];
  // Integers below 1e21 print all their digits, as JavaScript does; most numbers are these.
  if (d == std::floor(d) && std::fabs(d) < 9007199254740992.0) {
    auto res = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(d));
    return std::string(buf, res.ptr);
  }
  // Shortest round-trip digits in scientific form: d.ddddde[+-]x
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  std::string sign;
  if (sci[0] == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  auto epos = sci.find('e');
  std::string mant = sci.substr(0, epos);
  int exp = std::atoi(sci.c_str() + epos + 1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  int k = static_cast<int>(digits.size());
  int n = exp + 1;
  std::string out;
  if (k <= n && n <= 21) {
    out = digits + std::string(n - k, '0');
  } else if (0 < n && n <= 21) {
    out = digits.substr(0, n) + "." + digits.substr(n);
  } else if (-6 < n && n <= 0) {
    out = "0." + std::string(-n, '0') + digits;
  } else {
    int e = n - 1;
    std::string es = (e < 0 ? "-" : "+") + std::to_string(std::abs(e));
    if (k == 1)
      out = digits + "e" + es;
    else
      out = digits.substr(0, 1) + "." + digits.substr(1) + "e" + es;
  }
  return sign + out;
}

double round_to_15(double d) {
  if (!std::isfinite(d)) return d;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.14e", d);
  return std::strtod(buf, nullptr);
}

}  // namespace stepline::jsonata
