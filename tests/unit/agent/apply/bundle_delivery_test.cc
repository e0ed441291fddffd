#include <doctest/doctest.h>

// BundleDelivery: the one door a bundle takes, from the controller's pointer or from a file.
// It verifies against the keyring, the cluster and the serving release, applies, and signs
// the receipt; a refusal changes nothing that serves and names the version the bundle claims.
#include <string>

#include "agent/apply/bundle_delivery.h"
#include "common/release/node_report.h"
#include "common/release/release_builder.h"
#include "tests/unit/agent/apply/applier_fixture.h"

namespace vantus::agent {
namespace {

using testing::acmeFiles;
using testing::Edge;
using testing::kDay;
using testing::kNow;
using testing::resultOf;
using testing::twoTenantFiles;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// The receipt as the controller reads it: verified with the node's public key.
release::Receipt receiptOf(const Edge& edge, const Delivery& delivery) {
  auto receipt = release::verifyReceipt(delivery.receipt, edge.node_key.publicKey());
  REQUIRE_MESSAGE(receipt, (receipt ? "" : receipt.error().describe()));
  return *receipt;
}

TEST_CASE("a delivered bundle is verified, applied and reported in a receipt the node signed") {
  Edge edge;
  const release::SignedRelease release = edge.sign(1, acmeFiles());

  const Delivery delivery = edge.deliver(release.bundle, {.digest = release.digest, .version = 1});

  CHECK_MESSAGE(resultOf(delivery.outcome) == "applied", delivery.outcome.reason);
  const release::Receipt receipt = receiptOf(edge, delivery);
  CHECK(receipt.node == "n1");
  CHECK(receipt.cluster == testing::kCluster);
  CHECK(receipt.version == 1);
  CHECK(receipt.digest == release.digest);
  CHECK(receipt.result == release::ApplyResult::kApplied);
  CHECK(receipt.serving_version == 1);
  CHECK(receipt.at == kNow);
  CHECK(edge.saved().version == 1);
}

TEST_CASE("the serving version with other files is refused as a rollback or mix-and-match") {
  Edge edge;
  const release::SignedRelease first = edge.sign(1, acmeFiles());
  REQUIRE(resultOf(edge.deliver(first.bundle).outcome) == "applied");
  const std::string serving = *edge.current();
  edge.now += kDay;
  const release::SignedRelease mixed = edge.sign(1, twoTenantFiles());

  const Delivery delivery = edge.deliver(mixed.bundle);

  CHECK(resultOf(delivery.outcome) == "rejected");
  const release::Receipt receipt = receiptOf(edge, delivery);
  CHECK(receipt.result == release::ApplyResult::kRejected);
  CHECK(receipt.version == 1);
  CHECK(receipt.serving_version == 1);
  CHECK_MESSAGE(contains(receipt.reason, "refused"), receipt.reason);
  CHECK_MESSAGE(contains(receipt.reason, "rollback or mix-and-match"), receipt.reason);
  // Nothing that serves moved: no test, no reload, the same release and bundle.
  CHECK(edge.nginx.testCount() == 1);
  CHECK(edge.nginx.reloadCount() == 1);
  CHECK(edge.current() == serving);
  CHECK(edge.bundleFiles() == std::vector<std::string>{first.digest + ".bundle"});
  const AgentState state = edge.saved();
  CHECK(state.digest == first.digest);
  CHECK(state.last_result == "rejected");
}

TEST_CASE("a re-signed copy of the serving release renews it through the same door") {
  Edge edge;
  REQUIRE(resultOf(edge.deliver(edge.sign(1, acmeFiles()).bundle).outcome) == "applied");
  edge.now += 5 * kDay;
  const release::SignedRelease renewed = edge.sign(1, acmeFiles());

  const Delivery delivery = edge.deliver(renewed.bundle);

  CHECK_MESSAGE(resultOf(delivery.outcome) == "applied", delivery.outcome.reason);
  CHECK(receiptOf(edge, delivery).version == 1);
  CHECK(edge.nginx.testCount() == 1);
  CHECK(edge.saved().expires_at == renewed.manifest.expires_at);
}

TEST_CASE("a refused bundle's receipt names the version it claims, not 0") {
  Edge edge;
  REQUIRE(resultOf(edge.deliver(edge.sign(1, acmeFiles()).bundle).outcome) == "applied");
  auto stranger = crypto::Ed25519PrivateKey::generate();  // a key this node does not trust
  REQUIRE(stranger);
  auto forged = release::buildRelease({.cluster = std::string(testing::kCluster),
                                       .version = 7,
                                       .commit = std::string(40, 'e'),
                                       .created_at = edge.now - 60,
                                       .expires_at = edge.now + kDay},
                                      twoTenantFiles(), *stranger);
  REQUIRE(forged);

  const Delivery delivery = edge.deliver(forged->bundle);

  const release::Receipt receipt = receiptOf(edge, delivery);
  CHECK(receipt.result == release::ApplyResult::kRejected);
  CHECK(receipt.version == 7);
  CHECK(receipt.digest == forged->digest);
  CHECK(receipt.serving_version == 1);
  CHECK_MESSAGE(contains(receipt.reason, "refused the bundle claiming version 7"), receipt.reason);
  CHECK(edge.saved().version == 1);
  CHECK(edge.logged("bundle.rejected"));
}

TEST_CASE("a bundle that cannot be read is refused under the version its pointer announced") {
  Edge edge;

  const Delivery delivery = edge.deliver("{not a bundle", {.digest = "00", .version = 3});

  const release::Receipt receipt = receiptOf(edge, delivery);
  CHECK(receipt.result == release::ApplyResult::kRejected);
  CHECK(receipt.version == 3);
  CHECK_MESSAGE(contains(receipt.reason, "not well-formed JSON"), receipt.reason);
  CHECK_FALSE(edge.current());
}

TEST_CASE("a bundle other than the one the pointer named is refused, even when well signed") {
  Edge edge;
  const release::SignedRelease release = edge.sign(2, acmeFiles());

  const Delivery delivery =
      edge.deliver(release.bundle, {.digest = std::string(64, 'a'), .version = 2});

  CHECK(resultOf(delivery.outcome) == "rejected");
  CHECK(receiptOf(edge, delivery).version == 2);
  CHECK_MESSAGE(contains(delivery.outcome.reason, "is not the digest"), delivery.outcome.reason);
  CHECK(edge.nginx.testCount() == 0);
}

}  // namespace
}  // namespace vantus::agent
