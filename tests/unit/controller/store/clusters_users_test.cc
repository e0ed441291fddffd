#include <doctest/doctest.h>

#include "tests/unit/controller/store/store_fixture.h"

namespace vantus::controller {
namespace {

TEST_CASE("clusters round-trip, list by name and refuse a taken name") {
  StoreFixture f;
  EdgeCluster b = f.addCluster("edge-b");
  EdgeCluster a = f.addCluster("edge-a");
  CHECK(f.read([&](Transaction& tx) { return tx.cluster(b.id); }).name == "edge-b");
  CHECK(f.read([](Transaction& tx) { return tx.clusterByName("edge-a"); }).id == a.id);
  std::vector<EdgeCluster> all = f.read([](Transaction& tx) { return tx.listClusters(); });
  REQUIRE(all.size() == 2);
  CHECK(all[0].name == "edge-a");
  CHECK(all[1].name == "edge-b");

  EdgeCluster again;
  again.name = "edge-a";
  Result<EdgeCluster> refused =
      writeResult(*f.store, [&](Transaction& tx) { return tx.insertCluster(again); });
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kAlreadyExists);
  CHECK(refused.error().field == "name");
  CHECK(
      readResult(*f.store, [](Transaction& tx) { return tx.clusterByName("nope"); }).error().code ==
      ErrorCode::kNotFound);
}

TEST_CASE("assignments are idempotent, listed by cluster name and block cluster deletion") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  EdgeCluster b = f.addCluster("edge-b");
  EdgeCluster a = f.addCluster("edge-a");
  f.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY_VOID(tx.assign(acme.id, b.id));
    VANTUS_TRY_VOID(tx.assign(acme.id, b.id));
    return tx.assign(acme.id, a.id);
  });
  std::vector<EdgeCluster> assigned =
      f.read([&](Transaction& tx) { return tx.clustersOfTenant(acme.id); });
  REQUIRE(assigned.size() == 2);
  CHECK(assigned[0].name == "edge-a");
  CHECK(assigned[1].name == "edge-b");

  Result<void> blocked = f.store->write([&](Transaction& tx) { return tx.deleteCluster(b.id); });
  REQUIRE_FALSE(blocked);
  CHECK(blocked.error().code == ErrorCode::kFailedPrecondition);

  f.write([&](Transaction& tx) { return tx.unassign(acme.id, b.id); });
  Result<void> twice = f.store->write([&](Transaction& tx) { return tx.unassign(acme.id, b.id); });
  CHECK(twice.error().code == ErrorCode::kNotFound);
  f.write([&](Transaction& tx) { return tx.deleteCluster(b.id); });
  CHECK(f.read([](Transaction& tx) { return tx.listClusters(); }).size() == 1);
  CHECK(f.store->write([&](Transaction& tx) { return tx.deleteCluster(b.id); }).error().code ==
        ErrorCode::kNotFound);
}

TEST_CASE("assigning a missing tenant or cluster is kNotFound") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  EdgeCluster a = f.addCluster("edge-a");
  Result<void> no_cluster = f.store->write([&](Transaction& tx) { return tx.assign(acme.id, 99); });
  CHECK(no_cluster.error().code == ErrorCode::kNotFound);
  CHECK(no_cluster.error().message == "edge cluster 99 not found");
  Result<void> no_tenant = f.store->write([&](Transaction& tx) { return tx.assign(99, a.id); });
  CHECK(no_tenant.error().code == ErrorCode::kNotFound);
}

TEST_CASE("a cluster with nodes cannot be deleted") {
  StoreFixture f;
  EdgeCluster a = f.addCluster("edge-a");
  REQUIRE(execRaw(f.db_path, "INSERT INTO edge_nodes (cluster_id, name, created_at) VALUES (" +
                                 std::to_string(a.id) + ", 'node-1', '2026-01-01T00:00:00Z')") ==
          "");
  Result<void> blocked = f.store->write([&](Transaction& tx) { return tx.deleteCluster(a.id); });
  REQUIRE_FALSE(blocked);
  CHECK(blocked.error().code == ErrorCode::kFailedPrecondition);
  CHECK(blocked.error().message.find("node") != std::string::npos);
}

TEST_CASE("users round-trip and an email is taken once, whatever its case") {
  StoreFixture f;
  CHECK(f.read([](Transaction& tx) { return tx.countUsers(); }) == 0);
  User user;
  user.email = "admin@example.com";
  user.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
  user.is_platform_admin = true;
  User created = f.write([&](Transaction& tx) { return tx.insertUser(user); });
  CHECK(created.id > 0);
  CHECK_FALSE(created.created_at.empty());

  User read = f.read([&](Transaction& tx) { return tx.user(created.id); });
  CHECK(read.email == "admin@example.com");
  CHECK(read.password_hash == user.password_hash);
  CHECK(read.is_platform_admin);
  CHECK_FALSE(read.disabled);
  CHECK(f.read([](Transaction& tx) { return tx.userByEmail("admin@example.com"); }).id ==
        created.id);
  CHECK(f.read([](Transaction& tx) { return tx.countUsers(); }) == 1);

  User shouting = user;
  shouting.email = "ADMIN@example.com";
  Result<User> refused =
      writeResult(*f.store, [&](Transaction& tx) { return tx.insertUser(shouting); });
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kAlreadyExists);
  CHECK(refused.error().field == "email");
  CHECK(readResult(*f.store, [](Transaction& tx) { return tx.user(5); }).error().code ==
        ErrorCode::kNotFound);
}

TEST_CASE("a membership is inserted once and updated in place") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  Tenant beta = f.addTenant("beta");
  User user;
  user.email = "ops@example.com";
  User created = f.write([&](Transaction& tx) { return tx.insertUser(user); });
  f.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY_VOID(tx.putMembership({created.id, beta.id, TenantRole::kViewer}));
    VANTUS_TRY_VOID(tx.putMembership({created.id, acme.id, TenantRole::kViewer}));
    return tx.putMembership({created.id, acme.id, TenantRole::kOperator});
  });
  std::vector<Membership> memberships =
      f.read([&](Transaction& tx) { return tx.membershipsOfUser(created.id); });
  REQUIRE(memberships.size() == 2);
  CHECK(memberships[0].tenant_id == acme.id);
  CHECK(memberships[0].role == TenantRole::kOperator);
  CHECK(memberships[1].tenant_id == beta.id);
  CHECK(memberships[1].role == TenantRole::kViewer);

  Result<void> no_tenant = f.store->write([&](Transaction& tx) {
    return tx.putMembership({created.id, 99, TenantRole::kOwner});
  });
  CHECK(no_tenant.error().code == ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vantus::controller
