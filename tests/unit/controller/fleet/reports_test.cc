// FleetService: signed receipts and heartbeats, and the liveness derived from them.
#include <doctest/doctest.h>

#include <string>

#include "common/release/node_report.h"
#include "controller/service/model_service.h"
#include "controller/store/store_access.h"
#include "tests/unit/controller/fleet/fleet_fixture.h"

namespace vantus::controller {
namespace {

using fleet_test::FleetFixture;
using fleet_test::heartbeatOf;
using fleet_test::must;
using fleet_test::newKey;
using fleet_test::receiptOf;
using fleet_test::TestNode;
using release::ApplyResult;

std::vector<NodeReceipt> receiptsFor(Store& store, Id cluster_id, std::uint64_t version) {
  return must(readValue<std::vector<NodeReceipt>>(
      store, [&](Transaction& tx) { return tx.receiptsForVersion(cluster_id, version); }));
}

TEST_CASE("a receipt signed by the node is stored and shows in nodes()") {
  FleetFixture f;
  TestNode n1 = f.enroll("n1");
  const EdgeNode& node = n1.enrolled.node;
  const std::string envelope =
      release::signReceipt(receiptOf(node, 3, ApplyResult::kApplied, 3), n1.key);
  must(f.fleet.acceptReceipt(node, envelope));

  NodeStatus status = f.status("n1");
  CHECK(status.node.applied_version == 3);
  CHECK(status.node.last_result == "applied");
  CHECK(status.node.last_reason.empty());
  CHECK(status.node.last_seen_unix >= fleet_test::realNow() - 5);
  CHECK(status.liveness == "online");

  std::vector<NodeReceipt> stored = receiptsFor(*f.store, f.cluster.id, 3);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].node_id == node.id);
  CHECK(stored[0].result == "applied");
  CHECK(stored[0].serving_version == 3);
  CHECK(stored[0].digest == std::string(64, 'a'));
  CHECK(stored[0].envelope_json == envelope);

  // A failed attempt at version 4 keeps version 3 serving and says why.
  must(f.fleet.acceptReceipt(
      node, release::signReceipt(receiptOf(node, 4, ApplyResult::kFailed, 3), n1.key)));
  status = f.status("n1");
  CHECK(status.node.applied_version == 3);
  CHECK(status.node.last_result == "failed");
  CHECK(status.node.last_reason == "nginx -t refused the release");
  std::vector<NodeReceipt> failed = receiptsFor(*f.store, f.cluster.id, 4);
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].nginx_output == "unknown directive \"proxy_pas\"");
}

TEST_CASE("the same receipt twice is acknowledged once; one signed far from now is refused") {
  FleetFixture f;
  TestNode n1 = f.enroll("n1");
  const EdgeNode& node = n1.enrolled.node;
  const std::string envelope =
      release::signReceipt(receiptOf(node, 3, ApplyResult::kApplied, 3), n1.key);
  must(f.fleet.acceptReceipt(node, envelope));
  const std::string once = f.dumpDatabase();
  must(f.fleet.acceptReceipt(node, envelope));  // a retry, or a replay of captured traffic
  CHECK(f.dumpDatabase() == once);
  CHECK(receiptsFor(*f.store, f.cluster.id, 3).size() == 1);

  release::Receipt old = receiptOf(node, 2, ApplyResult::kApplied, 2);
  old.at = fleet_test::realNow() - 8 * 24 * 3600;
  auto stale = f.fleet.acceptReceipt(node, release::signReceipt(old, n1.key));
  REQUIRE_FALSE(stale);
  CHECK(stale.error().code == ErrorCode::kInvalidInput);
  CHECK(stale.error().field == "at");
  CHECK(stale.error().message.find("check the node's clock") != std::string::npos);

  release::Heartbeat ahead = heartbeatOf(node, 3);
  ahead.at = fleet_test::realNow() + 2 * 3600;
  auto future = f.fleet.acceptHeartbeat(node, release::signHeartbeat(ahead, n1.key));
  REQUIRE_FALSE(future);
  CHECK(future.error().field == "at");
  CHECK(f.dumpDatabase() == once);
}

TEST_CASE("a receipt signed by another key is refused and changes nothing") {
  FleetFixture f;
  TestNode n1 = f.enroll("n1");
  TestNode n2 = f.enroll("n2");
  const EdgeNode& node = n1.enrolled.node;
  const release::Receipt receipt = receiptOf(node, 1, ApplyResult::kApplied, 1);
  for (const crypto::Ed25519PrivateKey& wrong : {newKey(), n2.key, f.signing_key}) {
    auto refused = f.fleet.acceptReceipt(node, release::signReceipt(receipt, wrong));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kVerificationFailed);
  }
  // A heartbeat envelope is not a receipt, even when the node signed it.
  auto heartbeat_as_receipt =
      f.fleet.acceptReceipt(node, release::signHeartbeat(heartbeatOf(node, 1), n1.key));
  REQUIRE_FALSE(heartbeat_as_receipt);
  CHECK(heartbeat_as_receipt.error().code == ErrorCode::kVerificationFailed);
  auto garbage = f.fleet.acceptReceipt(node, "{not json");
  CHECK_FALSE(garbage);

  CHECK(receiptsFor(*f.store, f.cluster.id, 1).empty());
  CHECK(f.status("n1").liveness == "pending");
  CHECK(f.status("n1").node.applied_version == 0);
}

