#include "common/release/release_builder.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "common/crypto/hash.h"
#include "tests/unit/common/release/release_fixture.h"

namespace vantus::release {
namespace {

using testing::defaultPolicy;
using testing::keyringOf;
using testing::kNow;
using testing::newKey;
using testing::releaseInfo;
using testing::sampleFiles;
using testing::signingKey;

TEST_CASE("buildRelease hashes, sorts, signs and bundles the files") {
  auto release = buildRelease(releaseInfo(6), sampleFiles(), signingKey());
  REQUIRE(release);
  const Manifest& manifest = release->manifest;
  CHECK(manifest.cluster == "edge-eu");
  CHECK(manifest.version == 6);
  CHECK(manifest.key_id == signingKey().publicKey().fingerprint());
  REQUIRE(manifest.files.size() == 3);
  CHECK(manifest.files[0].path == "nginx.conf");
  CHECK(manifest.files[1].path == "snippets/gzip.conf");
  CHECK(manifest.files[2].path == "tenants/acme.conf");
  CHECK(manifest.files[1].sha256 == crypto::sha256Hex("gzip on;\n"));
  CHECK(manifest.files[1].size == 9);
  CHECK(release->envelope.payload == encodeManifest(manifest));
  CHECK(release->envelope.payload_type == kManifestPayloadType);
  CHECK(release->digest == crypto::sha256Hex(release->bundle));

  auto verified = verifyBundle(release->bundle, keyringOf(signingKey()), defaultPolicy());
  REQUIRE(verified);
  CHECK(verified->manifest == manifest);
}

TEST_CASE("building the same release twice gives the same manifest bytes") {
  auto first = buildRelease(releaseInfo(), sampleFiles(), signingKey());
  auto files = sampleFiles();
  std::reverse(files.begin(), files.end());
  auto second = buildRelease(releaseInfo(), files, signingKey());
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->envelope.payload == second->envelope.payload);
  CHECK(first->bundle == second->bundle);  // Ed25519 signatures are deterministic
}

TEST_CASE("buildRelease refuses what the verifier would refuse") {
  auto files = sampleFiles();
  files.push_back({"../escape.conf", "x"});
  auto unsafe = buildRelease(releaseInfo(), files, signingKey());
  REQUIRE_FALSE(unsafe);
  CHECK(unsafe.error().code == ErrorCode::kInvalidInput);
  CHECK(unsafe.error().field == "files[0].path");

  files = sampleFiles();
  files.push_back(files[0]);
  auto twice = buildRelease(releaseInfo(), files, signingKey());
  REQUIRE_FALSE(twice);
  CHECK(twice.error().message.find("listed twice") != std::string::npos);

  ReleaseInfo info = releaseInfo();
  info.version = 0;
  CHECK_FALSE(buildRelease(info, sampleFiles(), signingKey()));
}

TEST_CASE("signManifest re-signs an existing manifest, e.g. with a later expiry") {
  Manifest manifest = testing::sampleRelease(5).manifest;
  manifest.expires_at = kNow + 30 * testing::kDay;
  auto envelope = signManifest(manifest, signingKey());
  REQUIRE(envelope);
  CHECK(envelope->payload == encodeManifest(manifest));
  auto verified =
      verifyEnvelope(encodeEnvelope(*envelope), keyringOf(signingKey()), defaultPolicy());
  REQUIRE(verified);
  CHECK(verified->expires_at == kNow + 30 * testing::kDay);
}

TEST_CASE("signManifest refuses an invalid manifest or another key's key_id") {
  Manifest manifest = testing::sampleRelease(5).manifest;
  auto other = signManifest(manifest, newKey());
  REQUIRE_FALSE(other);
  CHECK(other.error().field == "key_id");
  manifest.commit = "HEAD";
  CHECK_FALSE(signManifest(manifest, signingKey()));
}

}  // namespace
}  // namespace vantus::release
