#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "controller/model/public_suffix.h"
#include "controller/model/validate.h"
#include "controller/model/validate_support.h"

namespace vantus::controller {

using validate_support::describeChar;
using validate_support::invalid;
using validate_support::isAllDigits;
using validate_support::isDigit;
using validate_support::isLowerAlnum;
using validate_support::quote;
using validate_support::toLowerAscii;
using validate_support::trimSpaces;

namespace {

constexpr std::size_t kMaxHostname = 253;
constexpr std::size_t kMaxLabel = 63;
constexpr std::string_view kHostOrIp = "a hostname or IP address";

// Each check below returns why its input is refused, or nothing when it is fine.
using Problem = std::optional<std::string>;

struct HostnameRules {
  bool wildcard = false;
  std::size_t min_labels = 1;
};

std::string notAllowed(char c) {
  if (static_cast<unsigned char>(c) >= 0x80) {
    return "non-ASCII characters are not allowed (use the punycode \"xn--\" form)";
  }
  return fmt::format("{} is not allowed", describeChar(c));
}

// `name` is already lowercased.
Problem hostnameProblem(std::string_view name, const HostnameRules& rules) {
  for (char c : name) {
    if (!isLowerAlnum(c) && c != '-' && c != '.' && !(c == '*' && rules.wildcard)) {
      return notAllowed(c);
    }
  }
  std::string_view rest = name;
  bool wildcard = rules.wildcard && name.starts_with("*.");
  if (wildcard) {
    rest.remove_prefix(2);
  }
  if (rest.find('*') != std::string_view::npos) {
    return "\"*\" is only allowed as the whole first label, as in \"*.example.com\"";
  }
  if (name.size() > kMaxHostname) {
    return fmt::format("longer than {} characters", kMaxHostname);
  }
  std::size_t labels = 0;
  std::string_view last;
  while (true) {
    std::size_t dot = rest.find('.');
    std::string_view label = rest.substr(0, dot);
    if (label.empty()) {
      return std::string("has an empty label");
    }
    if (label.size() > kMaxLabel) {
      return fmt::format("label {} is longer than {} characters", quote(label), kMaxLabel);
    }
    if (label.front() == '-' || label.back() == '-') {
      return fmt::format("label {} starts or ends with \"-\"", quote(label));
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(dot + 1);
  }
  if (labels < rules.min_labels) {
    return wildcard ? "a wildcard needs at least two labels after \"*.\", as in \"*.example.com\""
                    : "needs at least two labels, as in \"example.com\"";
  }
  if (isAllDigits(last)) {
    return fmt::format("top-level label {} is all-numeric", quote(last));
  }
  return std::nullopt;
}

bool looksLikeIpv4(std::string_view text) {
  bool digit = false;
  for (char c : text) {
    if (!isDigit(c) && c != '.') {
      return false;
    }
    digit = digit || isDigit(c);
  }
  return digit;
}

// Dotted quad only: inet_pton alone would leave "01.2.3.4" (octal to some parsers) to libc.
Problem ipv4Problem(std::string_view text) {
  std::size_t parts = 0;
  while (true) {
    std::size_t dot = text.find('.');
    std::string_view part = text.substr(0, dot);
    ++parts;
    if (parts > 4 || !isAllDigits(part)) {
      return std::string("expected four numbers separated by \".\"");
    }
    if (part.size() > 1 && part.front() == '0') {
      return fmt::format("{} has a leading zero", quote(part));
    }
    if (part.size() > 3 || std::stoi(std::string(part)) > 255) {
      return fmt::format("{} is greater than 255", quote(part));
    }
    if (dot == std::string_view::npos) {
      break;
    }
    text.remove_prefix(dot + 1);
  }
  if (parts != 4) {
    return std::string("expected four numbers separated by \".\"");
  }
  return std::nullopt;
}

std::optional<std::array<unsigned char, 16>> ipBytes(std::string_view text, int family) {
  std::array<unsigned char, 16> bytes{};
  if (text.size() > INET6_ADDRSTRLEN) {
    return std::nullopt;
  }
  std::string terminated(text);
  if (inet_pton(family, terminated.c_str(), bytes.data()) != 1) {
    return std::nullopt;
  }
  return bytes;
}

std::string ipText(const std::array<unsigned char, 16>& bytes, int family) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (inet_ntop(family, bytes.data(), text.data(), text.size()) == nullptr) {
    abortOnBrokenInvariant("inet_ntop failed on an address inet_pton accepted");
  }
  return std::string(text.data());
}

std::optional<std::string> canonicalIpv6(std::string_view text) {
  auto bytes = ipBytes(text, AF_INET6);
  if (!bytes) {
    return std::nullopt;
  }
  return ipText(*bytes, AF_INET6);
}

bool isIpLiteral(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  return (looksLikeIpv4(text) && !ipv4Problem(text)) || canonicalIpv6(text).has_value();
}

// Hostnames and IPv4 addresses as accepted for upstreams and CORS origins.
Result<std::string> parseHostOrIpv4(std::string_view host, std::string_view raw,
                                    std::string_view field, std::string_view what) {
  if (looksLikeIpv4(host)) {
    if (Problem problem = ipv4Problem(host)) {
      return invalid(field, raw, what, "not a valid IPv4 address: " + *problem);
    }
    return std::string(host);
  }
  if (host.ends_with('.')) {
    return invalid(field, raw, what, "a trailing \".\" is not allowed");
  }
  if (Problem problem = hostnameProblem(host, {.wildcard = false, .min_labels = 1})) {
    return invalid(field, raw, what, *problem);
  }
  return std::string(host);
}

Result<std::uint16_t> parseOriginPort(std::string_view port, std::string_view raw,
                                      std::string_view field) {
  if (!isAllDigits(port) || port.size() > 5 || port.front() == '0' ||
      std::stoi(std::string(port)) > 65535) {
    return invalid(field, raw, "an origin",
                   fmt::format("port {} is not a number from 1 to 65535", quote(port)));
  }
  return static_cast<std::uint16_t>(std::stoi(std::string(port)));
}

}  // namespace

Result<std::string> parseDomainName(std::string_view raw, std::string_view field) {
  std::string name = toLowerAscii(trimSpaces(raw));
  if (name.empty()) {
    return invalid(field, "must not be empty");
  }
  if (name.ends_with('.')) {
    name.pop_back();
  }
  if (isIpLiteral(name)) {
    return invalid(field, raw, "a hostname", "IP addresses are not domain names");
  }
  if (Problem problem = hostnameProblem(name, {.wildcard = true, .min_labels = 2})) {
    return invalid(field, raw, "a hostname", *problem);
  }
  if (name.starts_with("*.") && isPublicSuffix(std::string_view(name).substr(2))) {
    return invalid(field, fmt::format("{} would cover every site registered under the public "
                                      "suffix {}: name a domain of your own",
                                      quote(name), quote(name.substr(2))));
  }
  if (isPublicSuffix(name)) {
    return invalid(field, fmt::format("{} is a public suffix (Public Suffix List), not a site: "
                                      "name a domain registered under it",
                                      quote(name)));
  }
  return name;
}

Result<std::string> parseUpstreamHost(std::string_view raw, std::string_view field) {
  std::string host = toLowerAscii(trimSpaces(raw));
  if (host.empty()) {
    return invalid(field, "must not be empty");
  }
  for (char c : host) {
    if (!isLowerAlnum(c) && c != '-' && c != '.' && c != ':' && c != '[' && c != ']') {
      return invalid(field, raw, kHostOrIp, notAllowed(c));
    }
  }
  bool bracketed = host.front() == '[';
  if (bracketed || host.find_first_of(":]") != std::string::npos) {
    std::string_view inner = host;
    if (bracketed && host.back() == ']') {
      inner = inner.substr(1, inner.size() - 2);
    } else if (bracketed && host.find("]:") != std::string::npos) {
      return invalid(field, raw, kHostOrIp, "a port belongs in the \"port\" field");
    }
    if (std::optional<std::string> canonical = canonicalIpv6(inner)) {
      return *canonical;
    }
    if (!bracketed && host.find(':') == host.rfind(':')) {
      return invalid(field, raw, kHostOrIp, "a port belongs in the \"port\" field");
    }
    return invalid(field, raw, kHostOrIp, "not a valid IPv6 address");
  }
  return parseHostOrIpv4(host, raw, field, kHostOrIp);
}

Result<std::string> parseCidr(std::string_view raw, std::string_view field) {
  constexpr std::string_view kWhat = "an IP network";
  std::string text = toLowerAscii(trimSpaces(raw));
  if (text.empty()) {
    return invalid(field, "must not be empty");
  }
  for (char c : text) {
    if (!isLowerAlnum(c) && c != '.' && c != ':' && c != '/') {
      return invalid(field, raw, kWhat, notAllowed(c));
    }
  }
  std::size_t slash = text.find('/');
  std::string_view address = std::string_view(text).substr(0, slash);
  bool v6 = address.find(':') != std::string_view::npos;
  int family = v6 ? AF_INET6 : AF_INET;
  int bits = v6 ? 128 : 32;
  if (!v6) {
    if (Problem problem = ipv4Problem(address)) {
      return invalid(field, raw, kWhat, "not a valid IPv4 address: " + *problem);
    }
  }
  auto bytes = ipBytes(address, family);
  if (!bytes) {
    return invalid(field, raw, kWhat, v6 ? "not a valid IPv6 address" : "not a valid IPv4 address");
  }
  int prefix = bits;
  if (slash != std::string::npos) {
    std::string_view digits = std::string_view(text).substr(slash + 1);
    if (!isAllDigits(digits) || digits.size() > 3 || (digits.size() > 1 && digits.front() == '0') ||
        std::stoi(std::string(digits)) > bits) {
      return invalid(field, raw, kWhat,
                     fmt::format("prefix {} is not a number from 0 to {}", quote(digits), bits));
    }
    prefix = std::stoi(std::string(digits));
  }
  std::array<unsigned char, 16> network = *bytes;
  for (int bit = prefix; bit < bits; ++bit) {
    network[bit / 8] &= static_cast<unsigned char>(~(0x80u >> (bit % 8)));
  }
  std::string canonical = fmt::format("{}/{}", ipText(network, family), prefix);
  if (network != *bytes) {
    return invalid(field, fmt::format("{} has host bits set; did you mean {}?",
                                      quote(trimSpaces(raw)), quote(canonical)));
  }
  return canonical;
}

Result<void> checkCorsOriginSet(const std::vector<std::string>& origins, std::string_view field) {
  if (origins.size() > 1 && std::find(origins.begin(), origins.end(), "*") != origins.end()) {
    return invalid(field, "\"*\" allows every origin and cannot be combined with others");
  }
  return ok();
}

Result<std::string> parseCorsOrigin(std::string_view raw, std::string_view field) {
  constexpr std::string_view kWhat = "an origin";
  std::string text = toLowerAscii(trimSpaces(raw));
  if (text.empty()) {
    return invalid(field, "must not be empty");
  }
  if (text == "*") {
    return text;
  }
  for (char c : text) {
    if (!isLowerAlnum(c) && std::string_view("-.:/[]*").find(c) == std::string_view::npos) {
      return invalid(field, raw, kWhat, notAllowed(c));
    }
  }
  std::string_view scheme = text.starts_with("https://")  ? "https"
                            : text.starts_with("http://") ? "http"
                                                          : "";
  if (scheme.empty()) {
    return invalid(field, raw, kWhat, "expected \"*\" or \"http://\" or \"https://\" and a host");
  }
  std::string_view rest = std::string_view(text).substr(scheme.size() + 3);
  if (rest.ends_with('/')) {
    rest.remove_suffix(1);
  }
  if (rest.empty()) {
    return invalid(field, raw, kWhat, "the host is missing");
  }
  if (rest.find('/') != std::string_view::npos) {
    return invalid(field, raw, kWhat, "a path is not allowed");
  }
  if (rest.find('*') != std::string_view::npos) {
    return invalid(field, raw, kWhat, "wildcard hosts are not supported; list each origin");
  }
  std::string host;
  std::string_view after_host;
  if (rest.starts_with('[')) {
    std::size_t close = rest.find(']');
    std::optional<std::string> canonical;
    if (close != std::string_view::npos) {
      canonical = canonicalIpv6(rest.substr(1, close - 1));
    }
    if (!canonical) {
      return invalid(field, raw, kWhat, "not a valid bracketed IPv6 address");
    }
    host = "[" + *canonical + "]";
    after_host = rest.substr(close + 1);
  } else {
    std::size_t colon = rest.find(':');
    VANTUS_TRY(host, parseHostOrIpv4(rest.substr(0, colon), raw, field, kWhat));
    after_host = colon == std::string_view::npos ? std::string_view() : rest.substr(colon);
  }
  std::string port_suffix;
  if (!after_host.empty()) {
    if (after_host.front() != ':') {
      return invalid(field, raw, kWhat, "expected \":\" and a port after the host");
    }
    VANTUS_TRY(std::uint16_t port, parseOriginPort(after_host.substr(1), raw, field));
    bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
    if (!default_port) {
      port_suffix = fmt::format(":{}", port);
    }
  }
  return fmt::format("{}://{}{}", scheme, host, port_suffix);
}

}  // namespace vantus::controller
