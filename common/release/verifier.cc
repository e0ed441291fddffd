#include "common/release/verifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "common/core/time.h"
#include "common/crypto/hash.h"
#include "common/json/json_reader.h"
#include "common/release/dsse.h"

namespace vantus::release {
namespace {

Unexpected rejected(std::string message) {
  return fail(ErrorCode::kVerificationFailed, std::move(message));
}

// Decoding errors come back as kInvalidInput; to the agent they are verification failures.
Unexpected rejected(Error error) {
  if (error.code != ErrorCode::kTooLarge) {
    error.code = ErrorCode::kVerificationFailed;
  }
  return fail(std::move(error));
}

Result<void> checkRawSize(std::string_view bytes, const VerifyPolicy& policy,
                          std::string_view what) {
  if (policy.now <= 0) {
    return fail(ErrorCode::kInvalidInput, "verify policy has no current time");
  }
  const std::uint64_t cap = maxBundleBytes(policy);
  if (bytes.size() > cap) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("{} is {} bytes, more than the {} allowed", what, bytes.size(), cap));
  }
  return ok();
}

Result<void> checkCaps(const Manifest& manifest, const VerifyPolicy& policy) {
  if (manifest.files.size() > policy.max_files) {
    return fail(ErrorCode::kTooLarge,
                fmt::format("release lists {} files, more than the {} allowed",
                            manifest.files.size(), policy.max_files));
  }
  std::uint64_t total = 0;
  for (const ManifestFile& file : manifest.files) {
    // Compared before adding so that a forged huge size cannot wrap the sum around.
    if (file.size > policy.max_total_bytes - total) {
      return fail(ErrorCode::kTooLarge,
                  fmt::format("release files total more than the {} bytes allowed",
                              policy.max_total_bytes));
    }
    total += file.size;
  }
  return ok();
}

Result<void> checkRenewal(const Manifest& manifest, const Manifest& serving) {
  std::string_view differs;
  if (manifest.files != serving.files) {
    differs = "its files differ from";
  } else if (manifest.commit != serving.commit) {
    differs = "its commit differs from";
  } else if (manifest.expires_at < serving.expires_at) {
    differs = "it expires earlier than";
  }
  if (differs.empty()) {
    return ok();
  }
  return rejected(fmt::format(
      "release version {} is the running version but {} the running release: only a re-signed "
      "copy of the same release may share a version (refused as a rollback or mix-and-match)",
      manifest.version, differs));
}

Result<Manifest> verifySignedManifest(const DsseEnvelope& envelope, const Keyring& keyring,
                                      const VerifyPolicy& policy) {
  if (envelope.payload_type != kManifestPayloadType) {
    return rejected(fmt::format("payloadType {:?} is not {:?}", envelope.payload_type.substr(0, 64),
                                kManifestPayloadType));
  }
  auto signers = dsseVerify(envelope, keyring);
  if (!signers) {
    return rejected(std::move(signers).error());
  }
  auto decoded = decodeManifest(envelope.payload);
  if (!decoded) {
    return rejected(std::move(decoded).error());
  }
  Manifest manifest = std::move(decoded).value();
  // A consistency check, not a trust decision (the signature made that): during a rotation
  // the controller may sign with both keys while key_id names one of them.
  const bool named_signer = std::any_of(
      envelope.signatures.begin(), envelope.signatures.end(),
      [&](const DsseSignature& signature) { return signature.keyid == manifest.key_id; });
  if (!named_signer) {
    return rejected(
        fmt::format("manifest key_id {} is not among the envelope's signers", manifest.key_id));
  }
  if (!policy.expected_cluster.empty() && manifest.cluster != policy.expected_cluster) {
    return rejected(fmt::format("release is for cluster {:?}, this node is in {:?}",
                                manifest.cluster, policy.expected_cluster));
  }
  if (manifest.version < policy.min_version) {
    return rejected(fmt::format("release version {} is older than the running version {}",
                                manifest.version, policy.min_version));
  }
  if (policy.serving != nullptr && manifest.version == policy.serving->version) {
    VANTUS_TRY_VOID(checkRenewal(manifest, *policy.serving));
  }
  if (manifest.expires_at <= policy.now) {
    return rejected(fmt::format("release expired at {} (now {})",
                                formatRfc3339Utc(manifest.expires_at),
                                formatRfc3339Utc(policy.now)));
  }
  if (manifest.created_at > policy.now + kMaxClockSkewSeconds) {
    return rejected(fmt::format(
        "release was created at {}, more than {} s ahead of the local clock ({})",
        formatRfc3339Utc(manifest.created_at), kMaxClockSkewSeconds, formatRfc3339Utc(policy.now)));
  }
  VANTUS_TRY_VOID(checkCaps(manifest, policy));
  return manifest;
}

