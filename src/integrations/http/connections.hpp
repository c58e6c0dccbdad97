// The local stand-in for EventBridge connections used by the HTTP Task's
// Authentication.ConnectionArn: a connections file (`--connections FILE`) of this shape
//   {"connections": {"<ConnectionArn or connection name>": {
//      "type": "API_KEY", "apiKeyName": "x-api-key", "apiKeyValue": "..."
//    | "type": "BASIC", "username": "...", "password": "..."
//    | "type": "OAUTH_CLIENT_CREDENTIALS", "authorizationEndpoint": "https://.../token",
//      "httpMethod": "POST" (default; GET and PUT allowed), "clientId": "...",
//      "clientSecret": "...", "oauthHttpParameters": {"headerParameters": {...},
//      "queryStringParameters": {...}, "bodyParameters": {...}},
//    and for every type optionally
//      "invocationHttpParameters": {"headerParameters": {...}, "queryStringParameters": {...},
//                                   "bodyParameters": {...}}}}}
// A task's ConnectionArn matches a key equal to the whole ARN, else one equal to the
// connection's name (arn:aws:events:REGION:ACCOUNT:connection/NAME/ID).
#pragma once

#include "common/json.hpp"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace stepline::integrations::http {

using StringMap = std::map<std::string, std::string>;

struct HttpParameters {
  StringMap headers, query, body;
};

struct Connection {
  enum class Type { ApiKey, Basic, OAuthClientCredentials };
  Type type = Type::ApiKey;
  std::string api_key_name, api_key_value;                                             // API_KEY
  std::string username, password;                                                      // BASIC
  std::string authorization_endpoint, http_method = "POST", client_id, client_secret;  // OAUTH
  HttpParameters oauth_parameters;
  HttpParameters invocation_parameters;
};

class ConnectionsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Connections {
 public:
  Connections() = default;
  // Throws ConnectionsError with a message naming the file and the faulty entry.
  static Connections load(const std::string& path);
  static Connections from_json(const json::Value& document, const std::string& where);

  const Connection* find(const std::string& connection_arn) const;

 private:
  std::map<std::string, Connection> by_key_;
};

// "arn:aws:events:r:a:connection/NAME/ID" -> "NAME"; anything else unchanged.
std::string connection_name(const std::string& connection_arn);

}  // namespace stepline::integrations::http
