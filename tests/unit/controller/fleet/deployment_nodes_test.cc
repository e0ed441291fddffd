// FleetService::deploymentNodes on a real controller state dir: a deployment's release of
// cluster edge-a, node by node, before and after the nodes report.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "common/log/log.h"
#include "common/release/node_report.h"
#include "controller/app/controller_app.h"
#include "controller/app/init_state_dir.h"
#include "controller/model/parse_json.h"
#include "controller/store/store_access.h"
#include "tests/unit/controller/fleet/fleet_fixture.h"

namespace vantus::controller {
namespace {

namespace fs = std::filesystem;
using fleet_test::heartbeatOf;
using fleet_test::must;
using fleet_test::newKey;
using fleet_test::operatorActor;
using fleet_test::operatorCaller;
using fleet_test::receiptOf;
using release::ApplyResult;

// Replaces the first `from` in `file` by `to`; REQUIREs that it was there.
void replaceIn(const fs::path& file, const std::string& from, const std::string& to) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  const size_t at = content.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  content.replace(at, from.size(), to);
  std::ofstream(file, std::ios::trunc) << content;
}

// A state dir with tenant "acme" (one domain, one pool) assigned to cluster "edge-a".
struct AppFixture {
  AppFixture() : state(root.path() / "state") {
    log::setLevel(log::Level::kError);  // migrations, receipts: expected here
    must(initStateDir(state, VANTUS_SOURCE_DIR, "admin@example.com"));
    // The pre-check's `nginx -t` is not under test here.
    replaceIn(state / "controller.yaml", "\nprecheck: true", "\nprecheck: false");
    replaceIn(state / "controller.yaml", "\nlog_level: info", "\nlog_level: error");
    app = must(ControllerApp::open(state, VANTUS_SOURCE_DIR));
    cluster = must(app->model().createCluster(operatorCaller(), "edge-a"));
    tenant = must(app->model().createTenant(operatorCaller(), "acme", "Acme"));
    must(app->model().addDomain(operatorCaller(), tenant.id,
                                must(parseDomainJson({{"name", "www.acme.example"}}))));
    must(app->model().addPool(
        operatorCaller(), tenant.id,
        must(parseUpstreamPoolJson(
            {{"name", "web"}, {"targets", {{{"host", "127.0.0.1"}, {"port", 9000}}}}}))));
    must(app->model().assign(operatorCaller(), tenant.id, cluster.id));
  }

  fleet_test::TestNode enroll(const std::string& name) {
    EnrollmentToken token =
        must(app->fleet().createEnrollmentToken(operatorCaller(), "edge-a", std::chrono::hours(1)));
    crypto::Ed25519PrivateKey key = newKey();
    Enrolled enrolled =
        must(app->fleet().enroll(token.token, name, key.publicKey().pem(), operatorActor()));
    return fleet_test::TestNode{std::move(key), std::move(enrolled)};
  }

  DeploymentOutcome deploy(const std::string& message) {
    return must(app->deployments().deploy(localOperator(operatorActor()), tenant.id, message));
  }

  // node name -> state of the deployment's release on it.
  std::map<std::string, DeploymentNodeState> states(Id deployment_id) {
    std::map<std::string, DeploymentNodeState> by_node;
    for (DeploymentNodeState& state :
         must(app->fleet().deploymentNodes(operatorCaller(), deployment_id))) {
      CHECK(state.cluster == "edge-a");
      by_node[state.node] = std::move(state);
    }
    return by_node;
  }

