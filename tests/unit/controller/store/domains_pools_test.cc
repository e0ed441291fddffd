#include <doctest/doctest.h>

#include "tests/unit/controller/store/store_fixture.h"

namespace vantus::controller {
namespace {

TEST_CASE("a domain round-trips with all its flags") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  Domain domain;
  domain.tenant_id = acme.id;
  domain.name = "www.acme.example";
  domain.is_primary = true;
  domain.tls_enabled = true;
  domain.force_https = true;
  domain.hsts = true;
  domain.min_tls_version = "TLSv1.3";
  Domain created = f.write([&](Transaction& tx) { return tx.insertDomain(domain); });
  CHECK(created.id > 0);
  CHECK_FALSE(created.created_at.empty());

  Domain read = f.read([&](Transaction& tx) { return tx.domain(created.id); });
  CHECK(read.tenant_id == acme.id);
  CHECK(read.name == "www.acme.example");
  CHECK(read.is_primary);
  CHECK(read.tls_enabled);
  CHECK(read.force_https);
  CHECK(read.hsts);
  CHECK(read.min_tls_version == "TLSv1.3");

  read.name = "acme.example";
  read.hsts = false;
  Domain updated = f.write([&](Transaction& tx) { return tx.updateDomain(read); });
  CHECK(updated.name == "acme.example");
  CHECK_FALSE(updated.hsts);
  CHECK(updated.created_at == created.created_at);
}

TEST_CASE("domains of a tenant come back ordered by name") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  f.addDomain(acme.id, "b.acme.example");
  f.addDomain(acme.id, "a.acme.example");
  f.addDomain(acme.id, "*.acme.example");
  std::vector<Domain> domains =
      f.read([&](Transaction& tx) { return tx.domainsOfTenant(acme.id); });
  REQUIRE(domains.size() == 3);
  CHECK(domains[0].name == "*.acme.example");
  CHECK(domains[1].name == "a.acme.example");
  CHECK(domains[2].name == "b.acme.example");
}

TEST_CASE("a domain name is unique across all tenants") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  Tenant evil = f.addTenant("evil");
  f.addDomain(acme.id, "acme.example");
  Domain stolen;
  stolen.tenant_id = evil.id;
  stolen.name = "acme.example";
  Result<Domain> refused =
      writeResult(*f.store, [&](Transaction& tx) { return tx.insertDomain(stolen); });
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kAlreadyExists);
  CHECK(refused.error().field == "name");
  CHECK(refused.error().message.find("evil") == std::string::npos);

  // Renaming onto a taken name is refused the same way.
  Domain own = f.addDomain(evil.id, "evil.example");
  own.name = "acme.example";
  Result<Domain> renamed =
      writeResult(*f.store, [&](Transaction& tx) { return tx.updateDomain(own); });
  REQUIRE_FALSE(renamed);
  CHECK(renamed.error().field == "name");
}

TEST_CASE("no tenant captures another's name with a wildcard or a name under its wildcard") {
  StoreFixture f;
  Tenant beta = f.addTenant("beta");
  Tenant evil = f.addTenant("evil");
  f.addDomain(beta.id, "www.beta.example");
  f.addDomain(beta.id, "*.shop.example");
  auto refusedFor = [&](Id tenant_id, const std::string& name) {
    Domain domain;
    domain.tenant_id = tenant_id;
    domain.name = name;
    Result<Domain> added =
        writeResult(*f.store, [&](Transaction& tx) { return tx.insertDomain(domain); });
    if (added) {
      return false;
    }
    CHECK(added.error().code == ErrorCode::kAlreadyExists);
    CHECK(added.error().field == "name");
    CHECK(added.error().message.find("beta\"") == std::string::npos);
    return true;
  };
  CHECK(refusedFor(evil.id, "*.beta.example"));     // covers www.beta.example
  CHECK(refusedFor(evil.id, "eu.shop.example"));    // under *.shop.example
  CHECK(refusedFor(evil.id, "a.b.shop.example"));   // any depth, as nginx matches
  CHECK(refusedFor(evil.id, "*.eu.shop.example"));  // a wildcard inside a wildcard
  // Within one tenant, overlapping names are its own business.
  CHECK(refusedFor(beta.id, "*.beta.example") == false);
  CHECK(refusedFor(beta.id, "eu.shop.example") == false);
  CHECK(refusedFor(evil.id, "beta.example") == false);  // "*.beta.example" does not match it
  CHECK(refusedFor(evil.id, "shop.example") == false);
  CHECK(refusedFor(evil.id, "beta.example.net") == false);
  // And the wildcard's owner now cannot take a name under the other's.
  CHECK(refusedFor(beta.id, "*.example.net"));
  // Nothing was written by the refusals.
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM domains WHERE tenant_id = " +
                                std::to_string(evil.id)) == "3");
}

