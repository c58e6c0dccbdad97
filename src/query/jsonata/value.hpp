// The evaluator's value model: JSON plus JSONata's extras (undefined, sequences with their
// flags, functions). Arrays, objects and strings are shared by reference so that path steps
// never copy documents; values built during evaluation are mutated only before being shared.
#pragma once

#include "common/json.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace stepline::jsonata {

enum class Type : std::uint8_t { Undefined, Null, Bool, Number, String, Array, Object, Function };

struct ArrayData;
struct ObjectData;
struct FunctionData;

class Value {
 public:
  Value() = default;
  static Value null() {
    Value v;
    v.type_ = Type::Null;
    return v;
  }
  static Value boolean(bool b) {
    Value v;
    v.type_ = Type::Bool;
    v.num_ = b ? 1 : 0;
    return v;
  }
  static Value number(double d) {
    Value v;
    v.type_ = Type::Number;
    v.num_ = d;
    return v;
  }
  static Value string(std::string s);
  static Value array(std::shared_ptr<ArrayData> a);
  static Value object(std::shared_ptr<ObjectData> o);
  static Value function(std::shared_ptr<FunctionData> f);

  Type type() const { return type_; }
  bool undefined() const { return type_ == Type::Undefined; }
  bool is_null() const { return type_ == Type::Null; }
  bool is_bool() const { return type_ == Type::Bool; }
  bool is_number() const { return type_ == Type::Number; }
  bool is_string() const { return type_ == Type::String; }
  bool is_array() const { return type_ == Type::Array; }
  bool is_object() const { return type_ == Type::Object; }
  bool is_function() const { return type_ == Type::Function; }

  bool as_bool() const { return num_ != 0; }
  double as_number() const { return num_; }
  const std::string& str() const { return *static_cast<const std::string*>(ptr_.get()); }
  ArrayData& arr() const { return *static_cast<ArrayData*>(ptr_.get()); }
  ObjectData& obj() const { return *static_cast<ObjectData*>(ptr_.get()); }
  FunctionData& fn() const { return *static_cast<FunctionData*>(ptr_.get()); }
  std::shared_ptr<ArrayData> arr_ptr() const { return std::static_pointer_cast<ArrayData>(ptr_); }
  std::shared_ptr<FunctionData> fn_ptr() const {
    return std::static_pointer_cast<FunctionData>(ptr_);
  }
  const void* identity() const { return ptr_.get(); }

 private:
  Type type_ = Type::Undefined;
  double num_ = 0;
  std::shared_ptr<void> ptr_;
};

// A JSON array or a JSONata sequence; the flags mirror jsonata-js's array properties.
struct ArrayData {
  std::vector<Value> items;
  bool sequence = false;        // a result sequence (collapses to its item when singleton)
  bool keep_singleton = false;  // `[]` asked to keep singleton arrays
  bool outer_wrapper = false;   // the input document array, wrapped once
  bool tuple_stream = false;    // items are tuple objects ('@' and bindings)
  bool cons = false;            // built by an array constructor inside a path

  std::size_t size() const { return items.size(); }
};

// An object with insertion-ordered keys; a hash index is built once objects grow.
struct ObjectData {
  std::vector<std::pair<std::string, Value>> entries;

  const Value* find(std::string_view key) const;
  void set(const std::string& key, Value value);
  bool erase(std::string_view key);
  std::size_t size() const { return entries.size(); }

 private:
  mutable std::unordered_map<std::string, std::size_t> index_;
  mutable std::size_t indexed_ = 0;
  void reindex() const;
};

Value make_sequence();
Value make_sequence(Value first);
Value make_array(std::vector<Value> items = {});
Value make_object();

// Conversions at the library boundary. `from_json` shares nothing with the source document but
// is done once per evaluation; `to_json` turns sequences into arrays and drops functions.
Value from_json(const json::Value& v);
json::Value to_json(const Value& v);

// JavaScript's Number.prototype.toString.
std::string js_number_to_string(double d);
// Number(d.toPrecision(15)) as JSONata applies it when stringifying.
double round_to_15(double d);

}  // namespace stepline::jsonata
