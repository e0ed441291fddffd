#include "controller/server/host_port.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <charconv>

namespace vantus::controller {
namespace {

bool isIpLiteral(int family, const std::string& host) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(family, host.c_str(), buffer) == 1;
}

Unexpected badAddress(std::string_view text, std::string_view why) {
  return fail(ErrorCode::kInvalidInput,
              fmt::format("listen address {:?} {}; expected host:port such as "
                          "\"127.0.0.1:8440\", \"[::1]:8440\" or \"localhost:8440\"",
                          text, why));
}

}  // namespace

std::string HostPort::toString() const {
  if (host.find(':') != std::string::npos) {
    return fmt::format("[{}]:{}", host, port);
  }
  return fmt::format("{}:{}", host, port);
}

Result<HostPort> parseListenAddress(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return badAddress(text, "has no port");
  }
  std::string_view host_part = text.substr(0, colon);
  std::string_view port_part = text.substr(colon + 1);

  unsigned port = 0;
  auto [end, error] = std::from_chars(port_part.data(), port_part.data() + port_part.size(), port);
  if (port_part.empty() || error != std::errc() || end != port_part.data() + port_part.size() ||
      port > 65535) {
    return badAddress(text, "has no valid port (0..65535)");
  }

  HostPort result;
  result.port = static_cast<uint16_t>(port);
  if (host_part.size() >= 2 && host_part.front() == '[' && host_part.back() == ']') {
    result.host = std::string(host_part.substr(1, host_part.size() - 2));
    if (!isIpLiteral(AF_INET6, result.host)) {
      return badAddress(text, "has no valid IPv6 address inside the brackets");
    }
    return result;
  }
  result.host = std::string(host_part);
  if (result.host == "localhost" || isIpLiteral(AF_INET, result.host)) {
    return result;
  }
  if (result.host.find(':') != std::string::npos) {
    return badAddress(text, "needs brackets around an IPv6 address");
  }
  if (result.host.empty()) {
    return badAddress(text, "has no host");
  }
  return badAddress(text, "names a host that is neither an IP address nor localhost");
}

}  // namespace vantus::controller