TEST_CASE("a domain of a missing tenant is kNotFound") {
  StoreFixture f;
  Domain orphan;
  orphan.tenant_id = 9;
  orphan.name = "orphan.example";
  Result<Domain> refused =
      writeResult(*f.store, [&](Transaction& tx) { return tx.insertDomain(orphan); });
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kNotFound);
  CHECK(refused.error().message == "tenant 9 not found");
}

TEST_CASE("deleting a domain frees its name") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  Domain domain = f.addDomain(acme.id, "acme.example");
  f.write([&](Transaction& tx) { return tx.deleteDomain(domain.id); });
  CHECK(writeResult(*f.store, [&](Transaction& tx) { return tx.deleteDomain(domain.id); })
            .error()
            .code == ErrorCode::kNotFound);
  CHECK(f.addDomain(acme.id, "acme.example").id > domain.id);
}

UpstreamPool samplePool(Id tenant_id) {
  UpstreamPool pool;
  pool.tenant_id = tenant_id;
  pool.name = "api";
  pool.protocol = UpstreamProtocol::kHttps;
  pool.health_check_path = "/healthz";
  pool.health_check_interval_s = 30;
  pool.targets = {UpstreamTarget{"10.0.0.2", 8443, 5, false},
                  UpstreamTarget{"2001:db8::1", 443, 1, false},
                  UpstreamTarget{"backup.internal", 9000, 1, true}};
  return pool;
}

TEST_CASE("a pool round-trips with its targets in order") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  UpstreamPool created =
      f.write([&](Transaction& tx) { return tx.insertPool(samplePool(acme.id)); });
  CHECK(created.id > 0);

  UpstreamPool read = f.read([&](Transaction& tx) { return tx.pool(created.id); });
  CHECK(read.name == "api");
  CHECK(read.protocol == UpstreamProtocol::kHttps);
  CHECK(read.health_check_path == "/healthz");
  CHECK(read.health_check_interval_s == 30);
  REQUIRE(read.targets.size() == 3);
  CHECK(read.targets[0].host == "10.0.0.2");
  CHECK(read.targets[0].port == 8443);
  CHECK(read.targets[0].weight == 5);
  CHECK(read.targets[1].host == "2001:db8::1");
  CHECK(read.targets[2].host == "backup.internal");
  CHECK(read.targets[2].backup);
}

TEST_CASE("updating a pool replaces its targets") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  UpstreamPool pool = f.write([&](Transaction& tx) { return tx.insertPool(samplePool(acme.id)); });
  pool.name = "api-v2";
  pool.protocol = UpstreamProtocol::kHttp;
  pool.targets = {UpstreamTarget{"10.9.9.9", 80, 2, false}};
  UpstreamPool updated = f.write([&](Transaction& tx) { return tx.updatePool(pool); });
  CHECK(updated.name == "api-v2");
  CHECK(updated.protocol == UpstreamProtocol::kHttp);
  REQUIRE(updated.targets.size() == 1);
  CHECK(updated.targets[0].host == "10.9.9.9");
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM upstream_targets") == "1");
}

TEST_CASE("pool names are unique per tenant, not across tenants") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  Tenant other = f.addTenant("other");
  f.addPool(acme.id, "web");
  CHECK(f.addPool(other.id, "web").tenant_id == other.id);

  UpstreamPool again;
  again.tenant_id = acme.id;
  again.name = "web";
  again.targets = {UpstreamTarget{"10.0.0.3", 80, 1, false}};
  Result<UpstreamPool> refused =
      writeResult(*f.store, [&](Transaction& tx) { return tx.insertPool(again); });
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kAlreadyExists);
  CHECK(refused.error().field == "name");

  UpstreamPool second = f.addPool(acme.id, "api");
  second.name = "web";
  Result<UpstreamPool> renamed =
      writeResult(*f.store, [&](Transaction& tx) { return tx.updatePool(second); });
  REQUIRE_FALSE(renamed);
  CHECK(renamed.error().field == "name");
  // The failed write left the pool as it was.
  CHECK(f.read([&](Transaction& tx) { return tx.pool(second.id); }).name == "api");
}

