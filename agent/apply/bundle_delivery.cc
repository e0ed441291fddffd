#include "agent/apply/bundle_delivery.h"

#include <fmt/format.h>

#include "common/log/log.h"
#include "common/release/node_report.h"
#include "common/release/verifier.h"

namespace vantus::agent {

BundleDelivery::BundleDelivery(Applier& applier, const release::Keyring& keyring,
                               const Enrollment& enrollment,
                               const crypto::Ed25519PrivateKey& node_key,
                               std::function<std::int64_t()> clock)
    : applier_(applier),
      keyring_(keyring),
      enrollment_(enrollment),
      node_key_(node_key),
      clock_(std::move(clock)) {}

Delivery BundleDelivery::deliver(std::string_view bundle_bytes, const AnnouncedBundle& announced) {
  const std::optional<release::Manifest>& serving = applier_.servingManifest();
  const release::VerifyPolicy policy{.min_version = applier_.state().version,
                                     .now = clock_(),
                                     .expected_cluster = enrollment_.cluster,
                                     .serving = serving ? &*serving : nullptr};
  auto verified = release::verifyBundle(bundle_bytes, keyring_, policy);
  if (verified && !announced.digest.empty() && verified->digest != announced.digest) {
    verified = fail(ErrorCode::kVerificationFailed,
                    fmt::format("the bundle's sha256 {} is not the digest {} the pointer named",
                                verified->digest, announced.digest));
  }
  Delivery delivery;
  delivery.outcome = verified ? applier_.apply(*verified, bundle_bytes)
                              : refuse(bundle_bytes, announced, policy, verified.error());
  delivery.receipt = release::signReceipt(
      receiptOf(delivery.outcome, enrollment_.node, enrollment_.cluster, clock_()), node_key_);
  return delivery;
}

ApplyOutcome BundleDelivery::refuse(std::string_view bundle_bytes, const AnnouncedBundle& announced,
                                    const release::VerifyPolicy& policy, const Error& why) {
  // Unverified, but what the operator needs to match the refusal with a deployment.
  std::uint64_t claimed = release::claimedVersion(bundle_bytes, policy);
  if (claimed == 0) {
    claimed = announced.version;
  }
  const std::string digest = release::bundleDigest(bundle_bytes);
  const std::string reason =
      fmt::format("refused the bundle claiming version {}: {}", claimed, why.describe());
  log::error("bundle.rejected", {{"version", claimed}, {"digest", digest}, {"reason", reason}});
  applier_.recordRejection(digest, reason);
  return ApplyOutcome{.result = release::ApplyResult::kRejected,
                      .version = claimed,
                      .digest = digest,
                      .reason = reason,
                      .serving_version = applier_.state().version};
}

}  // namespace vantus::agent
