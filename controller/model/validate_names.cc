#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "controller/model/validate.h"
#include "controller/model/validate_support.h"

namespace vantus::controller {

using validate_support::describeChar;
using validate_support::invalid;
using validate_support::isDigit;
using validate_support::isLowerAlnum;
using validate_support::quote;
using validate_support::trimSpaces;

namespace {

constexpr std::size_t kMaxIdentifier = 63;
constexpr std::size_t kMaxTenantName = 200;
constexpr std::size_t kMaxHealthCheckPath = 512;
constexpr std::size_t kMaxHeaderName = 128;
constexpr std::size_t kMaxHeaderValue = 1024;

// Slugs, cluster names and pool names: [a-z0-9-] identifiers. Not trimmed or lowercased
// because an identifier that differs from what the caller typed would be a surprise later.
Result<std::string> parseIdentifier(std::string_view raw, std::string_view field,
                                    std::string_view what, bool must_end_alnum) {
  if (raw.empty()) {
    return invalid(field, "must not be empty");
  }
  for (char c : raw) {
    if (c >= 'A' && c <= 'Z') {
      return invalid(field, raw, what,
                     fmt::format("{} is not allowed (use lowercase)", describeChar(c)));
    }
    if (!isLowerAlnum(c) && c != '-') {
      return invalid(field, raw, what,
                     fmt::format("{} is not allowed (only a-z, 0-9 and \"-\")", describeChar(c)));
    }
  }
  if (raw.size() > kMaxIdentifier) {
    return invalid(field, raw, what, fmt::format("longer than {} characters", kMaxIdentifier));
  }
  if (raw.front() == '-') {
    return invalid(field, raw, what, "must start with a letter or digit");
  }
  if (must_end_alnum && raw.back() == '-') {
    return invalid(field, raw, what, "must end with a letter or digit");
  }
  return std::string(raw);
}

// The code point starting at text[i], advancing i; -1 for malformed UTF-8 (overlong forms,
// surrogates and values above U+10FFFF included).
std::int32_t decodeUtf8(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  std::size_t length = 0;
  std::int32_t code = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0F;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return -1;
  }
  if (text.size() - i < length) {
    return -1;
  }
  for (std::size_t k = 1; k < length; ++k) {
    unsigned char next = byte(i + k);
    if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) {
      return -1;
    }
    code = (code << 6) | (next & 0x3F);
  }
  i += length;
  return code;
}

bool isControl(std::int32_t code) {
  return code < 0x20 || (code >= 0x7F && code <= 0x9F) || code == 0x2028 || code == 0x2029;
}

bool isHexDigit(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

int hexValue(char c) {
  if (isDigit(c)) {
    return c - '0';
  }
  return (c >= 'a' ? c - 'a' : c - 'A') + 10;
}

bool isPathChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c)) {
    return true;
  }
  std::string_view allowed = "-._~!&()*+,=:@/";
  return allowed.find(c) != std::string_view::npos;
}

// RFC 7230 tchar, without '$' which nginx would expand even inside a quoted string.
bool isTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c)) {
    return true;
  }
  std::string_view allowed = "!#%&'*+-.^_`|~";
  return allowed.find(c) != std::string_view::npos;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         validate_support::toLowerAscii(a) == validate_support::toLowerAscii(b);
}

struct ReservedHeader {
  std::string_view name;
  std::string_view reason;
};

constexpr std::string_view kHopByHop = "a hop-by-hop header managed by nginx";
constexpr std::array<ReservedHeader, 11> kReservedHeaders{{
    {"Connection", kHopByHop},
    {"Keep-Alive", kHopByHop},
    {"Proxy-Connection", kHopByHop},
    {"TE", kHopByHop},
    {"Trailer", kHopByHop},
    {"Transfer-Encoding", kHopByHop},
    {"Upgrade", kHopByHop},
    {"Content-Length", "message framing is managed by nginx"},
    {"Host", "a request header, meaningless in a response"},
    {"Strict-Transport-Security", "set by the domain's \"hsts\" setting"},
    {"Access-Control-Allow-Origin", "set by the policy's \"cors_origins\""},
}};

template <typename Enum, std::size_t N>
Result<Enum> parseEnum(std::string_view raw, std::string_view field, std::string_view what,
                       const std::array<std::pair<std::string_view, Enum>, N>& names) {
  for (const auto& [name, value] : names) {
    if (raw == name) {
      return value;
    }
  }
  std::string expected;
  for (std::size_t i = 0; i < N; ++i) {
    expected += fmt::format("{}\"{}\"", i == 0 ? "" : (i + 1 == N ? " or " : ", "), names[i].first);
  }
  return invalid(field, raw, what, "expected " + expected);
}

}  // namespace

Result<std::string> parseSlug(std::string_view raw, std::string_view field) {
  return parseIdentifier(raw, field, "a slug", /*must_end_alnum=*/true);
}

Result<std::string> parsePoolName(std::string_view raw, std::string_view field) {
  return parseIdentifier(raw, field, "a pool name", /*must_end_alnum=*/false);
}

Result<std::string> parseTenantName(std::string_view raw, std::string_view field) {
  std::string_view name = trimSpaces(raw);
  if (name.empty()) {
    return invalid(field, "must not be empty");
  }
  if (name.size() > kMaxTenantName) {
    return invalid(field, raw, "a name", fmt::format("longer than {} bytes", kMaxTenantName));
  }
  for (std::size_t i = 0; i < name.size();) {
    std::int32_t code = decodeUtf8(name, i);
    if (code < 0) {
      return invalid(field, raw, "a name", "not valid UTF-8");
    }
    if (isControl(code)) {
      std::string shown =
          code < 0x80 ? describeChar(static_cast<char>(code)) : fmt::format("U+{:04X}", code);
      return invalid(field, raw, "a name",
                     fmt::format("control character {} is not allowed", shown));
    }
  }
  return std::string(name);
}