TEST_CASE("a report about another node or cluster is refused even when well signed") {
  FleetFixture f;
  TestNode n1 = f.enroll("n1");
  f.enroll("n2");
  const EdgeNode& node = n1.enrolled.node;

  release::Receipt other_node = receiptOf(node, 1, ApplyResult::kApplied, 1);
  other_node.node = "n2";
  release::Receipt other_cluster = receiptOf(node, 1, ApplyResult::kApplied, 1);
  other_cluster.cluster = "edge-b";
  for (const release::Receipt& receipt : {other_node, other_cluster}) {
    auto refused = f.fleet.acceptReceipt(node, release::signReceipt(receipt, n1.key));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kPermissionDenied);
  }

  release::Heartbeat heartbeat = heartbeatOf(node, 1);
  heartbeat.node = "n2";
  auto refused = f.fleet.acceptHeartbeat(node, release::signHeartbeat(heartbeat, n1.key));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kPermissionDenied);

  CHECK(receiptsFor(*f.store, f.cluster.id, 1).empty());
  CHECK(f.status("n1").liveness == "pending");
  CHECK(f.status("n2").liveness == "pending");
}

TEST_CASE("a heartbeat records version, nginx, drift and expiry") {
  FleetFixture f;
  TestNode n1 = f.enroll("n1");
  const EdgeNode& node = n1.enrolled.node;
  must(f.fleet.acceptReceipt(
      node, release::signReceipt(receiptOf(node, 2, ApplyResult::kFailed, 1), n1.key)));

  release::Heartbeat heartbeat = heartbeatOf(node, 5);
  heartbeat.drift = true;
  heartbeat.expired = true;
  must(f.fleet.acceptHeartbeat(node, release::signHeartbeat(heartbeat, n1.key)));
  NodeStatus status = f.status("n1");
  CHECK(status.node.applied_version == 5);
  CHECK(status.node.applied_digest == std::string(64, 'b'));
  CHECK(status.node.nginx_version == "nginx/1.22.1");
  CHECK(status.node.drift);
  CHECK(status.node.expired);
  CHECK(status.node.last_result == "failed");  // an empty last_result keeps the previous one
  CHECK(status.liveness == "online");

  heartbeat.drift = false;
  heartbeat.expired = false;
  heartbeat.last_result = "repaired";
  must(f.fleet.acceptHeartbeat(node, release::signHeartbeat(heartbeat, n1.key)));
  status = f.status("n1");
  CHECK_FALSE(status.node.drift);
  CHECK_FALSE(status.node.expired);
  CHECK(status.node.last_result == "repaired");

  auto forged = f.fleet.acceptHeartbeat(node, release::signHeartbeat(heartbeat, newKey()));
  REQUIRE_FALSE(forged);
  CHECK(forged.error().code == ErrorCode::kVerificationFailed);
  auto receipt_as_heartbeat = f.fleet.acceptHeartbeat(
      node, release::signReceipt(receiptOf(node, 5, ApplyResult::kApplied, 5), n1.key));
  REQUIRE_FALSE(receipt_as_heartbeat);
  CHECK(receipt_as_heartbeat.error().code == ErrorCode::kVerificationFailed);
}

TEST_CASE("liveness: pending until the first report, online, offline past offline_after") {
  FleetFixture f;
  TestNode n1 = f.enroll("n1");
  TestNode n2 = f.enroll("n2");
  CHECK(f.status("n1").liveness == "pending");
  f.clock.shift(10 * 24 * 3600);
  CHECK(f.status("n1").liveness == "pending");  // never seen is not offline
  f.clock.shift(0);

  must(f.fleet.acceptHeartbeat(n1.enrolled.node,
                               release::signHeartbeat(heartbeatOf(n1.enrolled.node, 0), n1.key)));
  must(f.fleet.acceptReceipt(
      n2.enrolled.node,
      release::signReceipt(receiptOf(n2.enrolled.node, 1, ApplyResult::kApplied, 1), n2.key)));
  CHECK(f.status("n1").liveness == "online");
  CHECK(f.status("n2").liveness == "online");

  // Within offline_after of the last report (with a few seconds to spare for a slow run).
  f.clock.shift(FleetFixture::kOfflineAfter.count() - 10);
  CHECK(f.status("n1").liveness == "online");
  f.clock.shift(FleetFixture::kOfflineAfter.count() + 10);
  CHECK(f.status("n1").liveness == "offline");
  CHECK(f.status("n2").liveness == "offline");

  // A fresh report brings a node back once the clock agrees with the store again.
  f.clock.shift(0);
  must(f.fleet.acceptHeartbeat(n1.enrolled.node,
                               release::signHeartbeat(heartbeatOf(n1.enrolled.node, 0), n1.key)));
  CHECK(f.status("n1").liveness == "online");
}

}  // namespace
}  // namespace vantus::controller
