#include <doctest/doctest.h>

#include "tests/unit/controller/store/store_fixture.h"

namespace vantus::controller {
namespace {

TEST_CASE("a tenant round-trips and gets an id and timestamps") {
  StoreFixture f;
  Tenant created = f.addTenant("acme");
  CHECK(created.id > 0);
  CHECK(created.created_at.size() == 20);
  CHECK(created.updated_at == created.created_at);

  Tenant by_id = f.read([&](Transaction& tx) { return tx.tenant(created.id); });
  CHECK(by_id.slug == "acme");
  CHECK(by_id.name == "Tenant acme");
  CHECK(by_id.status == TenantStatus::kActive);
  CHECK(by_id.created_at == created.created_at);
  CHECK(f.read([](Transaction& tx) { return tx.tenantBySlug("acme"); }).id == created.id);

  Tenant changed = by_id;
  changed.name = "Acme Corp";
  changed.status = TenantStatus::kSuspended;
  changed.slug = "ignored";
  Tenant updated = f.write([&](Transaction& tx) { return tx.updateTenant(changed); });
  CHECK(updated.name == "Acme Corp");
  CHECK(updated.status == TenantStatus::kSuspended);
  CHECK(updated.slug == "acme");
}

TEST_CASE("a taken slug is refused naming the slug field") {
  StoreFixture f;
  f.addTenant("acme");
  Tenant again;
  again.slug = "acme";
  again.name = "Other";
  Result<Tenant> duplicate =
      writeResult(*f.store, [&](Transaction& tx) { return tx.insertTenant(again); });
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().code == ErrorCode::kAlreadyExists);
  CHECK(duplicate.error().field == "slug");
  CHECK(duplicate.error().message.find("acme") != std::string::npos);
}

TEST_CASE("missing tenants are kNotFound naming the kind and id") {
  StoreFixture f;
  Result<Tenant> missing = readResult(*f.store, [](Transaction& tx) { return tx.tenant(42); });
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().message == "tenant 42 not found");
  CHECK(
      readResult(*f.store, [](Transaction& tx) { return tx.tenantBySlug("nope"); }).error().code ==
      ErrorCode::kNotFound);
  CHECK(writeResult(*f.store, [](Transaction& tx) { return tx.deleteTenant(42); }).error().code ==
        ErrorCode::kNotFound);
  Tenant ghost;
  ghost.id = 42;
  CHECK(
      writeResult(*f.store, [&](Transaction& tx) { return tx.updateTenant(ghost); }).error().code ==
      ErrorCode::kNotFound);
}

TEST_CASE("tenants are listed by id after a cursor") {
  StoreFixture f;
  std::vector<Id> ids;
  for (const char* slug : {"a", "b", "c", "d", "e"}) {
    ids.push_back(f.addTenant(slug).id);
  }
  std::vector<Tenant> first = f.read([](Transaction& tx) { return tx.listTenants(0, 2); });
  REQUIRE(first.size() == 2);
  CHECK(first[0].slug == "a");
  CHECK(first[1].slug == "b");
  std::vector<Tenant> rest =
      f.read([&](Transaction& tx) { return tx.listTenants(first[1].id, 10); });
  REQUIRE(rest.size() == 3);
  CHECK(rest[0].id == ids[2]);
  CHECK(rest[2].slug == "e");
}

TEST_CASE("ids of deleted tenants are never handed out again") {
  StoreFixture f;
  Tenant first = f.addTenant("first");
  f.write([&](Transaction& tx) { return tx.deleteTenant(first.id); });
  CHECK(f.addTenant("second").id > first.id);
}

TEST_CASE("deleting a tenant deletes its drafts, assignments, memberships and deployments") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  Tenant other = f.addTenant("other");
  EdgeCluster cluster = f.addCluster("edge-a");
  Domain domain = f.addDomain(acme.id, "acme.example");
  f.addDomain(other.id, "other.example");
  UpstreamPool pool = f.addPool(acme.id, "web");
  f.write([&](Transaction& tx) -> Result<void> {
    EdgePolicy policy;
    policy.tenant_id = acme.id;
    policy.cache_ttl_s = 60;
    VANTUS_TRY_VOID(tx.putPolicy(policy));
    VANTUS_TRY_VOID(tx.assign(acme.id, cluster.id));
    User user;
    user.email = "ops@acme.example";
    VANTUS_TRY(User created, tx.insertUser(user));
    VANTUS_TRY_VOID(tx.putMembership({created.id, acme.id, TenantRole::kOwner}));
    Deployment deployment;
    deployment.id = 1;
    deployment.tenant_id = acme.id;
    deployment.commit_id = std::string(40, 'a');
    VANTUS_TRY_VOID(tx.insertDeployment(deployment));
    Release release;
    release.cluster_id = cluster.id;
    release.version = 1;
    release.deployment_id = 1;
    release.commit_id = deployment.commit_id;
    release.envelope_json = "{}";
    VANTUS_TRY_VOID(tx.insertRelease(release));
    return ok();
  });

  f.write([&](Transaction& tx) { return tx.deleteTenant(acme.id); });

  CHECK(readResult(*f.store, [&](Transaction& tx) { return tx.domain(domain.id); }).error().code ==
        ErrorCode::kNotFound);
  CHECK(readResult(*f.store, [&](Transaction& tx) { return tx.pool(pool.id); }).error().code ==
        ErrorCode::kNotFound);
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM upstream_targets") == "0");
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM edge_policies") == "0");
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM tenant_edge_assignments") == "0");
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM memberships") == "0");
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM deployments") == "0");
  // The cluster's release history stays (versions must never be reused).
  std::optional<Release> kept =
      f.read([&](Transaction& tx) { return tx.latestRelease(cluster.id); });
  REQUIRE(kept);
  CHECK(kept->version == 1);
  CHECK_FALSE(kept->deployment_id);
  // The other tenant is untouched.
  CHECK(f.read([&](Transaction& tx) { return tx.domainsOfTenant(other.id); }).size() == 1);
  CHECK(f.read([](Transaction& tx) { return tx.countUsers(); }) == 1);
}

}  // namespace
}  // namespace vantus::controller
