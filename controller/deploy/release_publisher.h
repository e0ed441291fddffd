#pragma once
// Per-cluster releases (DESIGN §6): after a deployment commits, the next version of each
// changed cluster gets a manifest of every file under clusters/<name>/ at that commit,
// signed into a DSSE envelope. The manifest is derived from the cluster's previous one plus
// the deployment's changes, so a one-tenant change hashes one file, not the whole cluster.
// The bundle (envelope + file contents) is built afterwards by materialize(), outside the
// deployment's critical path, and written once to <bundle_dir>/<digest>.bundle.
// Threads: sign() and renew() are called by the deployment thread only (they share the
// manifest cache); materialize() may run on any thread.
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/crypto/ed25519.h"
#include "common/release/manifest.h"
#include "controller/history/config_history.h"
#include "controller/store/store.h"

namespace vantus::controller {

class ReleasePublisher {
 public:
  // `key` and `history` are referenced and must outlive the publisher.
  ReleasePublisher(const ConfigHistory& history, const crypto::Ed25519PrivateKey& key,
                   std::filesystem::path bundle_dir, std::int64_t validity_seconds);

  // The next release of `cluster` (latest->version + 1, or 1) for `commit`. `changes` are the
  // deployment's changes since `latest`; with no `latest` or no `changes` every file is read
  // from `commit`. The result has no id and no digest yet.
  Result<Release> sign(const EdgeCluster& cluster, const std::optional<Release>& latest,
                       std::string_view commit, const std::vector<FileChange>* changes,
                       std::int64_t now);

  // The same version with a fresh signature and expiry; digest cleared (materialize again).
  Result<Release> renew(const EdgeCluster& cluster, const Release& latest, std::int64_t now);

  // Builds the bundle of `release` from the repository at its commit, checks every file
  // against the signed manifest, writes <bundle_dir>/<digest>.bundle (once) and returns the
  // digest.
  Result<std::string> materialize(const EdgeCluster& cluster, const Release& release) const;

  std::filesystem::path bundlePath(std::string_view digest) const;

 private:
  // The manifest of `release`, moved out of the cache when it is there (signing puts the
  // new one back), else decoded from its envelope.
  Result<release::Manifest> takeManifestOf(const Release& release);
  Result<Release> signManifest(release::Manifest manifest, const EdgeCluster& cluster,
                               std::int64_t now);

  const ConfigHistory& history_;
  const crypto::Ed25519PrivateKey& key_;
  std::filesystem::path bundle_dir_;
  std::int64_t validity_seconds_;
  // cluster id -> (version, manifest) of its latest release, so signing never re-parses it.
  std::map<Id, std::pair<std::uint64_t, release::Manifest>> manifests_;
};

}  // namespace vantus::controller