Result<std::string> parseHealthCheckPath(std::string_view raw, std::string_view field) {
  constexpr std::string_view kWhat = "a health check path";
  std::string_view path = trimSpaces(raw);
  if (path.empty()) {
    return invalid(field, "must not be empty");
  }
  if (path.front() != '/') {
    return invalid(field, raw, kWhat, "must start with \"/\"");
  }
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%') {
      if (i + 2 >= path.size() || !isHexDigit(path[i + 1]) || !isHexDigit(path[i + 2])) {
        return invalid(field, raw, kWhat, "\"%\" must start an escape of two hex digits");
      }
      int decoded = hexValue(path[i + 1]) * 16 + hexValue(path[i + 2]);
      if (decoded < 0x20 || decoded == 0x7F) {
        return invalid(field, raw, kWhat,
                       fmt::format("{:?} encodes a control character", path.substr(i, 3)));
      }
      i += 2;
      continue;
    }
    if (!isPathChar(c)) {
      return invalid(field, raw, kWhat, fmt::format("{} is not allowed", describeChar(c)));
    }
  }
  if (path.size() > kMaxHealthCheckPath) {
    return invalid(field, raw, kWhat,
                   fmt::format("longer than {} characters", kMaxHealthCheckPath));
  }
  return std::string(path);
}

Result<std::string> parseHeaderName(std::string_view raw, std::string_view field) {
  constexpr std::string_view kWhat = "a header name";
  if (raw.empty()) {
    return invalid(field, "a header name must not be empty");
  }
  for (char c : raw) {
    if (!isTokenChar(c)) {
      return invalid(field, raw, kWhat, fmt::format("{} is not allowed", describeChar(c)));
    }
  }
  if (raw.size() > kMaxHeaderName) {
    return invalid(field, raw, kWhat, fmt::format("longer than {} characters", kMaxHeaderName));
  }
  for (const ReservedHeader& reserved : kReservedHeaders) {
    if (equalsIgnoreCase(raw, reserved.name)) {
      return invalid(field, fmt::format("{} cannot be set as a response header: {}", quote(raw),
                                        reserved.reason));
    }
  }
  return std::string(raw);
}

Result<std::string> parseHeaderValue(std::string_view raw, std::string_view field) {
  constexpr std::string_view kWhat = "a header value";
  std::string_view value = trimSpaces(raw);
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '$') {
      return invalid(field, raw, kWhat, "\"$\" is not allowed (nginx would expand a variable)");
    }
    if (c == '"' || c == '\\') {
      return invalid(
          field, raw, kWhat,
          fmt::format("{} is not allowed (the value is rendered inside quotes)", describeChar(c)));
    }
    if (byte < 0x20 || byte > 0x7E) {
      return invalid(field, raw, kWhat, fmt::format("{} is not allowed", describeChar(c)));
    }
  }
  if (value.size() > kMaxHeaderValue) {
    return invalid(field, raw, kWhat, fmt::format("longer than {} characters", kMaxHeaderValue));
  }
  return std::string(value);
}

Result<TenantStatus> parseTenantStatus(std::string_view raw, std::string_view field) {
  static constexpr std::array<std::pair<std::string_view, TenantStatus>, 3> kNames{{
      {"active", TenantStatus::kActive},
      {"suspended", TenantStatus::kSuspended},
      {"archived", TenantStatus::kArchived},
  }};
  return parseEnum(raw, field, "a tenant status", kNames);
}

Result<UpstreamProtocol> parseUpstreamProtocol(std::string_view raw, std::string_view field) {
  static constexpr std::array<std::pair<std::string_view, UpstreamProtocol>, 2> kNames{{
      {"http", UpstreamProtocol::kHttp},
      {"https", UpstreamProtocol::kHttps},
  }};
  return parseEnum(raw, field, "an upstream protocol", kNames);
}

Result<std::string> parseEmail(std::string_view raw, std::string_view field) {
  std::string email;
  for (char c : raw) {
    email += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const size_t at = email.find('@');
  const bool plain = std::all_of(email.begin(), email.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && c != 0x7f &&
           std::string_view("\"'<>,;\\()[]:").find(c) == std::string_view::npos;
  });
  if (!plain || at == std::string::npos || at == 0 || at + 1 == email.size() ||
      email.find('@', at + 1) != std::string::npos || email.size() > 254) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{:?} is not an email address", raw),
                std::string(field));
  }
  return email;
}

Result<TenantRole> parseTenantRole(std::string_view raw, std::string_view field) {
  static constexpr std::array<std::pair<std::string_view, TenantRole>, 4> kNames{{
      {"owner", TenantRole::kOwner},
      {"admin", TenantRole::kAdmin},
      {"operator", TenantRole::kOperator},
      {"viewer", TenantRole::kViewer},
  }};
  return parseEnum(raw, field, "a tenant role", kNames);
}

Result<std::string> parseMinTlsVersion(std::string_view raw, std::string_view field) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kNames{{
      {"TLSv1.2", "TLSv1.2"},
      {"TLSv1.3", "TLSv1.3"},
  }};
  VANTUS_TRY(std::string_view version, parseEnum(raw, field, "a TLS version", kNames));
  return std::string(version);
}

}  // namespace vantus::controller
