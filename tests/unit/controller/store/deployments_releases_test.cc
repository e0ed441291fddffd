#include <doctest/doctest.h>

#include "tests/unit/controller/store/store_fixture.h"

namespace vantus::controller {
namespace {

Deployment makeDeployment(Id id, Id tenant_id) {
  Deployment deployment;
  deployment.id = id;
  deployment.tenant_id = tenant_id;
  deployment.status = DeploymentStatus::kReleased;
  deployment.actor_name = "ops@example.com";
  deployment.message = "first cut";
  deployment.commit_id = std::string(40, 'c');
  deployment.snapshot = {{"slug", "acme"}, {"domains", {"acme.example"}}};
  return deployment;
}

Release makeRelease(Id cluster_id, std::uint64_t version, std::int64_t expires_at) {
  Release release;
  release.cluster_id = cluster_id;
  release.version = version;
  release.commit_id = std::string(40, 'd');
  release.digest = std::string(64, 'e');
  release.envelope_json = R"({"payloadType":"x"})";
  release.created_at = 1700000000;
  release.expires_at = expires_at;
  release.signed_at = 1700000000;
  return release;
}

TEST_CASE("deployment ids start at 1, keep the caller's id and are never reused") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  CHECK(f.read([](Transaction& tx) { return tx.nextDeploymentId(); }) == 1);
  CHECK_FALSE(f.read([](Transaction& tx) { return tx.lastDeployment(); }));

  Deployment stored =
      f.write([&](Transaction& tx) { return tx.insertDeployment(makeDeployment(7, acme.id)); });
  CHECK(stored.id == 7);
  CHECK_FALSE(stored.created_at.empty());
  CHECK(f.read([](Transaction& tx) { return tx.nextDeploymentId(); }) == 8);

  Result<Deployment> duplicate = writeResult(
      *f.store, [&](Transaction& tx) { return tx.insertDeployment(makeDeployment(7, acme.id)); });
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().code == ErrorCode::kAlreadyExists);
  CHECK(duplicate.error().field == "id");

  f.write([&](Transaction& tx) { return tx.deleteTenant(acme.id); });
  CHECK(f.read([](Transaction& tx) { return tx.nextDeploymentId(); }) == 8);
}

TEST_CASE("a deployment round-trips, changes status and pages newest first") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  Tenant other = f.addTenant("other");
  f.write([&](Transaction& tx) -> Result<void> {
    for (Id id = 1; id <= 5; ++id) {
      VANTUS_TRY_VOID(tx.insertDeployment(makeDeployment(id, acme.id)));
    }
    Deployment rollback = makeDeployment(6, acme.id);
    rollback.kind = DeploymentKind::kRollback;
    rollback.rollback_of = 2;
    VANTUS_TRY_VOID(tx.insertDeployment(rollback));
    VANTUS_TRY_VOID(tx.insertDeployment(makeDeployment(7, other.id)));
    return tx.setDeploymentStatus(3, DeploymentStatus::kFailed, "nginx -t failed");
  });

  Deployment rollback = f.read([](Transaction& tx) { return tx.deployment(6); });
  CHECK(rollback.kind == DeploymentKind::kRollback);
  CHECK(rollback.rollback_of == std::optional<Id>(2));
  CHECK(rollback.actor_name == "ops@example.com");
  CHECK(rollback.message == "first cut");
  CHECK(rollback.commit_id == std::string(40, 'c'));
  CHECK(rollback.snapshot == makeDeployment(0, 0).snapshot);
  Deployment failed = f.read([](Transaction& tx) { return tx.deployment(3); });
  CHECK(failed.status == DeploymentStatus::kFailed);
  CHECK(failed.status_detail == "nginx -t failed");
  CHECK_FALSE(failed.rollback_of);

  std::vector<Deployment> page =
      f.read([&](Transaction& tx) { return tx.deploymentsOfTenant(acme.id, 0, 4); });
  REQUIRE(page.size() == 4);
  CHECK(page[0].id == 6);
  CHECK(page[3].id == 3);
  std::vector<Deployment> rest =
      f.read([&](Transaction& tx) { return tx.deploymentsOfTenant(acme.id, page.back().id, 4); });
  REQUIRE(rest.size() == 2);
  CHECK(rest[0].id == 2);
  CHECK(rest[1].id == 1);
  CHECK(f.read([](Transaction& tx) { return tx.lastDeployment(); })->id == 7);

  CHECK(f.store
            ->write([](Transaction& tx) {
              return tx.setDeploymentStatus(99, DeploymentStatus::kFailed, "");
            })
            .error()
            .code == ErrorCode::kNotFound);
  Deployment dangling = makeDeployment(8, acme.id);
  dangling.rollback_of = 42;
  CHECK(writeResult(*f.store, [&](Transaction& tx) { return tx.insertDeployment(dangling); })
            .error()
            .code == ErrorCode::kNotFound);
  CHECK(
      writeResult(*f.store,
                  [&](Transaction& tx) { return tx.insertDeployment(makeDeployment(0, acme.id)); })
          .error()
          .code == ErrorCode::kInvalidInput);
}

