// The error raised inside the engine: a JSONata error code plus the details the reference
// attaches (position, token, value...). Messages are filled in from the code when it reaches
// the public API.
#pragma once

#include "query/jsonata/value.hpp"

#include <exception>
#include <optional>
#include <string>

namespace stepline::jsonata {

struct Failure : std::exception {
  explicit Failure(std::string c) : code(std::move(c)) {}
  Failure(std::string c, int pos) : code(std::move(c)), position(pos) {}

  Failure& with_value(Value v) {
    value = std::move(v);
    has_value = true;
    return *this;
  }
  Failure& with_value2(Value v) {
    value2 = std::move(v);
    has_value2 = true;
    return *this;
  }
  Failure& with_token(std::string t) {
    token = std::move(t);
    return *this;
  }
  Failure& at(int pos) {
    position = pos;
    return *this;
  }
  const char* what() const noexcept override { return code.c_str(); }

  std::string code;
  int position = -1;
  std::optional<std::string> token;
  Value value;
  bool has_value = false;
  Value value2;
  bool has_value2 = false;
  int index = -1;
  std::string type;           // T0412's expected item type
  std::string function_name;  // D3140
  std::string message;        // preset message ($error, $assert); otherwise from the code table
};

// Message template for a code, as jsonata-js words it ({{value}} placeholders unresolved).
const char* message_template(const std::string& code);

}  // namespace stepline::jsonata
