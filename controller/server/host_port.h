#pragma once
// A listen address: "127.0.0.1:8440", "[::1]:8440", "localhost:8440", "0.0.0.0:0".
#include <cstdint>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::controller {

struct HostPort {
  std::string host;   // an IPv4 or IPv6 literal (without brackets) or "localhost"
  uint16_t port = 0;  // 0 lets the kernel choose

  // "host:port", with brackets around an IPv6 host.
  std::string toString() const;
  bool operator==(const HostPort&) const = default;
};

// Accepts IPv4 literals, bracketed IPv6 literals and "localhost", then ':' and a decimal
// port 0..65535. Other host names are refused: a listen address must not depend on DNS.
Result<HostPort> parseListenAddress(std::string_view text);

}  // namespace vantus::controller
