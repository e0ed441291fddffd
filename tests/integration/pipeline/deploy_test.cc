// A deployment produces a commit stock git verifies, and a signed release agents accept.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <thread>

#include "common/core/files.h"
#include "common/release/keyring.h"
#include "common/release/verifier.h"
#include "controller/auth/caller.h"
#include "controller/model/parse_json.h"
#include "controller/render/renderer.h"
#include "tests/integration/pipeline/pipeline_fixture.h"

namespace vantus::controller {
namespace {

std::string gitVerify(const testing::PipelineFixture& fixture) {
  const auto state = fixture.stateDir().string();
  return "git -C " + state +
         "/config.git -c gpg.format=ssh -c gpg.ssh.allowedSignersFile=" + state +
         "/keys/allowed_signers ";
}

TEST_CASE("a deployment is a signed commit that git verify-commit accepts; an edit breaks it") {
  testing::PipelineFixture fixture;
  Deployment deployment = fixture.deploy("first");
  CHECK(deployment.status == DeploymentStatus::kReleased);
  auto head = fixture.app().history().head();
  REQUIRE(head);
  CHECK(*head == deployment.commit_id);

  auto verified = vantus::testing::runCommand(gitVerify(fixture) + "verify-commit HEAD");
  CHECK_MESSAGE(verified.exit_code == 0, verified.output);
  auto shown = vantus::testing::runCommand(gitVerify(fixture) + "log -1 --format=%an%n%B HEAD");
  CHECK(shown.output.find("ada") != std::string::npos);
  CHECK(shown.output.find("Vantus-Deployment: " + std::to_string(deployment.id)) !=
        std::string::npos);

  const std::string repo = fixture.stateDir().string() + "/config.git";
  auto forged = vantus::testing::runCommand(
      "git -C " + repo + " cat-file commit HEAD | sed 's/^Deploy acme/Deploy evil/' | git -C " +
      repo + " hash-object -t commit -w --stdin");
  REQUIRE(forged.exit_code == 0);
  std::string forged_id = forged.output.substr(0, 40);
  CHECK(forged_id != *head);
  auto refused = vantus::testing::runCommand(gitVerify(fixture) + "verify-commit " + forged_id);
  CHECK(refused.exit_code != 0);
  CHECK_FALSE(fixture.app().history().verifySignature(forged_id).has_value());
}

TEST_CASE("the release bundle verifies against the state dir's public key and matches git") {
  testing::PipelineFixture fixture;
  fixture.deploy("first");
  REQUIRE(fixture.app().deployments().materializePending());
  std::optional<Release> latest;
  REQUIRE(fixture.app().store().read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(latest, tx.latestRelease(fixture.clusterId()));
    return ok();
  }));
  REQUIRE(latest.has_value());
  CHECK(latest->version == 1);
  REQUIRE(latest->digest.size() == 64);

  auto bundle = readFile((fixture.stateDir() / "bundles" / (latest->digest + ".bundle")).string());
  REQUIRE(bundle);
  auto keyring =
      release::Keyring::fromPemFiles({(fixture.stateDir() / "keys" / "signing.pub").string()});
  REQUIRE(keyring);
  release::VerifyPolicy policy;
  policy.now = std::time(nullptr);
  policy.expected_cluster = "edge-a";
  auto verified = release::verifyBundle(*bundle, *keyring, policy);
  REQUIRE_MESSAGE(verified.has_value(), (verified ? "" : verified.error().describe()));
  CHECK(verified->digest == latest->digest);
  CHECK(verified->manifest.commit == latest->commit_id);
  auto tree = fixture.app().history().listTree(latest->commit_id, "clusters/edge-a/");
  REQUIRE(tree);
  REQUIRE(tree->size() == verified->files.size());
  for (size_t i = 0; i < tree->size(); ++i) {
    CHECK(verified->files[i].path == (*tree)[i].path);
    CHECK(verified->files[i].content == (*tree)[i].content);
  }
  CHECK(std::any_of(tree->begin(), tree->end(), [](const TreeFile& file) {
    return file.path == Renderer::tenantConfigPath("acme");
  }));
}

