#pragma once
// Per-cluster releases (DESIGN §6): after a deployment commits, the next version of each
// changed cluster gets a manifest of every file under clusters/<name>/ at that commit. The
// manifest is derived from the cluster's previous one plus the deployment's changes, so a
// one-tenant change hashes one file, not the whole cluster. prepare() records the release
// (version, commit, dates) inside the deployment's transaction; signing the manifest into a
// DSSE envelope and building the bundle come right after, outside the deployment's critical
// path (signPrepared() + materialize()). Both are deterministic — Ed25519 signatures are —
// so a crash in between is finished by signing again from the repository.
// Threads: every method but materialize() is called with the deployment lock held (they
// share the manifest cache); materialize() may run on any thread.
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
#include "controller/model/deployments.h"
#include "controller/model/people.h"

namespace vantus::controller {

class Store;
class Transaction;

class ReleasePublisher {
 public:
  // `key` and `history` are referenced and must outlive the publisher.
  ReleasePublisher(const ConfigHistory& history, const crypto::Ed25519PrivateKey& key,
                   std::filesystem::path bundle_dir, std::int64_t validity_seconds);

  // The next release of `cluster` (latest->version + 1, or 1) for `commit`. `changes` are the
  // deployment's changes since `latest`; with no `latest` or no `changes` every file is read
  // from `commit`. The result has no id, no envelope and no digest yet.
  Result<Release> prepare(const EdgeCluster& cluster, const std::optional<Release>& latest,
                          std::string_view commit, const std::vector<FileChange>* changes,
                          std::int64_t now);
  // The envelope of a prepared release, with the dates it was prepared with. The manifest
  // comes from the cache, else from the repository at the release's commit.
  Result<Release> signPrepared(const EdgeCluster& cluster, Release prepared);

  // The same version with a fresh signature and expiry; digest cleared (materialize again).
  Result<Release> renew(const EdgeCluster& cluster, const Release& latest, std::int64_t now);

  // Builds the bundle of `release` from the repository at its commit, checks every file
  // against the signed manifest, writes <bundle_dir>/<digest>.bundle (once) and returns the
  // digest.
  Result<std::string> materialize(const EdgeCluster& cluster, const Release& release) const;

  std::filesystem::path bundlePath(std::string_view digest) const;

 private:
  // The manifest of `release`, moved out of the cache when it is there (prepare puts the
  // new one back), else decoded from its envelope, else rebuilt from its commit.
  Result<release::Manifest> takeManifestOf(const EdgeCluster& cluster, const Release& release);
  Result<release::Manifest> manifestFromCommit(const EdgeCluster& cluster, std::string_view commit);
  Result<Release> signManifest(release::Manifest manifest, const EdgeCluster& cluster,
                               std::int64_t signed_at);

  const ConfigHistory& history_;
  const crypto::Ed25519PrivateKey& key_;
  std::filesystem::path bundle_dir_;
  std::int64_t validity_seconds_;
  // cluster id -> (version, manifest) of its latest release, so signing never re-parses it.
  std::map<Id, std::pair<std::uint64_t, release::Manifest>> manifests_;
};

}  // namespace vantus::controller
