#include "integrations/http/connections.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace stepline::integrations::http {

namespace {

std::string text_member(const json::Object& o, const char* key, const std::string& where,
                        bool required) {
  const json::Value* v = o.if_contains(key);
  if (!v) {
    if (required) throw ConnectionsError(fmt::format("{}: \"{}\" is required", where, key));
    return "";
  }
  if (!v->is_string())
    throw ConnectionsError(fmt::format("{}: \"{}\" must be a string", where, key));
  return std::string(v->get_string());
}

StringMap string_map(const json::Object& o, const char* key, const std::string& where) {
  StringMap out;
  const json::Value* v = o.if_contains(key);
  if (!v) return out;
  if (!v->is_object())
    throw ConnectionsError(fmt::format("{}: \"{}\" must be an object", where, key));
  for (const auto& [name, value] : v->get_object()) {
    out[std::string(name)] =
        value.is_string() ? std::string(value.get_string()) : json::dump(value);
  }
  return out;
}

HttpParameters parameters(const json::Object& o, const char* key, const std::string& where) {
  HttpParameters out;
  const json::Value* v = o.if_contains(key);
  if (!v) return out;
  if (!v->is_object())
    throw ConnectionsError(fmt::format("{}: \"{}\" must be an object", where, key));
  const std::string inner = where + "." + key;
  out.headers = string_map(v->get_object(), "headerParameters", inner);
  out.query = string_map(v->get_object(), "queryStringParameters", inner);
  out.body = string_map(v->get_object(), "bodyParameters", inner);
  return out;
}

Connection parse_connection(const json::Value& value, const std::string& where) {
  if (!value.is_object()) throw ConnectionsError(where + ": must be an object");
  const json::Object& o = value.get_object();
  Connection c;
  const std::string type = text_member(o, "type", where, true);
  if (type == "API_KEY") {
    c.type = Connection::Type::ApiKey;
    c.api_key_name = text_member(o, "apiKeyName", where, true);
    c.api_key_value = text_member(o, "apiKeyValue", where, true);
  } else if (type == "BASIC") {
    c.type = Connection::Type::Basic;
    c.username = text_member(o, "username", where, true);
    c.password = text_member(o, "password", where, true);
  } else if (type == "OAUTH_CLIENT_CREDENTIALS") {
    c.type = Connection::Type::OAuthClientCredentials;
    c.authorization_endpoint = text_member(o, "authorizationEndpoint", where, true);
    c.client_id = text_member(o, "clientId", where, true);
    c.client_secret = text_member(o, "clientSecret", where, true);
    if (auto method = text_member(o, "httpMethod", where, false); !method.empty()) {
      if (method != "GET" && method != "POST" && method != "PUT") {
        throw ConnectionsError(where + ": \"httpMethod\" must be GET, POST or PUT");
      }
      c.http_method = method;
    }
    c.oauth_parameters = parameters(o, "oauthHttpParameters", where);
  } else {
    throw ConnectionsError(where + ": \"type\" must be API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS");
  }
  c.invocation_parameters = parameters(o, "invocationHttpParameters", where);
  return c;
}

}  // namespace

Connections Connections::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConnectionsError(fmt::format("cannot read the connections file '{}'", path));
  std::ostringstream text;
  text << in.rdbuf();
  json::Value document;
  try {
    document = json::parse(text.str());
  } catch (const json::ParseError& e) {
    throw ConnectionsError(
        fmt::format("the connections file '{}' is not valid JSON: {}", path, e.what()));
  }
  return from_json(document, path);
}

Connections Connections::from_json(const json::Value& document, const std::string& where) {
  const json::Object* root = document.if_object();
  const json::Value* list = root ? root->if_contains("connections") : nullptr;
  if (!list || !list->is_object()) {
    throw ConnectionsError(where +
                           ": expected {\"connections\": {\"<ConnectionArn or name>\": "
                           "{\"type\": ...}}}");
  }
  Connections out;
  for (const auto& [key, value] : list->get_object()) {
    out.by_key_[std::string(key)] =
        parse_connection(value, fmt::format("{}: connection '{}'", where, std::string(key)));
  }
  return out;
}

const Connection* Connections::find(const std::string& connection_arn) const {
  if (auto it = by_key_.find(connection_arn); it != by_key_.end()) return &it->second;
  if (auto it = by_key_.find(connection_name(connection_arn)); it != by_key_.end()) {
    return &it->second;
  }
  return nullptr;
}

std::string connection_name(const std::string& connection_arn) {
  const auto at = connection_arn.find(":connection/");
  if (at == std::string::npos) return connection_arn;
  std::string rest = connection_arn.substr(at + 12);
  return rest.substr(0, rest.find('/'));
}

}  // namespace stepline::integrations::http
