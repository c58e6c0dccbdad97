// Message digests (for States.Hash and JSONata $hash) and Base64 (States.Base64Encode/Decode).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stepline::digest {

// Lowercase hex digest of `data`; `algorithm` is one of MD5, SHA-1, SHA-256, SHA-384, SHA-512
// (AWS's exact spelling). nullopt for any other name.
std::optional<std::string> hex(std::string_view algorithm, std::string_view data);

// Standard alphabet with padding.
std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not valid padded standard Base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace stepline::digest
