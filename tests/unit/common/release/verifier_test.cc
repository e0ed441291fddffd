#include "common/release/verifier.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"
#include "tests/unit/common/release/release_fixture.h"

namespace vantus::release {
namespace {

using testing::defaultPolicy;
using testing::forgeBundle;
using testing::kDay;
using testing::keyringOf;
using testing::kNow;
using testing::manifestFor;
using testing::newKey;
using testing::releaseInfo;
using testing::sampleFiles;
using testing::sampleRelease;
using testing::signingKey;

// The error of verifying `bundle` with the signing key trusted; the test fails if it verifies.
Error refusal(std::string_view bundle, const VerifyPolicy& policy = defaultPolicy()) {
  auto verified = verifyBundle(bundle, keyringOf(signingKey()), policy);
  REQUIRE_FALSE(verified);
  return verified.error();
}

void checkRefused(std::string_view bundle, std::string_view why,
                  const VerifyPolicy& policy = defaultPolicy()) {
  const Error error = refusal(bundle, policy);
  CHECK(error.code == ErrorCode::kVerificationFailed);
  CHECK_MESSAGE(error.message.find(why) != std::string::npos, error.message);
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

TEST_CASE("a valid bundle verifies and yields its files in manifest order") {
  const SignedRelease release = sampleRelease(6);
  auto verified = verifyBundle(release.bundle, keyringOf(signingKey()), defaultPolicy());
  REQUIRE(verified);
  CHECK(verified->manifest == release.manifest);
  CHECK(verified->digest == release.digest);
  REQUIRE(verified->files.size() == 3);
  CHECK(verified->files[0] == BundleFile{"nginx.conf", sampleFiles()[0].content});
  CHECK(verified->files[1].path == "snippets/gzip.conf");
  CHECK(verified->files[2] == BundleFile{"tenants/acme.conf", sampleFiles()[1].content});
}

TEST_CASE("a release of the running version is accepted (expiry renewal)") {
  CHECK(verifyBundle(sampleRelease(5).bundle, keyringOf(signingKey()), defaultPolicy()));
}

// A release of `version` with these files and this expiry, signed by the trusted key.
SignedRelease releaseOf(std::uint64_t version, std::vector<BundleFile> files,
                        std::int64_t expires_at, std::string_view commit = testing::kCommit) {
  ReleaseInfo info = releaseInfo(version);
  info.expires_at = expires_at;
  info.commit = std::string(commit);
  auto release = buildRelease(info, std::move(files), signingKey());
  REQUIRE(release);
  return *release;
}

TEST_CASE("a re-signed copy of the serving release is accepted under its version") {
  const SignedRelease serving = releaseOf(5, sampleFiles(), kNow + kDay);
  const SignedRelease renewed = releaseOf(5, sampleFiles(), kNow + 7 * kDay);
  VerifyPolicy policy = defaultPolicy();
  policy.serving = &serving.manifest;

  auto verified = verifyBundle(renewed.bundle, keyringOf(signingKey()), policy);

  REQUIRE_MESSAGE(verified, verified.error().describe());
  CHECK(verified->manifest.expires_at == kNow + 7 * kDay);
  // The very same bundle again is the same release, not an attempt at anything.
  CHECK(verifyBundle(serving.bundle, keyringOf(signingKey()), policy));
}

TEST_CASE("the serving version with other files, another commit or an earlier expiry is refused") {
  const SignedRelease serving = releaseOf(5, sampleFiles(), kNow + 7 * kDay);
  VerifyPolicy policy = defaultPolicy();
  policy.serving = &serving.manifest;
  std::vector<BundleFile> other_files = sampleFiles();
  other_files[1].content = "server { server_name evil.example; }\n";
  std::vector<BundleFile> fewer_files = sampleFiles();
  fewer_files.pop_back();

  for (const auto& [bundle, why] :
       {std::pair{releaseOf(5, other_files, kNow + 8 * kDay).bundle, "its files differ"},
        std::pair{releaseOf(5, fewer_files, kNow + 8 * kDay).bundle, "its files differ"},
        std::pair{releaseOf(5, sampleFiles(), kNow + 8 * kDay, std::string(40, 'f')).bundle,
                  "its commit differs"},
        std::pair{releaseOf(5, sampleFiles(), kNow + kDay).bundle, "it expires earlier"}}) {
    CAPTURE(why);
    checkRefused(bundle, why, policy);
    checkRefused(bundle, "rollback or mix-and-match", policy);
  }
  // A higher version may carry any files: that is a new release.
  CHECK(
      verifyBundle(releaseOf(6, other_files, kNow + kDay).bundle, keyringOf(signingKey()), policy));
}

TEST_CASE("the version a refused bundle claims can be read without trusting it") {
  const VerifyPolicy policy = defaultPolicy();
  const std::string stranger = forgeBundle(manifestFor(sampleFiles(), 42), sampleFiles());
  auto forged = stranger;
  const size_t at = forged.find("\"sig\":\"");
  REQUIRE(at != std::string::npos);
  forged[at + 7] = forged[at + 7] == 'A' ? 'B' : 'A';
  REQUIRE_FALSE(verifyBundle(forged, keyringOf(signingKey()), policy));

  CHECK(claimedVersion(forged, policy) == 42);
  CHECK(claimedVersion(sampleRelease(7).bundle, policy) == 7);
  CHECK(claimedVersion("{not json", policy) == 0);
  CHECK(claimedVersion(forgeBundle(R"({"version":"nine"})", sampleFiles()), policy) == 0);
}

TEST_CASE("an older version is refused (replay)") {
  checkRefused(sampleRelease(3).bundle, "release version 3 is older than the running version 5");
}

TEST_CASE("a manifest changed after signing is refused") {
  auto bundle = decodeBundle(sampleRelease(5).bundle);
  REQUIRE(bundle);
  bundle->envelope.payload = replaced(bundle->envelope.payload, "\"version\":5", "\"version\":9");
  checkRefused(encodeBundle(bundle->envelope, bundle->files), "does not verify");
}

TEST_CASE("a changed signature is refused") {
  auto bundle = decodeBundle(sampleRelease(5).bundle);
  REQUIRE(bundle);
  bundle->envelope.signatures[0].sig[10] ^= 0x40;
  checkRefused(encodeBundle(bundle->envelope, bundle->files), "does not verify");
}

TEST_CASE("a bundle signed by an untrusted key is refused") {
  auto release = buildRelease(releaseInfo(), sampleFiles(), newKey());
  REQUIRE(release);
  checkRefused(release->bundle, "no signature by a trusted key");
}

TEST_CASE("a forged all-zero signature is refused, under a trusted or unknown keyid") {
  auto bundle = decodeBundle(sampleRelease(5).bundle);
  REQUIRE(bundle);
  bundle->envelope.signatures[0].sig = std::string(64, '\0');
  checkRefused(encodeBundle(bundle->envelope, bundle->files), "does not verify");
  // The all-zero public key: no keyring can hold it, so its keyid is simply unknown.
  bundle->envelope.signatures[0].keyid =
      "SHA256:" + crypto::base64Encode(crypto::sha256(std::string(32, '\0'))).substr(0, 43);
  checkRefused(encodeBundle(bundle->envelope, bundle->files), "no signature by a trusted key");
}

TEST_CASE("an empty keyring trusts nothing") {
  auto verified = verifyBundle(sampleRelease(5).bundle, Keyring(), defaultPolicy());
  REQUIRE_FALSE(verified);
  CHECK(verified.error().code == ErrorCode::kVerificationFailed);
  CHECK(verified.error().message == "no trusted keys");
}

TEST_CASE("during a key rotation either key is accepted") {
  const auto old_key = newKey();
  const auto new_key = newKey();
  auto keyring = Keyring::fromKeys({old_key.publicKey(), new_key.publicKey()});
  REQUIRE(keyring);
  for (const auto* key : {&old_key, &new_key}) {
    auto release = buildRelease(releaseInfo(), sampleFiles(), *key);
    REQUIRE(release);
    CHECK(verifyBundle(release->bundle, *keyring, defaultPolicy()));
  }
  // An envelope signed by both verifies for a node that knows only the new key.
  auto release = buildRelease(releaseInfo(), sampleFiles(), old_key);
  REQUIRE(release);
  release->envelope.signatures.push_back(
      dsseSign(kManifestPayloadType, release->envelope.payload, new_key).signatures[0]);
  auto both = encodeBundle(release->envelope, sampleFiles());
  CHECK(verifyBundle(both, keyringOf(new_key), defaultPolicy()));
}

TEST_CASE("the manifest's key_id must be a key that signed it") {
  Manifest manifest = manifestFor(sampleFiles());
  manifest.key_id = newKey().publicKey().fingerprint();
  checkRefused(forgeBundle(manifest, sampleFiles()), "is not among the envelope's signers");
}

TEST_CASE("an expired manifest is refused") {
  ReleaseInfo info = releaseInfo();
  info.created_at = kNow - 10 * kDay;
  info.expires_at = kNow - 1;
  auto expired = buildRelease(info, sampleFiles(), signingKey());
  REQUIRE(expired);
  checkRefused(expired->bundle,
               "release expired at 2026-11-22T17:59:59Z (now 2026-11-22T18:00:00Z)");
  info.expires_at = kNow;  // expiry is exclusive
  auto at_now = buildRelease(info, sampleFiles(), signingKey());
  REQUIRE(at_now);
  checkRefused(at_now->bundle, "release expired at");
}

TEST_CASE("a manifest created more than a day in the future is refused") {
  ReleaseInfo info = releaseInfo();
  info.created_at = kNow + kDay + 1;
  info.expires_at = kNow + 10 * kDay;
  auto future = buildRelease(info, sampleFiles(), signingKey());
  REQUIRE(future);
  checkRefused(future->bundle, "more than 86400 s ahead of the local clock");
  info.created_at = kNow + kDay;  // within the tolerated skew
  auto skewed = buildRelease(info, sampleFiles(), signingKey());
  REQUIRE(skewed);
  CHECK(verifyBundle(skewed->bundle, keyringOf(signingKey()), defaultPolicy()));
}

TEST_CASE("a release for another cluster is refused; an empty expectation takes any") {
  ReleaseInfo info = releaseInfo();
  info.cluster = "edge-us";
  auto release = buildRelease(info, sampleFiles(), signingKey());
  REQUIRE(release);
  checkRefused(release->bundle, "release is for cluster \"edge-us\", this node is in \"edge-eu\"");
  VerifyPolicy any = defaultPolicy();
  any.expected_cluster.clear();
  CHECK(verifyBundle(release->bundle, keyringOf(signingKey()), any));
}

TEST_CASE("a wrong payloadType is refused even when signed") {
  const auto files = sampleFiles();
  checkRefused(forgeBundle(encodeManifest(manifestFor(files)), files, signingKey(),
                           "application/vnd.in-toto+json"),
               "payloadType \"application/vnd.in-toto+json\" is not");
}

TEST_CASE("an unknown manifest field is refused even when signed") {
  const auto files = sampleFiles();
  const std::string payload = replaced(encodeManifest(manifestFor(files)), "{\"cluster\"",
                                       "{\"allow_symlinks\":true,\"cluster\"");
  checkRefused(forgeBundle(payload, files), "manifest has unknown field \"allow_symlinks\"");
}

TEST_CASE("a file whose content differs from its hash is refused") {
  auto files = sampleFiles();
  const Manifest manifest = manifestFor(files);
  files[2].content = "gzip no;\n";  // same size
  checkRefused(forgeBundle(manifest, files), "file \"snippets/gzip.conf\" has sha256");
}

TEST_CASE("a file whose size differs is refused") {
  auto files = sampleFiles();
  const Manifest manifest = manifestFor(files);
  files[2].content += "#";
  checkRefused(forgeBundle(manifest, files),
               "file \"snippets/gzip.conf\" is 10 bytes, the manifest says 9");
}

TEST_CASE("a file listed in the manifest but missing from the bundle is refused") {
  auto files = sampleFiles();
  const Manifest manifest = manifestFor(files);
  files.erase(files.begin() + 1);
  checkRefused(forgeBundle(manifest, files),
               "bundle lacks \"tenants/acme.conf\", which the manifest lists");
}

TEST_CASE("a file in the bundle but not in the manifest is refused") {
  auto files = sampleFiles();
  const Manifest manifest = manifestFor(files);
  files.push_back({"tenants/evil.conf", "server { listen 1; }"});
  checkRefused(forgeBundle(manifest, files),
               "bundle holds \"tenants/evil.conf\", which the manifest does not list");
}

TEST_CASE("a file present twice in the bundle is refused") {
  auto files = sampleFiles();
  const Manifest manifest = manifestFor(files);
  files.push_back(files[0]);
  checkRefused(forgeBundle(manifest, files), "bundle holds \"nginx.conf\" twice");
}

TEST_CASE("unsafe paths are refused even when signed") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"../../etc/cron.d/x", "\"..\" component"},
      {"/etc/nginx/nginx.conf", "is absolute"},
      {"local/listen-http.conf", "reserved for node-local files"},
      {"tenants\\acme.conf", "backslash"},
      {"tenants//acme.conf", "empty component"},
  };
  for (const auto& [path, why] : cases) {
    CAPTURE(path);
    const std::vector<BundleFile> files = {{path, "x"}};
    checkRefused(forgeBundle(manifestFor(files), files), why);
  }
}

