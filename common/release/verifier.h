#pragma once
// The trust boundary of the agent: a bundle or envelope from anywhere (controller, cache,
// mirror, file) is accepted only if every check below passes. Pure functions — the clock
// is passed in — safe from any thread. Failures are kVerificationFailed with a message
// naming the check, kTooLarge for the size caps, kInvalidInput for an unusable policy.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/release/bundle.h"
#include "common/release/keyring.h"
#include "common/release/manifest.h"

namespace vantus::release {

// How far ahead of the local clock a release's created_at may be. Clocks of edge hosts
// drift; a day tolerates any sane skew while still refusing a manifest minted for the
// far future (which would outlive the keys that signed it).
inline constexpr std::int64_t kMaxClockSkewSeconds = 24 * 60 * 60;

struct VerifyPolicy {
  std::uint64_t min_version = 0;              // reject version < min_version (the running version)
  std::int64_t now = 0;                       // unix seconds; must be set (> 0)
  std::uint64_t max_total_bytes = 64u << 20;  // sum of file sizes
  std::uint64_t max_files = 100000;
  std::string expected_cluster{};  // empty = any
  // The manifest of the release that serves, when one does (not owned; outlives the call).
  // A release of its version is accepted only as its re-signing (an expiry renewal): the
  // same commit, the same files with the same hashes and sizes, and no earlier expiry.
  // Anything else under a version already in use is a rollback or mix-and-match attempt.
  const Manifest* serving = nullptr;
};

struct VerifiedRelease {
  Manifest manifest;
  std::vector<BundleFile> files;  // in manifest order, each checked against it
  std::string digest;             // bundleDigest of the verified bytes
};

// The largest bundle (or envelope) accepted before parsing: max_total_bytes * 1.4 + 64 KiB,
// room for base64 (4/3) plus JSON and manifest overhead. Also a sane download cap. A release
// of very many tiny files can exceed it with content under max_total_bytes; raise
// max_total_bytes for such fleets.
std::uint64_t maxBundleBytes(const VerifyPolicy& policy);

// Checks, in order: raw size cap; well-formed bundle of format vantus-bundle/1;
// payloadType; a signature by the keyring (see dsseVerify); strict canonical manifest whose
// key_id is among the envelope's signers; cluster; version >= min_version; a version equal
// to the serving one only as its re-signing (see VerifyPolicy::serving); expires_at > now;
// created_at <= now + kMaxClockSkewSeconds; file count and declared total size under the caps;
// every path safe (checkReleasePath); the bundle holds each manifest file exactly once and nothing
// else; each file's size and sha256 match. Symlinks, modes and owners cannot be expressed: the
// agent writes regular files only (O_NOFOLLOW | O_EXCL).
Result<VerifiedRelease> verifyBundle(std::string_view bundle_bytes, const Keyring& keyring,
                                     const VerifyPolicy& policy);

// The version a bundle's manifest claims, read without any check of signature or content:
// only to say which release a refused bundle pretended to be. 0 when the bundle is over the
// raw size cap or cannot be read that far.
std::uint64_t claimedVersion(std::string_view bundle_bytes, const VerifyPolicy& policy);

// The same checks without the files, for an envelope on its own (a pointer or a stored
// manifest): raw size cap, envelope JSON, payloadType, signature, manifest, cluster,
// version, expiry, created_at skew, count and size caps.
Result<Manifest> verifyEnvelope(std::string_view envelope_json, const Keyring& keyring,
                                const VerifyPolicy& policy);

}  // namespace vantus::release
