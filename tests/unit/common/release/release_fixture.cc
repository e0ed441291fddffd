#include "tests/unit/common/release/release_fixture.h"

#include <algorithm>
#include <cstdlib>

#include "common/crypto/hash.h"
#include "common/release/dsse.h"

namespace vantus::release::testing {

const crypto::Ed25519PrivateKey& signingKey() {
  static const crypto::Ed25519PrivateKey key = newKey();
  return key;
}

crypto::Ed25519PrivateKey newKey() {
  auto key = crypto::Ed25519PrivateKey::generate();
  if (!key) {
    std::abort();
  }
  return *key;
}

Keyring keyringOf(const crypto::Ed25519PrivateKey& key) {
  Keyring keyring;
  if (!keyring.add(key.publicKey())) {
    std::abort();
  }
  return keyring;
}

ReleaseInfo releaseInfo(std::uint64_t version) {
  return ReleaseInfo{.cluster = std::string(kCluster),
                     .version = version,
                     .commit = std::string(kCommit),
                     .created_at = kNow - 60,
                     .expires_at = kNow + 7 * kDay};
}

std::vector<BundleFile> sampleFiles() {
  return {{"nginx.conf", "worker_processes auto;\nhttp { include tenants/*.conf; }\n"},
          {"tenants/acme.conf", "server { server_name acme.example; }\n"},
          {"snippets/gzip.conf", "gzip on;\n"}};
}

SignedRelease sampleRelease(std::uint64_t version) {
  auto release = buildRelease(releaseInfo(version), sampleFiles(), signingKey());
  if (!release) {
    std::abort();
  }
  return *release;
}

VerifyPolicy defaultPolicy() {
  VerifyPolicy policy;
  policy.min_version = 5;
  policy.now = kNow;
  policy.expected_cluster = std::string(kCluster);
  return policy;
}

Manifest manifestFor(const std::vector<BundleFile>& files, std::uint64_t version) {
  const ReleaseInfo info = releaseInfo(version);
  Manifest manifest{.cluster = info.cluster,
                    .version = info.version,
                    .commit = info.commit,
                    .created_at = info.created_at,
                    .expires_at = info.expires_at,
                    .files = {},
                    .key_id = signingKey().publicKey().fingerprint()};
  for (const BundleFile& file : files) {
    manifest.files.push_back({file.path, crypto::sha256Hex(file.content), file.content.size()});
  }
  std::sort(manifest.files.begin(), manifest.files.end(),
            [](const ManifestFile& a, const ManifestFile& b) { return a.path < b.path; });
  return manifest;
}

std::string forgeBundle(std::string payload, const std::vector<BundleFile>& files,
                        const crypto::Ed25519PrivateKey& key, std::string_view payload_type) {
  return encodeBundle(dsseSign(payload_type, std::move(payload), key), files);
}

std::string forgeBundle(const Manifest& manifest, const std::vector<BundleFile>& files) {
  return forgeBundle(encodeManifest(manifest), files);
}

}  // namespace vantus::release::testing
