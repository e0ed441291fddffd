// Values an attacker would use to add nginx directives, reference nginx variables or break
// out of a quoted string. Each must be refused with the field and the offending character.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "controller/model/validate.h"
#include "tests/unit/controller/model/expect.h"

namespace vantus::controller {
namespace {

using testing::checkRejected;

TEST_CASE("directive injection through a domain is rejected with field and reason") {
  auto semicolon = parseDomainName("a.com;include /etc/passwd");
  REQUIRE_FALSE(semicolon);
  CHECK(semicolon.error().code == ErrorCode::kInvalidInput);
  CHECK(semicolon.error().field == "name");
  CHECK(semicolon.error().message ==
        "\"a.com;include /etc/passwd\" is not a hostname: \";\" is not allowed");

  auto newline = parseDomainName("a.com\ninclude x");
  REQUIRE_FALSE(newline);
  CHECK(newline.error().field == "name");
  CHECK(newline.error().message ==
        "\"a.com\\ninclude x\" is not a hostname: \"\\n\" is not allowed");

  checkRejected(parseDomainName("a.com\r\n"), "name", "\"\\r\" is not allowed");
  checkRejected(parseDomainName("a.com{}"), "name", "\"{\" is not allowed");
  checkRejected(parseDomainName("$host.com"), "name", "\"$\" is not allowed");
  checkRejected(parseDomainName("'a.com'"), "name", "\"'\" is not allowed");
  checkRejected(parseDomainName("\"a.com\""), "name", "\"\\\"\" is not allowed");
}

TEST_CASE("an extra server line smuggled into an upstream host is rejected") {
  auto result = parseUpstreamHost("1.2.3.4:80 backup; server 6.6.6.6", "targets[0].host");
  REQUIRE_FALSE(result);
  CHECK(result.error().field == "targets[0].host");
  CHECK(result.error().message ==
        "\"1.2.3.4:80 backup; server 6.6.6.6\" is not a hostname or IP address: "
        "a space is not allowed");
  checkRejected(parseUpstreamHost("1.2.3.4;server 6.6.6.6"), "host", "\";\" is not allowed");
  checkRejected(parseUpstreamHost("backend}"), "host", "\"}\" is not allowed");
}

TEST_CASE("a header value cannot end its quoted string or reference a variable") {
  auto quote = parseHeaderValue("x\"; return 302 http://evil;#", "headers.X-A");
  REQUIRE_FALSE(quote);
  CHECK(quote.error().field == "headers.X-A");
  CHECK(quote.error().message.find("\"\\\"\" is not allowed") != std::string::npos);
  checkRejected(parseHeaderValue("$http_authorization", "headers.X-A"), "headers.X-A",
                "\"$\" is not allowed");
  checkRejected(parseHeaderValue("ok\\", "headers.X-A"), "headers.X-A", "\"\\\\\" is not allowed");
}

TEST_CASE("braces are refused in every name") {
  checkRejected(parseSlug("acme{"), "slug", "\"{\" is not allowed");
  checkRejected(parseSlug("}acme"), "slug", "\"}\" is not allowed");
  checkRejected(parsePoolName("web{}"), "name", "\"{\" is not allowed");
  checkRejected(parseDomainName("}.example.com"), "name", "\"}\" is not allowed");
  checkRejected(parseHeaderName("X-{A}"), "headers", "\"{\" is not allowed");
  checkRejected(parseCorsOrigin("https://{a}.com"), "cors_origins", "\"{\" is not allowed");
  checkRejected(parseCidr("{10.0.0.0/8}"), "ip_allowlist", "\"{\" is not allowed");
}

// Every string parser with a value it accepts; a line break anywhere in it, even at the end
// where trimming might be expected to help, must be refused.
struct StringGrammar {
  const char* name;
  std::function<Result<std::string>(std::string_view)> parse;
  std::string valid;
};

std::vector<StringGrammar> stringGrammars() {
  auto text = [](auto parser) {
    return [parser](std::string_view raw) -> Result<std::string> {
      auto result = parser(raw);
      if (!result) {
        return fail(std::move(result).error());
      }
      return std::string("accepted");
    };
  };
  return {
      {"slug", [](std::string_view raw) { return parseSlug(raw); }, "acme"},
      {"tenant name", [](std::string_view raw) { return parseTenantName(raw); }, "Acme Corp"},
      {"pool name", [](std::string_view raw) { return parsePoolName(raw); }, "web"},
      {"health check path", [](std::string_view raw) { return parseHealthCheckPath(raw); },
       "/healthz"},
      {"header name", [](std::string_view raw) { return parseHeaderName(raw); }, "X-Custom"},
      {"header value", [](std::string_view raw) { return parseHeaderValue(raw); }, "a b"},
      {"domain", [](std::string_view raw) { return parseDomainName(raw); }, "example.com"},
      {"upstream host", [](std::string_view raw) { return parseUpstreamHost(raw); }, "backend"},
      {"cidr", [](std::string_view raw) { return parseCidr(raw); }, "10.0.0.0/8"},
      {"cors origin", [](std::string_view raw) { return parseCorsOrigin(raw); },
       "https://example.com"},
      {"min tls version", [](std::string_view raw) { return parseMinTlsVersion(raw); }, "TLSv1.2"},
      {"tenant status", text([](std::string_view raw) { return parseTenantStatus(raw); }),
       "active"},
      {"upstream protocol", text([](std::string_view raw) { return parseUpstreamProtocol(raw); }),
       "http"},
      {"tenant role", text([](std::string_view raw) { return parseTenantRole(raw); }), "viewer"},
  };
}

TEST_CASE("a newline, carriage return or NUL is rejected in every field") {
  for (const StringGrammar& grammar : stringGrammars()) {
    INFO(grammar.name);
    REQUIRE(grammar.parse(grammar.valid));
    for (std::string_view bad : {std::string_view("\n"), std::string_view("\r"),
                                 std::string_view("\0", 1), std::string_view("\r\n")}) {
      for (std::size_t at : {std::size_t{0}, grammar.valid.size() / 2, grammar.valid.size()}) {
        std::string input = grammar.valid;
        input.insert(at, bad);
        auto result = grammar.parse(input);
        CHECK_FALSE(result);
        if (!result) {
          CHECK(result.error().code == ErrorCode::kInvalidInput);
          CHECK_FALSE(result.error().field.empty());
        }
      }
    }
  }
}

}  // namespace
}  // namespace vantus::controller