TEST_CASE("concurrent deployments are serialised and none is lost") {
  testing::PipelineFixture fixture;
  std::vector<Id> tenants;
  for (int i = 0; i < 4; ++i) {
    auto tenant = fixture.app().model().createTenant(fixture.caller(), "t" + std::to_string(i),
                                                     "Tenant " + std::to_string(i));
    REQUIRE(tenant);
    auto domain = parseDomainJson({{"name", "t" + std::to_string(i) + ".example"}});
    REQUIRE(domain);
    REQUIRE(fixture.app().model().addDomain(fixture.caller(), tenant->id, *domain));
    REQUIRE(fixture.app().model().assign(fixture.caller(), tenant->id, fixture.clusterId()));
    tenants.push_back(tenant->id);
  }
  std::vector<std::thread> threads;
  std::vector<bool> succeeded(tenants.size(), false);
  for (size_t i = 0; i < tenants.size(); ++i) {
    threads.emplace_back([&, i] {
      succeeded[i] =
          fixture.app().deployments().deploy(fixture.caller(), tenants[i], "parallel").has_value();
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (size_t i = 0; i < tenants.size(); ++i) {
    CHECK(succeeded[i]);
  }
  auto log = fixture.app().history().log("", 100);
  REQUIRE(log);
  CHECK(log->size() == tenants.size());
  std::optional<Release> latest;
  REQUIRE(fixture.app().store().read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(latest, tx.latestRelease(fixture.clusterId()));
    return ok();
  }));
  REQUIRE(latest);
  CHECK(latest->version == tenants.size());
}

TEST_CASE("unassigning and deploying removes the tenant's file; then it may be deleted") {
  testing::PipelineFixture fixture;
  fixture.deploy("first");
  const std::string path = "clusters/edge-a/" + Renderer::tenantConfigPath("acme");
  auto refused = fixture.app().model().deleteTenant(fixture.caller(), fixture.tenantId());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kFailedPrecondition);

  REQUIRE(
      fixture.app().model().unassign(fixture.caller(), fixture.tenantId(), fixture.clusterId()));
  // Unassigned but not yet deployed: its config still serves on edge-a.
  auto still_deployed = fixture.app().model().deleteTenant(fixture.caller(), fixture.tenantId());
  REQUIRE_FALSE(still_deployed);
  CHECK(still_deployed.error().code == ErrorCode::kFailedPrecondition);
  CHECK(still_deployed.error().message.find("still deployed on cluster \"edge-a\"") !=
        std::string::npos);
  Deployment removal = fixture.deploy("leave edge-a");
  auto file = fixture.app().history().readFile(removal.commit_id, path);
  REQUIRE(file);
  CHECK_FALSE(file->has_value());
  CHECK(fixture.observe().release_version == 2);

  // A deployment of the tenant in flight (its id reserved, its commit not yet recorded)
  // holds the tenant: a clear conflict, not a foreign-key error.
  Id reserved = 0;
  REQUIRE(fixture.app().store().write([&](Transaction& tx) -> Result<void> {
    DeploymentReservation reservation;
    reservation.tenant_id = fixture.tenantId();
    reservation.base_commit = removal.commit_id;
    reservation.snapshot = nlohmann::json::object();
    VANTUS_TRY(reserved, tx.reserveDeployment(reservation));
    return ok();
  }));
  auto in_flight = fixture.app().model().deleteTenant(fixture.caller(), fixture.tenantId());
  REQUIRE_FALSE(in_flight);
  CHECK(in_flight.error().code == ErrorCode::kConflict);
  CHECK(in_flight.error().message ==
        fmt::format("tenant \"acme\" has deployment {} in progress: delete it once that "
                    "deployment has finished",
                    reserved));
  REQUIRE(fixture.app().store().write(
      [&](Transaction& tx) { return tx.deleteDeploymentReservation(reserved); }));
  CHECK(fixture.app().model().deleteTenant(fixture.caller(), fixture.tenantId()));
}

TEST_CASE("reconcile releases a commit whose deployment was never recorded") {
  testing::PipelineFixture fixture;
  fixture.deploy("first");
  auto head = fixture.app().history().head();
  REQUIRE(head);
  CommitRequest orphan;
  orphan.changes.push_back({"clusters/edge-a/snippets/extra.conf", std::string("# extra\n")});
  orphan.author_name = "ada";
  orphan.author_email = "ada@example.com";
  orphan.message = "commit left behind by a crash";
  orphan.time = std::time(nullptr);
  orphan.expected_head = *head;
  REQUIRE(fixture.app().history().commit(orphan));

  auto signed_count = fixture.app().deployments().reconcile();
  REQUIRE(signed_count);
  CHECK(*signed_count == 1);
  CHECK(fixture.observe().release_version == 2);
  auto again = fixture.app().deployments().reconcile();
  REQUIRE(again);
  CHECK(*again == 0);
}

TEST_CASE("renewal re-signs the running version with a new expiry and bundle") {
  testing::PipelineFixture fixture;
  fixture.deploy("first");
  REQUIRE(fixture.app().deployments().materializePending());
  auto latestRelease = [&] {
    std::optional<Release> latest;
    REQUIRE(fixture.app().store().read([&](Transaction& tx) -> Result<void> {
      VANTUS_TRY(latest, tx.latestRelease(fixture.clusterId()));
      return ok();
    }));
    REQUIRE(latest);
    return *latest;
  };
  const Release before = latestRelease();
  auto renewed = fixture.app().deployments().renewExpiring(30 * 24 * 3600);
  REQUIRE(renewed);
  CHECK(*renewed == 1);
  const Release after = latestRelease();
  CHECK(after.version == before.version);
  CHECK(after.expires_at >= before.expires_at);
  CHECK(after.signed_at >= before.signed_at);
  CHECK(after.digest.size() == 64);
  CHECK(std::filesystem::exists(fixture.stateDir() / "bundles" / (after.digest + ".bundle")));
}

TEST_CASE("every write left one audit row and the chain verifies") {
  testing::PipelineFixture fixture;
  fixture.deploy("first");
  std::vector<AuditEntry> rows;
  REQUIRE(fixture.app().store().read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(rows, tx.auditEntries(std::nullopt, 0, 1000));
    return ok();
  }));
  std::vector<std::string> actions;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    actions.push_back(it->action);
  }
  CHECK(actions == std::vector<std::string>{"user.create", "edge_cluster.create", "tenant.create",
                                            "domain.create", "upstream_pool.create",
                                            "assignment.create", "deployment.create"});
  CHECK(rows.front().actor.name == "ada");
  auto broken = fixture.app().audit().firstBrokenLink(localOperator(Actor{}));
  REQUIRE(broken);
  CHECK_FALSE(broken->has_value());
}

}  // namespace
}  // namespace vantus::controller