TEST_CASE("the declared total size is capped") {
  const std::vector<BundleFile> files = {{"a.conf", std::string(600, 'a')},
                                         {"b.conf", std::string(600, 'b')}};
  const std::string bundle = forgeBundle(manifestFor(files), files);
  VerifyPolicy policy = defaultPolicy();
  policy.max_total_bytes = 1199;
  const Error error = refusal(bundle, policy);
  CHECK(error.code == ErrorCode::kTooLarge);
  CHECK(error.message == "release files total more than the 1199 bytes allowed");
  policy.max_total_bytes = 1200;
  CHECK(verifyBundle(bundle, keyringOf(signingKey()), policy));
}

TEST_CASE("a forged size near 2^64 cannot wrap the total around") {
  std::vector<BundleFile> files = {{"a.conf", "a"}, {"b.conf", "b"}};
  Manifest manifest = manifestFor(files);
  manifest.files[0].size = UINT64_MAX;
  const Error error = refusal(forgeBundle(manifest, files));
  CHECK(error.code == ErrorCode::kTooLarge);
}

TEST_CASE("the raw bundle size is capped before parsing") {
  VerifyPolicy policy = defaultPolicy();
  policy.max_total_bytes = 1000;
  CHECK(maxBundleBytes(policy) == 1400 + 65536);
  const std::string huge(maxBundleBytes(policy) + 1, '{');
  const Error error = refusal(huge, policy);
  CHECK(error.code == ErrorCode::kTooLarge);
  CHECK(error.message == "bundle is 66937 bytes, more than the 66936 allowed");
  policy.max_total_bytes = UINT64_MAX;
  CHECK(maxBundleBytes(policy) == UINT64_MAX);
}

