#include "integrations/aws/sigv4.hpp"

#include "common/digest.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

namespace stepline::integrations::aws {

namespace {

std::string sha256_hex(std::string_view data) {
  return *digest::hex("SHA-256", data);
}

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<char*>(out), length);
}

std::string to_hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Header values are trimmed and inner runs of spaces collapse to one.
std::string trimmed(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string uri_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Query parameters sorted by encoded name, then value.
std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    std::string name = uri_encode(uri_decode(part.substr(0, eq)), false);
    std::string value =
        eq == std::string_view::npos ? "" : uri_encode(uri_decode(part.substr(eq + 1)), false);
    params.emplace_back(std::move(name), std::move(value));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

}  // namespace

std::optional<Credentials> credentials_from_environment() {
  const char* id = std::getenv("AWS_ACCESS_KEY_ID");
  const char* secret = std::getenv("AWS_SECRET_ACCESS_KEY");
  if (!id || !*id || !secret || !*secret) return std::nullopt;
  Credentials c{id, secret, ""};
  if (const char* token = std::getenv("AWS_SESSION_TOKEN"); token && *token)
    c.session_token = token;
  return c;
}

std::string uri_encode(std::string_view text, bool keep_slash) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string amz_date(std::chrono::system_clock::time_point now) {
  return fmt::format("{:%Y%m%dT%H%M%SZ}", fmt::gmtime(std::chrono::system_clock::to_time_t(now)));
}

std::string canonical_request(const SignableRequest& request, bool encode_path_again) {
  std::map<std::string, std::vector<std::string>> headers;
  for (const auto& [name, value] : request.headers) headers[lower(name)].push_back(trimmed(value));
  std::string canonical_headers, signed_headers;
  for (const auto& [name, values] : headers) {
    std::string joined;
    for (const auto& v : values) joined += (joined.empty() ? "" : ",") + v;
    canonical_headers += name + ":" + joined + "\n";
    signed_headers += (signed_headers.empty() ? "" : ";") + name;
  }
  // Services other than S3 sign the path encoded once more than it is sent.
  std::string path = request.path.empty() ? "/" : request.path;
  if (encode_path_again) path = uri_encode(path, true);
  return request.method + "\n" + path + "\n" + canonical_query(request.query) + "\n" +
         canonical_headers + "\n" + signed_headers + "\n" + sha256_hex(request.payload);
}

std::vector<std::pair<std::string, std::string>> sign(const SignableRequest& request,
                                                      const Credentials& credentials,
                                                      const std::string& region,
                                                      const std::string& service,
                                                      std::chrono::system_clock::time_point now) {
  const std::string date_time = amz_date(now);
  const std::string date = date_time.substr(0, 8);
  std::vector<std::pair<std::string, std::string>> added{{"X-Amz-Date", date_time}};
  if (!credentials.session_token.empty()) {
    added.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  SignableRequest signed_request = request;
  for (const auto& h : added) signed_request.headers.push_back(h);
  const std::string canonical = canonical_request(signed_request, service != "s3");
  const std::string scope = date + "/" + region + "/" + service + "/aws4_request";
  const std::string to_sign =
      "AWS4-HMAC-SHA256\n" + date_time + "\n" + scope + "\n" + sha256_hex(canonical);
  std::string key = hmac("AWS4" + credentials.secret_access_key, date);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, "aws4_request");
  const std::string signature = to_hex(hmac(key, to_sign));
  std::string signed_headers;
  {
    std::map<std::string, int> names;
    for (const auto& h : signed_request.headers) names[lower(h.first)] = 1;
    for (const auto& [n, _] : names) signed_headers += (signed_headers.empty() ? "" : ";") + n;
  }
  added.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id +
                                          "/" + scope + ", SignedHeaders=" + signed_headers +
                                          ", Signature=" + signature);
  return added;
}

}  // namespace stepline::integrations::aws
