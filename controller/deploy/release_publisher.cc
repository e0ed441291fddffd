#include "controller/deploy/release_publisher.h"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "common/core/files.h"
#include "common/crypto/hash.h"
#include "common/release/bundle.h"
#include "common/release/dsse.h"
#include "common/release/release_builder.h"
#include "controller/deploy/change_plan.h"

namespace vantus::controller {

namespace fs = std::filesystem;

ReleasePublisher::ReleasePublisher(const ConfigHistory& history,
                                   const crypto::Ed25519PrivateKey& key, fs::path bundle_dir,
                                   std::int64_t validity_seconds)
    : history_(history),
      key_(key),
      bundle_dir_(std::move(bundle_dir)),
      validity_seconds_(validity_seconds) {}

fs::path ReleasePublisher::bundlePath(std::string_view digest) const {
  return bundle_dir_ / (std::string(digest) + ".bundle");
}

Result<release::Manifest> ReleasePublisher::manifestFromCommit(const EdgeCluster& cluster,
                                                               std::string_view commit) {
  release::Manifest manifest;
  VANTUS_TRY(std::vector<TreeFile> files, history_.listTree(commit, clusterPrefix(cluster.name)));
  std::sort(files.begin(), files.end(),
            [](const TreeFile& a, const TreeFile& b) { return a.path < b.path; });
  for (const TreeFile& file : files) {
    manifest.files.push_back(
        release::ManifestFile{file.path, crypto::sha256Hex(file.content), file.content.size()});
  }
  manifest.cluster = cluster.name;
  manifest.commit = std::string(commit);
  return manifest;
}

Result<release::Manifest> ReleasePublisher::takeManifestOf(const EdgeCluster& cluster,
                                                           const Release& release) {
  auto cached = manifests_.find(release.cluster_id);
  if (cached != manifests_.end() && cached->second.first == release.version) {
    release::Manifest manifest = std::move(cached->second.second);
    manifests_.erase(cached);
    return manifest;
  }
  if (release.envelope_json.empty()) {
    VANTUS_TRY(release::Manifest manifest, manifestFromCommit(cluster, release.commit_id));
    manifest.version = release.version;
    manifest.created_at = release.created_at;
    manifest.expires_at = release.expires_at;
    manifest.key_id = key_.publicKey().fingerprint();
    return manifest;
  }
  VANTUS_TRY(release::DsseEnvelope envelope, release::decodeEnvelope(release.envelope_json));
  return release::decodeManifest(envelope.payload);
}

Result<Release> ReleasePublisher::signManifest(release::Manifest manifest,
                                               const EdgeCluster& cluster, std::int64_t signed_at) {
  manifest.key_id = key_.publicKey().fingerprint();
  VANTUS_TRY(release::DsseEnvelope envelope, release::signManifest(manifest, key_));
  Release out;
  out.cluster_id = cluster.id;
  out.version = manifest.version;
  out.commit_id = manifest.commit;
  out.envelope_json = release::encodeEnvelope(envelope);
  out.created_at = manifest.created_at;
  out.expires_at = manifest.expires_at;
  out.signed_at = signed_at;
  manifests_[cluster.id] = {manifest.version, std::move(manifest)};
  return out;
}

Result<Release> ReleasePublisher::prepare(const EdgeCluster& cluster,
                                          const std::optional<Release>& latest,
                                          std::string_view commit,
                                          const std::vector<FileChange>* changes,
                                          std::int64_t now) {
  const std::string prefix = clusterPrefix(cluster.name);
  release::Manifest manifest;
  if (latest && changes != nullptr) {
    VANTUS_TRY(manifest, takeManifestOf(cluster, *latest));
    // The files stay sorted by path: each change is a binary search plus one insert/erase.
    std::vector<release::ManifestFile>& files = manifest.files;
    for (const FileChange& change : *changes) {
      if (!change.path.starts_with(prefix)) {
        continue;
      }
      std::string path = change.path.substr(prefix.size());
      auto at = std::lower_bound(files.begin(), files.end(), path,
                                 [](const release::ManifestFile& file, const std::string& key) {
                                   return file.path < key;
                                 });
      const bool present = at != files.end() && at->path == path;
      if (!change.content) {
        if (present) {
          files.erase(at);
        }
        continue;
      }
      release::ManifestFile entry{path, crypto::sha256Hex(*change.content), change.content->size()};
      if (present) {
        *at = std::move(entry);
      } else {
        files.insert(at, std::move(entry));
      }
    }
  } else {
    VANTUS_TRY(manifest, manifestFromCommit(cluster, commit));
  }
  manifest.version = latest ? latest->version + 1 : 1;
  manifest.cluster = cluster.name;
  manifest.commit = std::string(commit);
  manifest.created_at = now;
  manifest.expires_at = now + validity_seconds_;
  manifest.key_id = key_.publicKey().fingerprint();
  Release prepared;
  prepared.cluster_id = cluster.id;
  prepared.version = manifest.version;
  prepared.commit_id = manifest.commit;
  prepared.created_at = manifest.created_at;
  prepared.expires_at = manifest.expires_at;
  prepared.signed_at = now;
  manifests_[cluster.id] = {manifest.version, std::move(manifest)};
  return prepared;
}

Result<Release> ReleasePublisher::signPrepared(const EdgeCluster& cluster, Release prepared) {
  release::Manifest manifest;
  auto cached = manifests_.find(cluster.id);
  if (cached != manifests_.end() && cached->second.first == prepared.version) {
    manifest = cached->second.second;
  } else {
    VANTUS_TRY(manifest, manifestFromCommit(cluster, prepared.commit_id));
    manifest.version = prepared.version;
    manifest.created_at = prepared.created_at;
    manifest.expires_at = prepared.expires_at;
  }
  VANTUS_TRY(Release signed_release,
             signManifest(std::move(manifest), cluster, prepared.signed_at));
  prepared.envelope_json = std::move(signed_release.envelope_json);
  return prepared;
}

Result<Release> ReleasePublisher::renew(const EdgeCluster& cluster, const Release& latest,
                                        std::int64_t now) {
  VANTUS_TRY(release::Manifest manifest, takeManifestOf(cluster, latest));
  manifest.expires_at = now + validity_seconds_;
  VANTUS_TRY(Release renewed, signManifest(std::move(manifest), cluster, now));
  renewed.id = latest.id;
  renewed.deployment_id = latest.deployment_id;
  return renewed;
}

Result<std::string> ReleasePublisher::materialize(const EdgeCluster& cluster,
                                                  const Release& release) const {
  VANTUS_TRY(release::DsseEnvelope envelope, release::decodeEnvelope(release.envelope_json));
  VANTUS_TRY(release::Manifest manifest, release::decodeManifest(envelope.payload));
  VANTUS_TRY(std::vector<TreeFile> tree,
             history_.listTree(release.commit_id, clusterPrefix(cluster.name)));
  std::sort(tree.begin(), tree.end(),
            [](const TreeFile& a, const TreeFile& b) { return a.path < b.path; });
  if (tree.size() != manifest.files.size()) {
    return fail(ErrorCode::kInternal,
                fmt::format("release {} of cluster \"{}\" lists {} files but commit {} holds {}",
                            release.version, cluster.name, manifest.files.size(), release.commit_id,
                            tree.size()));
  }
  std::vector<release::BundleFile> files;
  files.reserve(tree.size());
  for (size_t i = 0; i < tree.size(); ++i) {
    const release::ManifestFile& expected = manifest.files[i];
    if (tree[i].path != expected.path || crypto::sha256Hex(tree[i].content) != expected.sha256) {
      return fail(ErrorCode::kInternal,
                  fmt::format("release {} of cluster \"{}\": {} differs from commit {}",
                              release.version, cluster.name, expected.path, release.commit_id));
    }
    files.push_back(release::BundleFile{std::move(tree[i].path), std::move(tree[i].content)});
  }
  const std::string bundle = release::encodeBundle(envelope, files);
  const std::string digest = release::bundleDigest(bundle);
  const fs::path path = bundlePath(digest);
  std::error_code exists_error;
  if (!fs::exists(path, exists_error)) {
    std::error_code mkdir_error;
    fs::create_directories(bundle_dir_, mkdir_error);
    VANTUS_TRY_VOID(writeFileAtomically(path.string(), bundle));
  }
  return digest;
}

}  // namespace vantus::controller
