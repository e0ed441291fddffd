// Every value that could reach an nginx config is refused at the boundary with an error that
// names the field, and a refused write leaves the store, git HEAD and the release untouched.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "controller/model/parse_json.h"
#include "controller/model/validate.h"
#include "tests/integration/pipeline/pipeline_fixture.h"

namespace vantus::controller {
namespace {

using nlohmann::json;

struct Attempt {
  std::string name;
  std::string field;  // expected Error.field
  std::function<Result<void>(testing::PipelineFixture&)> write;
};

json poolWithHost(const std::string& host) {
  return {{"name", "web2"}, {"targets", {{{"host", host}, {"port", 80}}}}};
}

template <typename T>
Result<void> discard(Result<T> result) {
  if (!result) {
    return fail(result.error());
  }
  return ok();
}

Result<void> addDomain(testing::PipelineFixture& f, const json& body) {
  VANTUS_TRY(Domain domain, parseDomainJson(body));
  return discard(f.app().model().addDomain(f.caller(), f.tenantId(), domain));
}

Result<void> addPool(testing::PipelineFixture& f, const json& body) {
  VANTUS_TRY(UpstreamPool pool, parseUpstreamPoolJson(body));
  return discard(f.app().model().addPool(f.caller(), f.tenantId(), pool));
}

Result<void> putPolicy(testing::PipelineFixture& f, const json& body) {
  VANTUS_TRY(EdgePolicy policy, parseEdgePolicyJson(body));
  return discard(f.app().model().putPolicy(f.caller(), f.tenantId(), policy));
}

std::vector<Attempt> attempts() {
  return {
      {"domain with an include", "name",
       [](auto& f) {
         return addDomain(f, {{"name", "a.com;include /etc/passwd"}});
       }},
      {"domain with a newline", "name",
       [](auto& f) {
         return addDomain(f, {{"name", "a.com\nserver_name evil.com"}});
       }},
      {"domain with a space", "name",
       [](auto& f) {
         return addDomain(f, {{"name", "a.com evil.com"}});
       }},
      {"header value closing the quote", "headers.X-Test",
       [](auto& f) {
         return putPolicy(f, {{"headers", {{"X-Test", "x\"; return 302 http://evil;#"}}}});
       }},
      {"header value with a variable", "headers.X-Test",
       [](auto& f) {
         return putPolicy(f, {{"headers", {{"X-Test", "$http_authorization"}}}});
       }},
      {"header value with a newline", "headers.X-Test",
       [](auto& f) {
         return putPolicy(f, {{"headers", {{"X-Test", "a\nadd_header B c;"}}}});
       }},
      {"header value with a backslash", "headers.X-Test",
       [](auto& f) {
         return putPolicy(f, {{"headers", {{"X-Test", "a\\\" b"}}}});
       }},
      {"header name with a space", "headers",
       [](auto& f) {
         return putPolicy(f, {{"headers", {{"X Test", "a"}}}});
       }},
      {"header name with a newline", "headers",
       [](auto& f) {
         return putPolicy(f, {{"headers", {{"X-Test\nY", "a"}}}});
       }},
      {"upstream host smuggling a server", "targets[0].host",
       [](auto& f) { return addPool(f, poolWithHost("1.2.3.4:80 backup; server 6.6.6.6")); }},
      {"upstream host with a newline", "targets[0].host",
       [](auto& f) { return addPool(f, poolWithHost("backend\nserver 6.6.6.6")); }},
      {"pool name with a brace", "name",
       [](auto& f) {
         return addPool(f, {{"name", "web}"}, {"targets", {{{"host", "10.0.0.1"}, {"port", 80}}}}});
       }},
      {"pool name with a newline", "name",
       [](auto& f) {
         return addPool(f,
                        {{"name", "web\n"}, {"targets", {{{"host", "10.0.0.1"}, {"port", 80}}}}});
       }},
      {"health check path with a quote", "health_check_path",
       [](auto& f) {
         return addPool(f, {{"name", "web2"},
                            {"health_check_path", "/x\"; return 200"},
                            {"targets", {{{"host", "10.0.0.1"}, {"port", 80}}}}});
       }},
      {"CIDR with a directive", "ip_allowlist[0]",
       [](auto& f) {
         return putPolicy(f, {{"ip_allowlist", {"10.0.0.0/8; allow all"}}});
       }},
      {"CIDR with a newline", "ip_allowlist[0]",
       [](auto& f) {
         return putPolicy(f, {{"ip_allowlist", {"10.0.0.0/8\nallow all"}}});
       }},
      {"CORS origin closing the quote", "cors_origins[0]",
       [](auto& f) {
         return putPolicy(f, {{"cors_origins", {"https://a.com\"; add_header X 1"}}});
       }},
      {"tenant name with a newline", "name",
       [](auto& f) {
         TenantUpdate update;
         update.name = "Acme\nInc";
         return discard(f.app().model().updateTenant(f.caller(), f.tenantId(), update));
       }},
      {"slug with a semicolon", "slug",
       [](auto& f) { return discard(f.app().model().createTenant(f.caller(), "a;b", "A")); }},
      {"slug with a newline", "slug",
       [](auto& f) { return discard(f.app().model().createTenant(f.caller(), "ab\n", "A")); }},
      {"cluster name with a slash", "name",
       [](auto& f) { return discard(f.app().model().createCluster(f.caller(), "../etc")); }},
      {"cluster name with a newline", "name",
       [](auto& f) { return discard(f.app().model().createCluster(f.caller(), "edge\nb")); }},
  };
}

TEST_CASE("every injection attempt is refused precisely and changes nothing") {
  testing::PipelineFixture fixture;
  fixture.deploy("baseline");
  REQUIRE(fixture.app().deployments().materializePending());
  const testing::ObservedState before = fixture.observe();
  REQUIRE(before.release_version == 1);

  for (const Attempt& attempt : attempts()) {
    CAPTURE(attempt.name);
    Result<void> result = attempt.write(fixture);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code == ErrorCode::kInvalidInput);
    CHECK(result.error().field == attempt.field);
    CHECK_FALSE(result.error().message.empty());
    CHECK(fixture.observe() == before);
  }
  // Nothing slipped into the drafts either: a deploy has nothing to do.
  auto again = fixture.app().deployments().deploy(fixture.caller(), fixture.tenantId(), "again");
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == ErrorCode::kFailedPrecondition);
  CHECK(fixture.observe() == before);
}

