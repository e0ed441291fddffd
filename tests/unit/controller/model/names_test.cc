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

TEST_CASE("a slug is a lowercase identifier, never silently trimmed or lowercased") {
  for (const Accept& row : std::vector<Accept>{
           {"acme", "acme"},
           {"a", "a"},
           {"0day", "0day"},
           {"acme-eu-2", "acme-eu-2"},
           {std::string(63, 'a'), std::string(63, 'a')},
       }) {
    INFO(row.input);
    checkAccepted(parseSlug(row.input), row.expected);
  }
  for (const Reject& row : std::vector<Reject>{
           {"", "must not be empty"},
           {"Acme", "\"A\" is not allowed (use lowercase)"},
           {" acme", "a space is not allowed"},
           {"acme ", "a space is not allowed"},
           {"ac_me", "\"_\" is not allowed (only a-z, 0-9 and \"-\")"},
           {"ac.me", "\".\" is not allowed"},
           {"a{b}", "\"{\" is not allowed"},
           {"acme;", "\";\" is not allowed"},
           {"ac\nme", "\"\\n\" is not allowed"},
           {"-acme", "must start with a letter or digit"},
           {"acme-", "must end with a letter or digit"},
           {std::string(64, 'a'), "longer than 63 characters"},
       }) {
    INFO(row.input);
    checkRejected(parseSlug(row.input), "slug", row.reason);
  }
}

TEST_CASE("a slug error names the field it was given, e.g. a cluster's name") {
  checkRejected(parseSlug("EU", "name"), "name", "\"EU\" is not a slug");
}

TEST_CASE("a pool name starts with a letter or digit and may end with a dash") {
  checkAccepted(parsePoolName("web"), std::string("web"));
  checkAccepted(parsePoolName("1st-"), std::string("1st-"));
  checkRejected(parsePoolName(""), "name", "must not be empty");
  checkRejected(parsePoolName("-web"), "name", "must start with a letter or digit");
  checkRejected(parsePoolName("Web"), "name", "use lowercase");
  checkRejected(parsePoolName("web_1"), "name", "\"_\" is not allowed");
  checkRejected(parsePoolName("web}"), "name", "\"}\" is not allowed");
  checkRejected(parsePoolName(std::string(64, 'p')), "name", "longer than 63");
}

TEST_CASE("a tenant name is trimmed UTF-8 text without control characters") {
  for (const Accept& row : std::vector<Accept>{
           {"  Acme Corp  ", "Acme Corp"},
           {"Ünïcødé GmbH", "Ünïcødé GmbH"},
           {"日本の会社", "日本の会社"},
           {"{weird}; $name \"quoted\"", "{weird}; $name \"quoted\""},
           {std::string(200, 'n'), std::string(200, 'n')},
       }) {
    INFO(row.input);
    checkAccepted(parseTenantName(row.input), row.expected);
  }
  for (const Reject& row : std::vector<Reject>{
           {"", "must not be empty"},
           {"   ", "must not be empty"},
           {std::string(201, 'n'), "longer than 200 bytes"},
           {"Acme\nCorp", "control character \"\\n\" is not allowed"},
           {"Acme\tCorp", "control character \"\\t\""},
           {"Acme\x7f", "control character \"\\x7f\""},
           {"Acme\xc2\x85", "control character U+0085"},
           {"Acme\xe2\x80\xa8", "control character U+2028"},
           {"Acme\xff", "not valid UTF-8"},
           {"Acme\xc0\xaf", "not valid UTF-8"},      // overlong '/'
           {"Acme\xed\xa0\x80", "not valid UTF-8"},  // surrogate
           {"Acme\xe6\x97", "not valid UTF-8"},      // truncated
       }) {
    INFO(row.input);
    checkRejected(parseTenantName(row.input), "name", row.reason);
  }
}

TEST_CASE("a health check path is an absolute URL path without nginx-significant characters") {
  for (const Accept& row : std::vector<Accept>{
           {"/", "/"},
           {"/healthz", "/healthz"},
           {"  /status  ", "/status"},
           {"/a/b-c_d.e~f!&()*+,=:@", "/a/b-c_d.e~f!&()*+,=:@"},
           {"/with%20space", "/with%20space"},
           {"/" + std::string(511, 'h'), "/" + std::string(511, 'h')},
       }) {
    INFO(row.input);
    checkAccepted(parseHealthCheckPath(row.input), row.expected);
  }
  for (const Reject& row : std::vector<Reject>{
           {"", "must not be empty"},
           {"healthz", "must start with \"/\""},
           {"/a b", "a space is not allowed"},
           {"/a;b", "\";\" is not allowed"},
           {"/$uri", "\"$\" is not allowed"},
           {"/{x}", "\"{\" is not allowed"},
           {"/a\"b", "\"\\\"\" is not allowed"},
           {"/a'b", "\"'\" is not allowed"},
           {"/a\\b", "\"\\\\\" is not allowed"},
           {"/a?b=1", "\"?\" is not allowed"},
           {"/a#b", "\"#\" is not allowed"},
           {"/a\nb", "\"\\n\" is not allowed"},
           {"/%zz", "\"%\" must start an escape of two hex digits"},
           {"/%2", "\"%\" must start an escape of two hex digits"},
           {"/%0a", "\"%0a\" encodes a control character"},
           {"/%7F", "\"%7F\" encodes a control character"},
           {"/" + std::string(512, 'h'), "longer than 512 characters"},
       }) {
    INFO(row.input);
    checkRejected(parseHealthCheckPath(row.input), "health_check_path", row.reason);
  }
}

