#pragma once
// The signing side, used by the controller: a release from its files in one call, and an
// envelope from an existing manifest (to renew its expiry). Pure functions; the key is
// only read.
#include <cstdint>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/crypto/ed25519.h"
#include "common/release/bundle.h"
#include "common/release/dsse.h"
#include "common/release/manifest.h"

namespace vantus::release {

struct ReleaseInfo {
  std::string cluster;
  std::uint64_t version = 0;
  std::string commit;
  std::int64_t created_at = 0;  // unix seconds
  std::int64_t expires_at = 0;  // unix seconds
};

struct SignedRelease {
  Manifest manifest;
  DsseEnvelope envelope;
  std::string bundle;  // encodeBundle bytes, files in manifest order
  std::string digest;  // bundleDigest(bundle)
};

// Signs encodeManifest(manifest). Fails (kInvalidInput) on a manifest validateManifest
// refuses or whose key_id is not `key`'s fingerprint: nothing invalid gets signed.
Result<DsseEnvelope> signManifest(const Manifest& manifest, const crypto::Ed25519PrivateKey& key);

// Hashes and sizes every file, sorts them by path, sets key_id to `key`'s fingerprint,
// validates, signs and encodes the bundle. kInvalidInput for an unsafe or duplicate path or
// bad info. Linear in the total file bytes plus n log n for the sort.
Result<SignedRelease> buildRelease(ReleaseInfo info, std::vector<BundleFile> files,
                                   const crypto::Ed25519PrivateKey& key);

}  // namespace vantus::release
