#pragma once
// The strict input grammar of the model. Every value that can reach an nginx config (and
// every identifier) enters through one of these parsers; the result is the normalised value
// the store keeps and the API returns. A rejection is ErrorCode::kInvalidInput with
// Error.field = `field` and a message that quotes the input and says why, e.g.
//   "a.com;include /etc/passwd" is not a hostname: ";" is not allowed
// "Trimmed" below means leading and trailing spaces (U+0020) only: tabs, newlines and other
// control characters are never trimmed, always rejected. Identifiers (slugs, pool names,
// header names, enum values) are not trimmed or case-folded at all. Pure functions, safe
// from any thread.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/model/types.h"

namespace vantus::controller {

// --- identifiers and text (validate_names.cc) ---

// [a-z0-9-], 1..63, first and last character a letter or digit. Also cluster names.
Result<std::string> parseSlug(std::string_view raw, std::string_view field = "slug");
// Trimmed well-formed UTF-8, 1..200 bytes, no control characters (C0, DEL, C1, U+2028/9).
Result<std::string> parseTenantName(std::string_view raw, std::string_view field = "name");
// [a-z0-9-], 1..63, first character a letter or digit.
Result<std::string> parsePoolName(std::string_view raw, std::string_view field = "name");
// Trimmed; starts with '/', at most 512 bytes, RFC 3986 path characters except the quote "'":
// [A-Za-z0-9-._~!&()*+,=:@/] and %XX escapes (escaped control bytes are refused).
Result<std::string> parseHealthCheckPath(std::string_view raw,
                                         std::string_view field = "health_check_path");
// RFC 7230 token without '$', 1..128, case kept. Refuses hop-by-hop and framing headers
// and the ones Vantus derives from other settings (HSTS, Access-Control-Allow-Origin).
Result<std::string> parseHeaderName(std::string_view raw, std::string_view field = "headers");
// Trimmed, 0..1024 printable ASCII bytes without '"', '\\' and '$'. ';', '{' and '}' are
// allowed: header values are always rendered inside a double-quoted nginx string.
Result<std::string> parseHeaderValue(std::string_view raw, std::string_view field = "headers");

// Enumerations and the TLS version match their exact lowercase names ("active", "https",
// "viewer") or "TLSv1.2" / "TLSv1.3".
Result<TenantStatus> parseTenantStatus(std::string_view raw, std::string_view field = "status");
Result<UpstreamProtocol> parseUpstreamProtocol(std::string_view raw,
                                               std::string_view field = "protocol");
// Lower-cased; plain addresses only (no quoting, comments or display names), ≤ 254 bytes.
Result<std::string> parseEmail(std::string_view raw, std::string_view field = "email");
Result<TenantRole> parseTenantRole(std::string_view raw, std::string_view field = "role");
Result<std::string> parseMinTlsVersion(std::string_view raw,
                                       std::string_view field = "min_tls_version");

// --- hosts and networks (validate_net.cc) ---

// Trimmed, lowercased RFC 1123 hostname of at least two labels; one trailing '.' is
// stripped (nginx matches the Host header without it). Labels 1..63 of [a-z0-9-], not
// starting or ending with '-', total <= 253, top-level label not all-numeric, optional
// "*." as the whole first label followed by at least two labels. IP addresses and
// non-ASCII names are refused (use the punycode "xn--" form).
Result<std::string> parseDomainName(std::string_view raw, std::string_view field = "name");
// Trimmed. A lowercased hostname (single labels such as "localhost" allowed, no wildcard,
// no trailing '.': for a resolver "backend." and "backend" differ), a dotted-quad IPv4
// without leading zeros, or an IPv6 address with or without brackets, returned in
// canonical form without brackets ("2001:db8::1").
Result<std::string> parseUpstreamHost(std::string_view raw, std::string_view field = "host");
// Trimmed IPv4 or IPv6 network with an optional "/prefix" (default /32 or /128). Host bits
// must be zero. Canonical output always carries the prefix: "10.0.0.0/8", "2001:db8::/32".
Result<std::string> parseCidr(std::string_view raw, std::string_view field = "ip_allowlist");
// Trimmed, lowercased. "*" or "http(s)://HOST[:PORT]" where HOST is a hostname as for
// parseUpstreamHost, an IPv4 address or a bracketed IPv6 address. One trailing '/' is
// stripped and the scheme's default port is dropped, giving the form browsers send in
// the Origin header ("https://example.com", "http://[::1]:8080").
Result<std::string> parseCorsOrigin(std::string_view raw, std::string_view field = "cors_origins");
// A policy's parsed origins as a whole: "*" allows every origin, so it stands alone.
Result<void> checkCorsOriginSet(const std::vector<std::string>& origins,
                                std::string_view field = "cors_origins");
inline constexpr std::size_t kMaxAllowlistEntries = 500;
inline constexpr std::size_t kMaxCorsOrigins = 50;

// --- numbers (validate_numbers.cc) ---

Result<std::uint16_t> parsePort(std::int64_t value, std::string_view field = "port");  // 1..65535
Result<int> parseWeight(std::int64_t value, std::string_view field = "weight");        // 1..100
Result<int> parseHealthCheckInterval(
    std::int64_t seconds, std::string_view field = "health_check_interval_s");  // 1..3600
// rps 1..100000, burst 0..100000; errors name "<field>.rps" / "<field>.burst".
Result<RateLimit> parseRateLimit(std::int64_t rps, std::int64_t burst,
                                 std::string_view field = "rate_limit");
// 0..2^34; 0 means unlimited, as for nginx's client_max_body_size.
Result<std::uint64_t> parseMaxBodyBytes(std::int64_t value,
                                        std::string_view field = "max_body_bytes");
Result<int> parseCacheTtl(std::int64_t seconds, std::string_view field = "cache_ttl_s");  // 0..1y

}  // namespace vantus::controller