TEST_CASE("the file count is capped") {
  VerifyPolicy policy = defaultPolicy();
  policy.max_files = 2;
  const Error error = refusal(sampleRelease(5).bundle, policy);
  CHECK(error.code == ErrorCode::kTooLarge);
  CHECK(error.message == "release lists 3 files, more than the 2 allowed");
}

TEST_CASE("malformed, truncated and foreign-format bundles are refused") {
  checkRefused("{not json", "bundle is not well-formed JSON");
  const std::string bundle = sampleRelease(5).bundle;
  checkRefused(bundle.substr(0, bundle.size() - 1), "bundle is not well-formed JSON");
  checkRefused(bundle.substr(0, bundle.size() / 2), "bundle is not well-formed JSON");
  checkRefused(replaced(bundle, "vantus-bundle/1", "vantus-bundle/0"),
               "bundle format \"vantus-bundle/0\" is not \"vantus-bundle/1\"");
}

TEST_CASE("deeply nested JSON is refused without exhausting the stack") {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  checkRefused(deep, "bundle must be a JSON object");
  checkRefused(R"({"envelope":)" + deep + R"(,"files":[],"format":"vantus-bundle/1"})",
               "bundle.envelope must be a JSON object");
}

TEST_CASE("a policy without a current time is a caller error") {
  VerifyPolicy policy = defaultPolicy();
  policy.now = 0;
  auto verified = verifyBundle(sampleRelease(5).bundle, keyringOf(signingKey()), policy);
  REQUIRE_FALSE(verified);
  CHECK(verified.error().code == ErrorCode::kInvalidInput);
}