TEST_CASE("a header name is an RFC 7230 token whose case is kept") {
  for (const Accept& row : std::vector<Accept>{
           {"X-Frame-Options", "X-Frame-Options"},
           {"x-MiXeD_case", "x-MiXeD_case"},
           {"X.Custom~1", "X.Custom~1"},
           {std::string(128, 'h'), std::string(128, 'h')},
       }) {
    INFO(row.input);
    checkAccepted(parseHeaderName(row.input), row.expected);
  }
  for (const Reject& row : std::vector<Reject>{
           {"", "must not be empty"},
           {" X-A", "a space is not allowed"},
           {"X Foo", "a space is not allowed"},
           {"X:Foo", "\":\" is not allowed"},
           {"X-$host", "\"$\" is not allowed"},
           {"X{a}", "\"{\" is not allowed"},
           {"X\"", "\"\\\"\" is not allowed"},
           {"X\nY", "\"\\n\" is not allowed"},
           {"Ä", "a non-ASCII character is not allowed"},
           {std::string(129, 'h'), "longer than 128 characters"},
       }) {
    INFO(row.input);
    checkRejected(parseHeaderName(row.input), "headers", row.reason);
  }
}

TEST_CASE("header names nginx or other settings own are refused in any case") {
  for (const char* name : {"Content-Length", "transfer-encoding", "CONNECTION", "Host",
                           "keep-alive", "Upgrade", "TE", "Trailer", "Proxy-Connection"}) {
    INFO(name);
    checkRejected(parseHeaderName(name), "headers", "cannot be set as a response header");
  }
  checkRejected(parseHeaderName("strict-transport-security"), "headers", "\"hsts\" setting");
  checkRejected(parseHeaderName("Access-Control-Allow-Origin"), "headers", "\"cors_origins\"");
}

TEST_CASE("a header value is trimmed printable ASCII, may hold ';' '{' '}', never '\"' '\\' '$'") {
  for (const Accept& row : std::vector<Accept>{
           {"", ""},
           {"  nosniff  ", "nosniff"},
           {"default-src 'self'; img-src * data:; frame-ancestors 'none'",
            "default-src 'self'; img-src * data:; frame-ancestors 'none'"},
           {"{json-ish: 1}", "{json-ish: 1}"},
           {std::string(1024, 'v'), std::string(1024, 'v')},
       }) {
    INFO(row.input);
    checkAccepted(parseHeaderValue(row.input), row.expected);
  }
  for (const Reject& row : std::vector<Reject>{
           {"x\"; return 302 http://evil;#", "\"\\\"\" is not allowed (the value is rendered"},
           {"$http_authorization", "\"$\" is not allowed (nginx would expand a variable)"},
           {"a\\b", "\"\\\\\" is not allowed"},
           {"a\nb", "\"\\n\" is not allowed"},
           {"a\rb", "\"\\r\" is not allowed"},
           {"a\tb", "\"\\t\" is not allowed"},
           {"a\x01", "\"\\x01\" is not allowed"},
           {"a\x7f", "\"\\x7f\" is not allowed"},
           {"caf\xc3\xa9", "a non-ASCII character is not allowed"},
           {std::string(1025, 'v'), "longer than 1024 characters"},
       }) {
    INFO(row.input);
    checkRejected(parseHeaderValue(row.input, "headers.X-A"), "headers.X-A", row.reason);
  }
}

TEST_CASE("enumerations accept exactly their lowercase names") {
  checkAccepted(parseTenantStatus("active"), TenantStatus::kActive);
  checkAccepted(parseTenantStatus("suspended"), TenantStatus::kSuspended);
  checkAccepted(parseTenantStatus("archived"), TenantStatus::kArchived);
  checkRejected(parseTenantStatus("Active"), "status",
                "expected \"active\", \"suspended\" or \"archived\"");
  checkRejected(parseTenantStatus(" active"), "status");
  checkRejected(parseTenantStatus("deleted"), "status", "is not a tenant status");

  checkAccepted(parseUpstreamProtocol("http"), UpstreamProtocol::kHttp);
  checkAccepted(parseUpstreamProtocol("https"), UpstreamProtocol::kHttps);
  checkRejected(parseUpstreamProtocol("HTTPS"), "protocol", "expected \"http\" or \"https\"");
  checkRejected(parseUpstreamProtocol("grpc"), "protocol");

  checkAccepted(parseTenantRole("owner"), TenantRole::kOwner);
  checkAccepted(parseTenantRole("admin"), TenantRole::kAdmin);
  checkAccepted(parseTenantRole("operator"), TenantRole::kOperator);
  checkAccepted(parseTenantRole("viewer"), TenantRole::kViewer);
  checkRejected(parseTenantRole("root"), "role",
                "expected \"owner\", \"admin\", \"operator\" or \"viewer\"");
  checkRejected(parseTenantRole(""), "role");
}

TEST_CASE("the minimum TLS version is TLSv1.2 or TLSv1.3, spelled exactly") {
  checkAccepted(parseMinTlsVersion("TLSv1.2"), std::string("TLSv1.2"));
  checkAccepted(parseMinTlsVersion("TLSv1.3"), std::string("TLSv1.3"));
  checkRejected(parseMinTlsVersion("TLSv1.1"), "min_tls_version", "expected \"TLSv1.2\" or");
  checkRejected(parseMinTlsVersion("tlsv1.2"), "min_tls_version");
  checkRejected(parseMinTlsVersion("TLSv1.2 "), "min_tls_version");
}

TEST_CASE("error messages quote long input cut short") {
  auto result = parseSlug(std::string(5000, 'A'));
  REQUIRE_FALSE(result);
  CHECK(result.error().message.size() < 200);
  CHECK(result.error().message.find("...") != std::string::npos);
}

}  // namespace
}  // namespace vantus::controller
