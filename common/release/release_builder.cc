#include "common/release/release_builder.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/crypto/hash.h"

namespace vantus::release {

Result<DsseEnvelope> signManifest(const Manifest& manifest, const crypto::Ed25519PrivateKey& key) {
  VANTUS_TRY_VOID(validateManifest(manifest));
  const std::string fingerprint = key.publicKey().fingerprint();
  if (manifest.key_id != fingerprint) {
    return fail(
        ErrorCode::kInvalidInput,
        fmt::format("manifest key_id {} is not the signing key {}", manifest.key_id, fingerprint),
        "key_id");
  }
  return dsseSign(kManifestPayloadType, encodeManifest(manifest), key);
}

Result<SignedRelease> buildRelease(ReleaseInfo info, std::vector<BundleFile> files,
                                   const crypto::Ed25519PrivateKey& key) {
  std::sort(files.begin(), files.end(),
            [](const BundleFile& a, const BundleFile& b) { return a.path < b.path; });
  SignedRelease release;
  Manifest& manifest = release.manifest;
  manifest.cluster = std::move(info.cluster);
  manifest.version = info.version;
  manifest.commit = std::move(info.commit);
  manifest.created_at = info.created_at;
  manifest.expires_at = info.expires_at;
  manifest.key_id = key.publicKey().fingerprint();
  manifest.files.reserve(files.size());
  for (const BundleFile& file : files) {
    manifest.files.push_back(
        ManifestFile{file.path, crypto::sha256Hex(file.content), file.content.size()});
  }
  VANTUS_TRY(release.envelope, signManifest(manifest, key));
  release.bundle = encodeBundle(release.envelope, files);
  release.digest = bundleDigest(release.bundle);
  return release;
}

}  // namespace vantus::release