TEST_CASE("a refusal quotes the offending input and says why") {
  auto domain = parseDomainJson({{"name", "a.com;include /etc/passwd"}});
  REQUIRE_FALSE(domain);
  CHECK(domain.error().message.find("a.com;include /etc/passwd") != std::string::npos);
  CHECK(domain.error().message.find("\";\"") != std::string::npos);

  auto policy = parseEdgePolicyJson({{"headers", {{"X-Test", "$http_authorization"}}}});
  REQUIRE_FALSE(policy);
  CHECK(policy.error().message.find("$") != std::string::npos);
}

TEST_CASE("a configuration nginx refuses is rejected with its message and changes nothing") {
  testing::PipelineFixture fixture;
  fixture.deploy("baseline");
  auto pools = fixture.app().model().pools(fixture.caller(), fixture.tenantId());
  REQUIRE(pools);
  REQUIRE(pools->size() == 1);
  auto broken = parseUpstreamPoolJson(
      {{"name", "web"}, {"targets", {{{"host", "nonexistent.invalid"}, {"port", 9000}}}}});
  REQUIRE(broken);
  REQUIRE(fixture.app().model().updatePool(fixture.caller(), fixture.tenantId(), pools->front().id,
                                           *broken));
  const testing::ObservedState before = fixture.observe();

  auto refused = fixture.app().deployments().deploy(fixture.caller(), fixture.tenantId(), "bad");
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kFailedPrecondition);
  CHECK(refused.error().message.find("host not found") != std::string::npos);
  CHECK(refused.error().message.find("clusters/edge-a/") != std::string::npos);
  CHECK(fixture.observe() == before);
}

}  // namespace
}  // namespace vantus::controller