  testing::TempDir root;
  fs::path state;
  std::unique_ptr<ControllerApp> app;
  EdgeCluster cluster;
  Tenant tenant;
};

TEST_CASE("each node of the cluster is pending until its receipt says applied or failed") {
  AppFixture f;
  fleet_test::TestNode n1 = f.enroll("n1");
  fleet_test::TestNode n2 = f.enroll("n2");
  DeploymentOutcome first = f.deploy("first cut");
  REQUIRE(first.releases.size() == 1);
  const std::uint64_t version = first.releases[0].version;
  CHECK(version == 1);

  auto before = f.states(first.deployment.id);
  REQUIRE(before.size() == 2);
  CHECK(before["n1"].state == "pending");
  CHECK(before["n2"].state == "pending");
  CHECK(before["n1"].version == version);

  must(f.app->fleet().acceptReceipt(
      n1.enrolled.node,
      release::signReceipt(receiptOf(n1.enrolled.node, version, ApplyResult::kApplied, version),
                           n1.key)));
  auto half = f.states(first.deployment.id);
  CHECK(half["n1"].state == "applied");
  CHECK(half["n2"].state == "pending");

  must(f.app->fleet().acceptReceipt(
      n2.enrolled.node,
      release::signReceipt(receiptOf(n2.enrolled.node, version, ApplyResult::kFailed, 0), n2.key)));
  auto after = f.states(first.deployment.id);
  REQUIRE(after.size() == 2);
  CHECK(after["n1"].state == "applied");
  CHECK(after["n1"].reason.empty());
  CHECK(after["n2"].state == "failed");
  CHECK(after["n2"].reason == "nginx -t refused the release");
  CHECK(after["n2"].nginx_output == "unknown directive \"proxy_pas\"");
  std::vector<AuditEntry> receipts =
      must(readValue<std::vector<AuditEntry>>(f.app->store(), [](Transaction& tx) {
        return tx.auditEntries(AuditFilter{.action = "node.receipt"}, 0, 10);
      }));
  CHECK(receipts.size() == 2);

  // The newest receipt about a version wins: n2 retried and got it applied.
  must(f.app->fleet().acceptReceipt(
      n2.enrolled.node,
      release::signReceipt(receiptOf(n2.enrolled.node, version, ApplyResult::kApplied, version),
                           n2.key)));
  CHECK(f.states(first.deployment.id)["n2"].state == "applied");
}

TEST_CASE("a node's later state shows through on an older deployment") {
  AppFixture f;
  fleet_test::TestNode n1 = f.enroll("n1");
  fleet_test::TestNode n2 = f.enroll("n2");
  DeploymentOutcome first = f.deploy("first cut");
  must(f.app->model().addDomain(operatorCaller(), f.tenant.id,
                                must(parseDomainJson({{"name", "api.acme.example"}}))));
  DeploymentOutcome second = f.deploy("second cut");
  REQUIRE(second.releases.size() == 1);
  CHECK(second.releases[0].version == 2);

  // n1 went straight to version 2; n2 serves version 1 without a receipt (reported by a
  // heartbeat, e.g. after the controller lost the receipt).
  must(f.app->fleet().acceptReceipt(
      n1.enrolled.node,
      release::signReceipt(receiptOf(n1.enrolled.node, 2, ApplyResult::kApplied, 2), n1.key)));
  must(f.app->fleet().acceptHeartbeat(
      n2.enrolled.node, release::signHeartbeat(heartbeatOf(n2.enrolled.node, 1), n2.key)));

  auto old_states = f.states(first.deployment.id);
  CHECK(old_states["n1"].state == "superseded");
  CHECK(old_states["n2"].state == "applied");
  auto new_states = f.states(second.deployment.id);
  CHECK(new_states["n1"].state == "applied");
  CHECK(new_states["n2"].state == "pending");

  // A drift repair of the serving version counts as applied.
  must(f.app->fleet().acceptReceipt(
      n2.enrolled.node,
      release::signReceipt(receiptOf(n2.enrolled.node, 2, ApplyResult::kRepaired, 2), n2.key)));
  CHECK(f.states(second.deployment.id)["n2"].state == "applied");

  auto missing = f.app->fleet().deploymentNodes(operatorCaller(), second.deployment.id + 100);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);
}

TEST_CASE("a deployment reaches no node while its cluster has none") {
  AppFixture f;
  DeploymentOutcome first = f.deploy("first cut");
  CHECK(must(f.app->fleet().deploymentNodes(operatorCaller(), first.deployment.id)).empty());
  f.enroll("n1");
  auto states = f.states(first.deployment.id);
  REQUIRE(states.size() == 1);
  CHECK(states["n1"].state == "pending");
}

}  // namespace
}  // namespace vantus::controller