TEST_CASE("verifyEnvelope applies the same checks to an envelope without files") {
  const SignedRelease release = sampleRelease(6);
  const std::string envelope = encodeEnvelope(release.envelope);
  auto manifest = verifyEnvelope(envelope, keyringOf(signingKey()), defaultPolicy());
  REQUIRE(manifest);
  CHECK(*manifest == release.manifest);

  VerifyPolicy newer = defaultPolicy();
  newer.min_version = 7;
  auto old = verifyEnvelope(envelope, keyringOf(signingKey()), newer);
  REQUIRE_FALSE(old);
  CHECK(old.error().message == "release version 6 is older than the running version 7");

  VerifyPolicy later = defaultPolicy();
  later.now = kNow + 8 * kDay;
  auto expired = verifyEnvelope(envelope, keyringOf(signingKey()), later);
  REQUIRE_FALSE(expired);
  CHECK(expired.error().message.starts_with("release expired at"));

  auto untrusted = verifyEnvelope(envelope, keyringOf(newKey()), defaultPolicy());
  REQUIRE_FALSE(untrusted);
  CHECK(untrusted.error().code == ErrorCode::kVerificationFailed);

  auto malformed = verifyEnvelope("{\"payload\":", keyringOf(signingKey()), defaultPolicy());
  REQUIRE_FALSE(malformed);
  CHECK(malformed.error().code == ErrorCode::kVerificationFailed);

  VerifyPolicy tiny = defaultPolicy();
  tiny.max_total_bytes = 0;
  auto huge = verifyEnvelope(std::string(70000, ' '), keyringOf(signingKey()), tiny);
  REQUIRE_FALSE(huge);
  CHECK(huge.error().code == ErrorCode::kTooLarge);
}

TEST_CASE("a 10,000-file release builds and verifies") {
  std::vector<BundleFile> files;
  files.reserve(10000);
  for (int i = 0; i < 10000; ++i) {
    files.push_back({fmt::format("tenants/t{:05}.conf", 9999 - i),
                     fmt::format("server {{ server_name t{}.example; }}\n", i)});
  }
  auto release = buildRelease(releaseInfo(), files, signingKey());
  REQUIRE(release);
  auto verified = verifyBundle(release->bundle, keyringOf(signingKey()), defaultPolicy());
  REQUIRE(verified);
  REQUIRE(verified->files.size() == 10000);
  CHECK(verified->files.front().path == "tenants/t00000.conf");
  CHECK(verified->files.front().content == "server { server_name t9999.example; }\n");
}

}  // namespace
}  // namespace vantus::release