TEST_CASE("deployment kind and status names") {
  CHECK(deploymentKindName(DeploymentKind::kDeploy) == "deploy");
  CHECK(deploymentKindName(DeploymentKind::kRollback) == "rollback");
  CHECK(deploymentStatusName(DeploymentStatus::kCommitted) == "committed");
  CHECK(deploymentStatusName(DeploymentStatus::kReleased) == "released");
  CHECK(deploymentStatusName(DeploymentStatus::kFailed) == "failed");
}

TEST_CASE("releases round-trip; a version is unique per cluster and never goes backwards") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  EdgeCluster a = f.addCluster("edge-a");
  EdgeCluster b = f.addCluster("edge-b");
  CHECK_FALSE(f.read([&](Transaction& tx) { return tx.latestRelease(a.id); }));
  f.write([&](Transaction& tx) { return tx.insertDeployment(makeDeployment(1, acme.id)); });

  Release first = makeRelease(a.id, 1, 1800000000);
  first.deployment_id = 1;
  Release stored = f.write([&](Transaction& tx) { return tx.insertRelease(first); });
  CHECK(stored.id > 0);
  f.write([&](Transaction& tx) { return tx.insertRelease(makeRelease(a.id, 2, 1800000000)); });
  f.write([&](Transaction& tx) { return tx.insertRelease(makeRelease(b.id, 1, 1800000000)); });

  std::optional<Release> latest = f.read([&](Transaction& tx) { return tx.latestRelease(a.id); });
  REQUIRE(latest);
  CHECK(latest->version == 2);
  CHECK(latest->commit_id == std::string(40, 'd'));
  CHECK(latest->digest == std::string(64, 'e'));
  CHECK(latest->envelope_json == R"({"payloadType":"x"})");
  CHECK(latest->created_at == 1700000000);
  CHECK(latest->expires_at == 1800000000);
  CHECK_FALSE(latest->deployment_id);

  std::vector<Release> of_deployment =
      f.read([](Transaction& tx) { return tx.releasesOfDeployment(1); });
  REQUIRE(of_deployment.size() == 1);
  CHECK(of_deployment[0].version == 1);
  CHECK(of_deployment[0].deployment_id == std::optional<Id>(1));

  Result<Release> duplicate = writeResult(*f.store, [&](Transaction& tx) {
    return tx.insertRelease(makeRelease(a.id, 2, 1800000000));
  });
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().code == ErrorCode::kAlreadyExists);
  CHECK(duplicate.error().field == "version");
  Result<Release> backwards = writeResult(*f.store, [&](Transaction& tx) {
    return tx.insertRelease(makeRelease(b.id, 0, 1800000000));
  });
  CHECK_FALSE(backwards);
}

TEST_CASE("latestReleasesExpiringBefore looks only at each cluster's latest release") {
  StoreFixture f;
  EdgeCluster a = f.addCluster("edge-a");
  EdgeCluster b = f.addCluster("edge-b");
  EdgeCluster c = f.addCluster("edge-c");
  f.write([&](Transaction& tx) -> Result<void> {
    // a: an old expiring version superseded by a fresh one.
    VANTUS_TRY_VOID(tx.insertRelease(makeRelease(a.id, 1, 1000)));
    VANTUS_TRY_VOID(tx.insertRelease(makeRelease(a.id, 2, 5000)));
    // b: its latest expires soon.
    VANTUS_TRY_VOID(tx.insertRelease(makeRelease(b.id, 1, 9000)));
    VANTUS_TRY_VOID(tx.insertRelease(makeRelease(b.id, 2, 1500)));
    // c: expires exactly at the bound, which is not before it.
    VANTUS_TRY_VOID(tx.insertRelease(makeRelease(c.id, 1, 2000)));
    return ok();
  });
  std::vector<Release> expiring =
      f.read([](Transaction& tx) { return tx.latestReleasesExpiringBefore(2000); });
  REQUIRE(expiring.size() == 1);
  CHECK(expiring[0].cluster_id == b.id);
  CHECK(expiring[0].version == 2);
  CHECK(f.read([](Transaction& tx) { return tx.latestReleasesExpiringBefore(6000); }).size() == 3);
}

TEST_CASE("a re-signature replaces envelope, digest, expiry and signing time of that version") {
  StoreFixture f;
  EdgeCluster a = f.addCluster("edge-a");
  Release stored =
      f.write([&](Transaction& tx) { return tx.insertRelease(makeRelease(a.id, 1, 1000)); });
  Release renewed = stored;
  renewed.envelope_json = R"({"payloadType":"y"})";
  renewed.digest = "";
  renewed.expires_at = 99000;
  renewed.signed_at = 98000;
  f.write([&](Transaction& tx) { return tx.updateReleaseSignature(renewed); });
  std::optional<Release> read = f.read([&](Transaction& tx) { return tx.latestRelease(a.id); });
  REQUIRE(read);
  CHECK(read->id == stored.id);
  CHECK(read->envelope_json == renewed.envelope_json);
  CHECK(read->digest.empty());
  CHECK(read->expires_at == 99000);
  CHECK(read->signed_at == 98000);
  CHECK(read->created_at == stored.created_at);

  renewed.version = 5;
  CHECK(f.store->write([&](Transaction& tx) { return tx.updateReleaseSignature(renewed); })
            .error()
            .code == ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vantus::controller