// Moves each listed file out of `files` into manifest order, checking size and hash.
Result<std::vector<BundleFile>> matchFiles(const Manifest& manifest,
                                           std::vector<BundleFile>& files) {
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    if (!index.emplace(files[i].path, i).second) {
      return rejected(fmt::format("bundle holds {:?} twice", files[i].path.substr(0, 300)));
    }
  }
  std::vector<bool> listed(files.size(), false);
  std::vector<BundleFile> matched;
  matched.reserve(manifest.files.size());
  for (const ManifestFile& expected : manifest.files) {
    auto found = index.find(expected.path);
    if (found == index.end()) {
      return rejected(fmt::format("bundle lacks {:?}, which the manifest lists", expected.path));
    }
    listed[found->second] = true;
    BundleFile& file = files[found->second];
    if (file.content.size() != expected.size) {
      return rejected(fmt::format("file {:?} is {} bytes, the manifest says {}", expected.path,
                                  file.content.size(), expected.size));
    }
    const std::string actual = crypto::sha256Hex(file.content);
    if (actual != expected.sha256) {
      return rejected(fmt::format("file {:?} has sha256 {}, the manifest says {}", expected.path,
                                  actual, expected.sha256));
    }
    // Only the content moves: `index` still views the paths.
    matched.push_back(BundleFile{expected.path, std::move(file.content)});
  }
  for (size_t i = 0; i < files.size(); ++i) {
    if (!listed[i]) {
      return rejected(fmt::format("bundle holds {:?}, which the manifest does not list",
                                  files[i].path.substr(0, 300)));
    }
  }
  return matched;
}

}  // namespace

std::uint64_t maxBundleBytes(const VerifyPolicy& policy) {
  const std::uint64_t base = policy.max_total_bytes;
  if (base >= UINT64_MAX / 2) {
    return UINT64_MAX;  // an absurd cap saturates rather than wraps
  }
  return base / 10 * 14 + base % 10 * 14 / 10 + (64u << 10);
}

Result<VerifiedRelease> verifyBundle(std::string_view bundle_bytes, const Keyring& keyring,
                                     const VerifyPolicy& policy) {
  VANTUS_TRY_VOID(checkRawSize(bundle_bytes, policy, "bundle"));
  auto bundle = decodeBundle(bundle_bytes);
  if (!bundle) {
    return rejected(std::move(bundle).error());
  }
  VANTUS_TRY(Manifest manifest, verifySignedManifest(bundle->envelope, keyring, policy));
  VANTUS_TRY(std::vector<BundleFile> files, matchFiles(manifest, bundle->files));
  return VerifiedRelease{std::move(manifest), std::move(files), bundleDigest(bundle_bytes)};
}

std::uint64_t claimedVersion(std::string_view bundle_bytes, const VerifyPolicy& policy) {
  if (bundle_bytes.size() > maxBundleBytes(policy)) {
    return 0;
  }
  auto bundle = decodeBundle(bundle_bytes);
  if (!bundle) {
    return 0;
  }
  // Not decodeManifest: a forged manifest that is not canonical still claims a version.
  auto payload = json::parse(bundle->envelope.payload, "manifest");
  if (!payload || !payload->is_object()) {
    return 0;
  }
  auto version = payload->find("version");
  if (version == payload->end() || !version->is_number_unsigned()) {
    return 0;
  }
  return version->get<std::uint64_t>();
}

Result<Manifest> verifyEnvelope(std::string_view envelope_json, const Keyring& keyring,
                                const VerifyPolicy& policy) {
  VANTUS_TRY_VOID(checkRawSize(envelope_json, policy, "envelope"));
  auto envelope = decodeEnvelope(envelope_json);
  if (!envelope) {
    return rejected(std::move(envelope).error());
  }
  return verifySignedManifest(*envelope, keyring, policy);
}

}  // namespace vantus::release
