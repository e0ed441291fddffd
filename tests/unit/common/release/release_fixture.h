#pragma once
// Keys, files and releases for the release-format tests, and forgers that sign whatever
// they are given so that tests can present the verifier with well-signed nonsense.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/crypto/ed25519.h"
#include "common/release/bundle.h"
#include "common/release/keyring.h"
#include "common/release/manifest.h"
#include "common/release/release_builder.h"
#include "common/release/verifier.h"

namespace vantus::release::testing {

inline constexpr std::int64_t kNow = 1795370400;  // 2026-11-22T18:00:00Z
inline constexpr std::int64_t kDay = 24 * 60 * 60;
inline constexpr std::string_view kCommit = "0123456789abcdef0123456789abcdef01234567";
inline constexpr std::string_view kCluster = "edge-eu";

// One key per process: the release signer every test trusts.
const crypto::Ed25519PrivateKey& signingKey();
crypto::Ed25519PrivateKey newKey();
Keyring keyringOf(const crypto::Ed25519PrivateKey& key);

// Created a minute ago, expires in a week.
ReleaseInfo releaseInfo(std::uint64_t version = 5);
// nginx.conf, snippets/gzip.conf, tenants/acme.conf (deliberately unsorted).
std::vector<BundleFile> sampleFiles();
SignedRelease sampleRelease(std::uint64_t version = 5);
// Running version 5, cluster edge-eu, now = kNow.
VerifyPolicy defaultPolicy();

// The manifest of `files` as buildRelease would write it (sorted), key_id = signingKey().
Manifest manifestFor(const std::vector<BundleFile>& files, std::uint64_t version = 5);
// Signs `payload` as given (no validation) and bundles it with `files`.
std::string forgeBundle(std::string payload, const std::vector<BundleFile>& files,
                        const crypto::Ed25519PrivateKey& key = signingKey(),
                        std::string_view payload_type = kManifestPayloadType);
std::string forgeBundle(const Manifest& manifest, const std::vector<BundleFile>& files);

}  // namespace vantus::release::testing
