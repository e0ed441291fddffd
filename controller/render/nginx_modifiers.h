#pragma once
// The two ctemplate modifiers every nginx template variable must use. Values reaching the
// renderer were validated already; these filters make sure that even a value that slipped
// through cannot end a string, a directive or a block, nor reference an nginx variable.
//   x-nginx-str    content of a double-quoted nginx string: escapes '"' and '\', drops
//                  '$' and every byte outside printable ASCII (newlines included)
//   x-nginx-token  an unquoted token (server name, host:port, CIDR, number, upstream
//                  name): keeps only [A-Za-z0-9.*:_/[]-] and drops everything else
#include <string>
#include <string_view>

namespace vantus::controller {

inline constexpr std::string_view kNginxStringModifier = "x-nginx-str";
inline constexpr std::string_view kNginxTokenModifier = "x-nginx-token";

std::string escapeNginxString(std::string_view raw);
std::string filterNginxToken(std::string_view raw);

// Registers both modifiers with ctemplate's process-wide table. Idempotent and thread-safe;
// must run before any template using them is loaded.
void registerNginxModifiers();

}  // namespace vantus::controller