TEST_CASE("pools of a tenant come back by id, each with its own targets") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  UpstreamPool first = f.addPool(acme.id, "zeta");
  UpstreamPool second =
      f.write([&](Transaction& tx) { return tx.insertPool(samplePool(acme.id)); });
  std::vector<UpstreamPool> pools =
      f.read([&](Transaction& tx) { return tx.poolsOfTenant(acme.id); });
  REQUIRE(pools.size() == 2);
  CHECK(pools[0].id == first.id);
  CHECK(pools[0].targets.size() == 1);
  CHECK(pools[1].id == second.id);
  CHECK(pools[1].targets.size() == 3);
  f.write([&](Transaction& tx) { return tx.deletePool(first.id); });
  CHECK(f.read([&](Transaction& tx) { return tx.poolsOfTenant(acme.id); }).size() == 1);
}

TEST_CASE("a tenant without a policy row has the defaults; put stores every field") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  EdgePolicy defaults = f.read([&](Transaction& tx) { return tx.policyOfTenant(acme.id); });
  CHECK(defaults.tenant_id == acme.id);
  CHECK(defaults.compression);
  CHECK(defaults.security_headers);
  CHECK_FALSE(defaults.rate_limit);
  CHECK(defaults.max_body_bytes == EdgePolicy{}.max_body_bytes);

  EdgePolicy policy;
  policy.tenant_id = acme.id;
  policy.headers = {{"X-Frame-Options", "DENY"}, {"Content-Security-Policy", "default-src 'self'"}};
  policy.rate_limit = RateLimit{50, 100};
  policy.ip_allowlist = {"10.0.0.0/8", "2001:db8::/32"};
  policy.cors_origins = {"https://app.acme.example"};
  policy.cache_ttl_s = 300;
  policy.compression = false;
  policy.max_body_bytes = 5ULL << 30;
  policy.security_headers = false;
  f.write([&](Transaction& tx) { return tx.putPolicy(policy); });

  EdgePolicy read = f.read([&](Transaction& tx) { return tx.policyOfTenant(acme.id); });
  REQUIRE(read.headers.size() == 2);
  CHECK(read.headers[0].name == "X-Frame-Options");
  CHECK(read.headers[1].value == "default-src 'self'");
  REQUIRE(read.rate_limit);
  CHECK(read.rate_limit->requests_per_second == 50);
  CHECK(read.rate_limit->burst == 100);
  CHECK(read.ip_allowlist == policy.ip_allowlist);
  CHECK(read.cors_origins == policy.cors_origins);
  CHECK(read.cache_ttl_s == 300);
  CHECK_FALSE(read.compression);
  CHECK(read.max_body_bytes == 5ULL << 30);
  CHECK_FALSE(read.security_headers);
  CHECK_FALSE(read.updated_at.empty());

  policy.rate_limit.reset();
  policy.headers.clear();
  f.write([&](Transaction& tx) { return tx.putPolicy(policy); });
  EdgePolicy cleared = f.read([&](Transaction& tx) { return tx.policyOfTenant(acme.id); });
  CHECK_FALSE(cleared.rate_limit);
  CHECK(cleared.headers.empty());
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM edge_policies") == "1");

  CHECK(readResult(*f.store, [](Transaction& tx) { return tx.policyOfTenant(77); }).error().code ==
        ErrorCode::kNotFound);
}

TEST_CASE("tenantConfig gathers the tenant, its domains, pools and policy") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  Tenant other = f.addTenant("other");
  f.addDomain(acme.id, "acme.example");
  f.addDomain(other.id, "other.example");
  f.addPool(acme.id, "web");
  TenantConfig config = f.read([&](Transaction& tx) { return tx.tenantConfig(acme.id); });
  CHECK(config.tenant.slug == "acme");
  REQUIRE(config.domains.size() == 1);
  CHECK(config.domains[0].name == "acme.example");
  REQUIRE(config.pools.size() == 1);
  CHECK(config.pools[0].targets.size() == 1);
  CHECK(config.policy.tenant_id == acme.id);
}

}  // namespace
}  // namespace vantus::controller
