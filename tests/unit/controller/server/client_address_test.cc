#include "controller/server/client_address.h"

#include <doctest/doctest.h>
#include <httplib.h>

namespace vantus::controller {
namespace {

TrustedProxies proxies(std::vector<std::string> cidrs,
                       ForwardedHeader header = ForwardedHeader::kXForwardedFor) {
  Result<TrustedProxies> parsed = TrustedProxies::parse(cidrs, header);
  REQUIRE(parsed);
  return *parsed;
}

httplib::Request requestFrom(std::string peer,
                             std::vector<std::pair<std::string, std::string>> headers = {}) {
  httplib::Request request;
  request.remote_addr = std::move(peer);
  for (auto& [name, value] : headers) {
    request.headers.emplace(name, value);
  }
  return request;
}

TEST_CASE("CIDRs match addresses of their family and prefix only") {
  TrustedProxies trusted = proxies({"10.0.0.0/8", "192.0.2.128/25", "2001:db8::/32", "::1"});
  CHECK(trusted.contains("10.200.3.4"));
  CHECK(trusted.contains("192.0.2.200"));
  CHECK_FALSE(trusted.contains("192.0.2.100"));
  CHECK(trusted.contains("2001:db8:ffff::1"));
  CHECK(trusted.contains("::1"));
  CHECK_FALSE(trusted.contains("::2"));
  CHECK_FALSE(trusted.contains("11.0.0.1"));
  CHECK_FALSE(trusted.contains("not an address"));
  CHECK_FALSE(TrustedProxies().contains("127.0.0.1"));
  CHECK(proxies({"127.0.0.1"}).contains("::ffff:127.0.0.1"));  // a dual-stack socket's IPv4 peer
}

TEST_CASE("a bad trusted proxy entry is an error naming it") {
  for (const char* bad : {"10.0.0.0/33", "10.0.0/8", "example.com", "::1/129", "10.0.0.0/x"}) {
    Result<TrustedProxies> parsed = TrustedProxies::parse({bad});
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().field == "trusted_proxies");
    CHECK(parsed.error().message.find(bad) != std::string::npos);
  }
}

TEST_CASE("without trusted proxies the peer is the client, whatever the headers say") {
  httplib::Request request = requestFrom("198.51.100.1", {{"X-Forwarded-For", "203.0.113.5"}});
  CHECK(clientAddress(request, TrustedProxies()) == "198.51.100.1");
  CHECK(clientAddress(request, proxies({"10.0.0.0/8"})) == "198.51.100.1");
}

TEST_CASE("behind trusted proxies the right-most untrusted hop is the client") {
  const TrustedProxies trusted = proxies({"127.0.0.1", "10.0.0.0/8"});
  CHECK(clientAddress(requestFrom("127.0.0.1", {{"X-Forwarded-For", "203.0.113.5"}}), trusted) ==
        "203.0.113.5");
  // The client wrote "198.51.100.66" itself; the proxies appended what they saw.
  CHECK(clientAddress(
            requestFrom("127.0.0.1", {{"X-Forwarded-For", "198.51.100.66, 203.0.113.5, 10.1.1.1"}}),
            trusted) == "203.0.113.5");
  // Two copies of the header read as one list, in order.
  CHECK(clientAddress(requestFrom("127.0.0.1", {{"X-Forwarded-For", "198.51.100.66"},
                                                {"X-Forwarded-For", "203.0.113.5"}}),
                      trusted) == "203.0.113.5");
  // Every hop trusted: the left-most is the client.
  CHECK(clientAddress(requestFrom("127.0.0.1", {{"X-Forwarded-For", "10.0.0.9, 10.0.0.1"}}),
                      trusted) == "10.0.0.9");
  // No header, or one that does not parse: the proxy itself.
  CHECK(clientAddress(requestFrom("127.0.0.1"), trusted) == "127.0.0.1");
  CHECK(clientAddress(requestFrom("127.0.0.1", {{"X-Forwarded-For", "203.0.113.5, evil"}}),
                      trusted) == "127.0.0.1");
}

TEST_CASE("the Forwarded header is read only when configured, with ports, quotes and IPv6") {
  const TrustedProxies trusted = proxies({"127.0.0.1"}, ForwardedHeader::kForwarded);
  httplib::Request request = requestFrom(
      "127.0.0.1", {{"Forwarded", R"(for=198.51.100.66, for="[2001:db8::7]:4711";proto=https)"},
                    {"X-Forwarded-For", "203.0.113.5"}});
  CHECK(clientAddress(request, trusted) == "2001:db8::7");
  CHECK(clientAddress(requestFrom("127.0.0.1", {{"Forwarded", "for=\"192.0.2.4:80\";by=x"}}),
                      trusted) == "192.0.2.4");
  CHECK(clientAddress(requestFrom("127.0.0.1", {{"Forwarded", "for=unknown"}}), trusted) ==
        "127.0.0.1");
  CHECK(clientAddress(request, proxies({"127.0.0.1"})) == "203.0.113.5");
}

}  // namespace
}  // namespace vantus::controller
