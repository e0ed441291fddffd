#pragma once
// Byte-string encodings used on the wire and on disk. Bytes travel in std::string.
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::crypto {

std::string hexEncode(std::string_view bytes);  // lowercase
Result<std::string> hexDecode(std::string_view hex);
std::string base64Encode(std::string_view bytes);  // RFC 4648 with padding
Result<std::string> base64Decode(std::string_view text);
std::string base64UrlEncode(std::string_view bytes);  // RFC 4648 §5, no padding

}  // namespace vantus::crypto
