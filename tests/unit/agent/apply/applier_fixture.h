#pragma once
// An agent state dir in a TempDir with a real Applier over the fakes, releases signed by a
// per-fixture key and verified as the agent loop verifies them, and readers for what ended up
// on disk. Simulated time: `now` is what the applier's clock answers.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/apply/applier.h"
#include "agent/apply/bundle_delivery.h"
#include "common/crypto/ed25519.h"
#include "common/release/keyring.h"
#include "common/release/release_builder.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/agent/apply/fakes.h"

namespace vantus::agent::testing {

inline constexpr std::int64_t kNow = 1795370400;  // 2026-11-22T18:00:00Z
inline constexpr std::int64_t kDay = 24 * 60 * 60;
inline constexpr std::string_view kCluster = "edge-eu";

// nginx.conf and tenants/acme/acme.conf, which serves www.acme.test.
std::vector<release::BundleFile> acmeFiles();
// acmeFiles() plus tenants/beta/beta.conf serving beta.test and *.beta.test.
std::vector<release::BundleFile> twoTenantFiles();

// "applied", "failed", ... for readable failure messages.
std::string resultOf(const ApplyOutcome& outcome);

class Edge {
 public:
  // Creates the state dir as the agent runtime does and reconciles a fresh Applier.
  explicit Edge(std::size_t keep_releases = 5);
  ~Edge();
  Edge(const Edge&) = delete;
  Edge& operator=(const Edge&) = delete;

  // Signed by the trusted key, created a minute before `now`, expiring `lifetime` after it.
  release::SignedRelease sign(std::uint64_t version, std::vector<release::BundleFile> files,
                              std::int64_t lifetime = 7 * kDay) const;
  // verifyBundle with the policy BundleDelivery uses (the serving version and manifest); fails
  // the test when it does not verify.
  release::VerifiedRelease verify(const release::SignedRelease& release) const;
  ApplyOutcome apply(const release::SignedRelease& release);
  // Through the agent's one door (BundleDelivery), as node `enrollment.node`.
  Delivery deliver(std::string_view bundle_bytes, const AnnouncedBundle& announced = {});

  // A new Applier on the same state dir, as after a restart. Does not reconcile.
  Applier& restart();

  // The dir name `current` points at, if it is a symlink.
  std::optional<std::string> current() const;
  // state.json as loadAgentState reads it; fails the test when it cannot.
  AgentState saved() const;
  // Every entry under releases/ (leftovers included), sorted.
  std::vector<std::string> releaseDirs() const;
  // Every file under bundles/, sorted.
  std::vector<std::string> bundleFiles() const;
  std::filesystem::path releasePath(const std::string& name) const {
    return layout.releases / name;
  }
  // True when a log line contains `event`.
  bool logged(std::string_view event) const;

  vantus::testing::TempDir dir;
  AgentLayout layout;
  crypto::Ed25519PrivateKey signer;
  release::Keyring keyring;
  crypto::Ed25519PrivateKey node_key;
  Enrollment enrollment{.node = "n1", .cluster = std::string(kCluster), .controller_url = ""};
  FakeEdgeNginx nginx;
  FakeEdgeProber prober;
  std::int64_t now = kNow;
  ApplierOptions options;
  std::unique_ptr<Applier> applier;
  std::vector<std::string> log_lines;
};

// The whole content of `path`, "" when it cannot be read.
std::string contentOf(const std::filesystem::path& path);

}  // namespace vantus::agent::testing
