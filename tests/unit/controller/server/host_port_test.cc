#include "controller/server/host_port.h"

#include <doctest/doctest.h>

namespace vantus::controller {
namespace {

HostPort parsed(std::string_view text) {
  auto address = parseListenAddress(text);
  if (!address) {
    FAIL(address.error().describe());
  }
  return *address;
}

TEST_CASE("listen addresses: IPv4, bracketed IPv6, localhost") {
  CHECK(parsed("127.0.0.1:8440") == HostPort{"127.0.0.1", 8440});
  CHECK(parsed("0.0.0.0:0") == HostPort{"0.0.0.0", 0});
  CHECK(parsed("[::1]:65535") == HostPort{"::1", 65535});
  CHECK(parsed("[::]:80") == HostPort{"::", 80});
  CHECK(parsed("localhost:1") == HostPort{"localhost", 1});
}

TEST_CASE("toString puts brackets back around IPv6 hosts") {
  CHECK(parsed("[fe80::1]:8440").toString() == "[fe80::1]:8440");
  CHECK(parsed("10.1.2.3:80").toString() == "10.1.2.3:80");
}

TEST_CASE("anything else is refused with a hint") {
  for (const char* bad : {"",
                          ":",
                          "8440",
                          "127.0.0.1",
                          "127.0.0.1:",
                          "127.0.0.1:65536",
                          "127.0.0.1:+80",
                          "127.0.0.1: 80",
                          "127.0.0.1:80 ",
                          "::1:80",
                          "::1",
                          "[::1]",
                          "[::1]:",
                          "[127.0.0.1]:80",
                          "[]:80",
                          ":80",
                          "example.com:80",
                          "LOCALHOST:80",
                          "1.2.3:80",
                          "1.2.3.4.5:80"}) {
    auto address = parseListenAddress(bad);
    CHECK_MESSAGE(!address, bad);
    if (!address) {
      CHECK(address.error().code == ErrorCode::kInvalidInput);
      CHECK(address.error().message.find("expected host:port") != std::string::npos);
    }
  }
}

}  // namespace
}  // namespace vantus::controller
