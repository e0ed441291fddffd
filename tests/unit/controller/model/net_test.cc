#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "controller/model/validate.h"
#include "tests/unit/controller/model/expect.h"

namespace vantus::controller {
namespace {

using testing::checkAccepted;
using testing::checkRejected;

struct Accept {
  std::string input;
  std::string expected;
};

struct Reject {
  std::string input;
  std::string reason;
};

std::string label(char c, std::size_t size) { return std::string(size, c); }

TEST_CASE("a domain is a lowercased RFC 1123 hostname with an optional leading wildcard") {
  std::string longest = label('a', 63) + "." + label('b', 63) + "." + label('c', 63) + "." +
                        label('d', 61);  // 253 characters
  for (const Accept& row : std::vector<Accept>{
           {"example.com", "example.com"},
           {"Shop.Example.COM", "shop.example.com"},
           {"  example.com  ", "example.com"},
           {"example.com.", "example.com"},
           {"*.example.com", "*.example.com"},
           {"xn--bcher-kva.example", "xn--bcher-kva.example"},
           {"a-b.c-d.io", "a-b.c-d.io"},
           {"1.example.com", "1.example.com"},
           {"shop.co.uk", "shop.co.uk"},
           {"*.shop.co.uk", "*.shop.co.uk"},
           {"acme.github.io", "acme.github.io"},
           {label('x', 63) + ".com", label('x', 63) + ".com"},
           {longest, longest},
       }) {
    INFO(row.input);
    checkAccepted(parseDomainName(row.input), row.expected);
  }
}

TEST_CASE("a domain that is not a hostname is rejected with the reason") {
  for (const Reject& row : std::vector<Reject>{
           {"", "must not be empty"},
           {"localhost", "needs at least two labels"},
           {"1.2.3.4", "IP addresses are not domain names"},
           {"::1", "IP addresses are not domain names"},
           {"[2001:db8::1]", "IP addresses are not domain names"},
           {"example.com..", "has an empty label"},
           {".example.com", "has an empty label"},
           {"a..example.com", "has an empty label"},
           {"-a.example.com", "label \"-a\" starts or ends with \"-\""},
           {"a-.example.com", "starts or ends with \"-\""},
           {"example.123", "top-level label \"123\" is all-numeric"},
           {"*.com", "a wildcard needs at least two labels after \"*.\""},
           {"co.uk", "\"co.uk\" is a public suffix (Public Suffix List)"},
           {"GitHub.io", "\"github.io\" is a public suffix"},
           {"*.co.uk", "would cover every site registered under the public suffix \"co.uk\""},
           {"*.github.io", "the public suffix \"github.io\""},
           {"a.*.example.com", "\"*\" is only allowed as the whole first label"},
           {"*a.example.com", "\"*\" is only allowed as the whole first label"},
           {"**.example.com", "\"*\" is only allowed as the whole first label"},
           {"example.com/x", "\"/\" is not allowed"},
           {"example.com:80", "\":\" is not allowed"},
           {"a_b.example.com", "\"_\" is not allowed"},
           {"a b.com", "a space is not allowed"},
           {"{a}.com", "\"{\" is not allowed"},
           {label('x', 64) + ".com", "is longer than 63 characters"},
           {label('a', 63) + "." + label('b', 63) + "." + label('c', 63) + "." + label('d', 62),
            "longer than 253 characters"},
       }) {
    INFO(row.input);
    checkRejected(parseDomainName(row.input), "name", row.reason);
  }
}

TEST_CASE("non-ASCII domains, homoglyphs included, must use their punycode form") {
  const char* kHint = "non-ASCII characters are not allowed (use the punycode \"xn--\" form)";
  checkRejected(parseDomainName("bücher.example"), "name", kHint);
  checkRejected(parseDomainName("\xd0\xb0pple.com"), "name", kHint);        // Cyrillic 'а'
  checkRejected(parseDomainName("exa\xef\xbd\x8dple.com"), "name", kHint);  // fullwidth 'm'
  checkAccepted(parseDomainName("xn--pple-43d.com"), std::string("xn--pple-43d.com"));
}

TEST_CASE("an upstream host is a hostname, an IPv4 address or a canonical IPv6 address") {
  for (const Accept& row : std::vector<Accept>{
           {"backend", "backend"},
           {"localhost", "localhost"},
           {"API.internal", "api.internal"},
           {"  app-1.svc.cluster.local ", "app-1.svc.cluster.local"},
           {"10.0.0.1", "10.0.0.1"},
           {"0.0.0.0", "0.0.0.0"},
           {"255.255.255.255", "255.255.255.255"},
           {"::1", "::1"},
           {"[::1]", "::1"},
           {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
           {"[2001:0db8::0001]", "2001:db8::1"},
           {"::ffff:10.0.0.1", "::ffff:10.0.0.1"},
       }) {
    INFO(row.input);
    checkAccepted(parseUpstreamHost(row.input), row.expected);
  }
}

TEST_CASE("an upstream host is rejected with a precise reason") {
  for (const Reject& row : std::vector<Reject>{
           {"", "must not be empty"},
           {"01.2.3.4", "not a valid IPv4 address: \"01\" has a leading zero"},
           {"1.2.3", "expected four numbers separated by \".\""},
           {"1.2.3.4.5", "expected four numbers"},
           {"256.1.1.1", "\"256\" is greater than 255"},
           {"1.2.3.4:80", "a port belongs in the \"port\" field"},
           {"backend:8080", "a port belongs in the \"port\" field"},
           {"[::1]:80", "a port belongs in the \"port\" field"},
           {"[::1", "not a valid IPv6 address"},
           {"::1]", "not a valid IPv6 address"},
           {"1::2::3", "not a valid IPv6 address"},
           {"fe80::1%eth0", "\"%\" is not allowed"},
           {"*.example.com", "\"*\" is not allowed"},
           {"backend.", "a trailing \".\" is not allowed"},
           {"a_b", "\"_\" is not allowed"},
           {"x{y}", "\"{\" is not allowed"},
           {"1.example.123", "top-level label \"123\" is all-numeric"},
           {"bücher", "non-ASCII characters are not allowed"},
       }) {
    INFO(row.input);
    checkRejected(parseUpstreamHost(row.input), "host", row.reason);
  }
}

TEST_CASE("a CIDR is normalised to its canonical network form") {
  for (const Accept& row : std::vector<Accept>{
           {"10.0.0.0/8", "10.0.0.0/8"},
           {"10.0.0.1", "10.0.0.1/32"},
           {" 192.168.1.0/24 ", "192.168.1.0/24"},
           {"0.0.0.0/0", "0.0.0.0/0"},
           {"203.0.113.7/32", "203.0.113.7/32"},
           {"2001:DB8::/32", "2001:db8::/32"},
           {"2001:db8:0:0::/64", "2001:db8::/64"},
           {"::1", "::1/128"},
           {"::/0", "::/0"},
       }) {
    INFO(row.input);
    checkAccepted(parseCidr(row.input), row.expected);
  }
}

TEST_CASE("a CIDR with host bits set suggests its network address") {
  auto v4 = parseCidr("10.0.0.1/8", "ip_allowlist[2]");
  REQUIRE_FALSE(v4);
  CHECK(v4.error().field == "ip_allowlist[2]");
  CHECK(v4.error().message == "\"10.0.0.1/8\" has host bits set; did you mean \"10.0.0.0/8\"?");
  checkRejected(parseCidr("2001:db8::1/32"), "ip_allowlist", "did you mean \"2001:db8::/32\"?");
  checkRejected(parseCidr("192.168.1.129/25"), "ip_allowlist",
                "did you mean \"192.168.1.128/25\"?");
}

TEST_CASE("a malformed CIDR is rejected") {
  for (const Reject& row : std::vector<Reject>{
           {"", "must not be empty"},
           {"10.0.0.0/33", "prefix \"33\" is not a number from 0 to 32"},
           {"::/129", "prefix \"129\" is not a number from 0 to 128"},
           {"10.0.0.0/", "prefix \"\" is not a number"},
           {"10.0.0.0/08", "prefix \"08\" is not a number"},
           {"10.0.0.0/8/9", "prefix \"8/9\" is not a number"},
           {"10.0.0.0/-1", "\"-\" is not allowed"},
           {"010.0.0.0/8", "\"010\" has a leading zero"},
           {"a.b.c.d/8", "not a valid IPv4 address"},
           {"2001:db8::g/32", "not a valid IPv6 address"},
           {"10.0.0.0 /8", "a space is not allowed"},
           {"10.0.0.0/8;", "\";\" is not allowed"},
           {"[::1]/128", "\"[\" is not allowed"},
       }) {
    INFO(row.input);
    checkRejected(parseCidr(row.input), "ip_allowlist", row.reason);
  }
}

TEST_CASE("a CORS origin is normalised to the form browsers send") {
  for (const Accept& row : std::vector<Accept>{
           {"*", "*"},
           {"https://example.com", "https://example.com"},
           {"HTTPS://Example.COM", "https://example.com"},
           {" https://example.com/ ", "https://example.com"},
           {"https://example.com:443", "https://example.com"},
           {"http://example.com:80", "http://example.com"},
           {"http://example.com:443", "http://example.com:443"},
           {"http://localhost:3000", "http://localhost:3000"},
           {"http://10.0.0.1:8080", "http://10.0.0.1:8080"},
           {"https://[2001:DB8::1]", "https://[2001:db8::1]"},
           {"http://[::1]:8080/", "http://[::1]:8080"},
       }) {
    INFO(row.input);
    checkAccepted(parseCorsOrigin(row.input), row.expected);
  }
  for (const Reject& row : std::vector<Reject>{
           {"", "must not be empty"},
           {"example.com", "expected \"*\" or \"http://\" or \"https://\""},
           {"ftp://example.com", "expected \"*\""},
           {"null", "expected \"*\""},
           {"https://", "the host is missing"},
           {"https://example.com/app", "a path is not allowed"},
           {"https://example.com//", "a path is not allowed"},
           {"https://*.example.com", "wildcard hosts are not supported"},
           {"https://example.com:0", "port \"0\" is not a number from 1 to 65535"},
           {"https://example.com:65536", "port \"65536\""},
           {"https://example.com:080", "port \"080\""},
           {"https://example.com:", "port \"\""},
           {"https://user@example.com", "\"@\" is not allowed"},
           {"https://example.com?x=1", "\"?\" is not allowed"},
           {"https://example.com;x", "\";\" is not allowed"},
           {"https://example.com\"", "\"\\\"\" is not allowed"},
           {"https://[::1", "not a valid bracketed IPv6 address"},
           {"https://[::1]x", "expected \":\" and a port"},
           {"https://example.com.", "a trailing \".\" is not allowed"},
           {"https://01.2.3.4", "\"01\" has a leading zero"},
           {"https://bücher.de", "non-ASCII characters are not allowed"},
       }) {
    INFO(row.input);
    checkRejected(parseCorsOrigin(row.input), "cors_origins", row.reason);
  }
}

}  // namespace
}  // namespace vantus::controller
