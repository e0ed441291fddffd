#include "common/release/bundle.h"

#include <doctest/doctest.h>

#include "common/crypto/hash.h"
#include "tests/unit/common/release/release_fixture.h"

namespace vantus::release {
namespace {

using testing::signingKey;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

std::string whyUndecodable(const std::string& bytes) {
  auto decoded = decodeBundle(bytes);
  REQUIRE_FALSE(decoded);
  CHECK(decoded.error().code == ErrorCode::kInvalidInput);
  return decoded.error().message;
}

TEST_CASE("a bundle is one JSON document of format, envelope and base64 files") {
  const DsseEnvelope envelope = dsseSign("t", "manifest", signingKey());
  const std::vector<BundleFile> files = {{"z.conf", std::string("\0\x01", 2)}, {"a.conf", ""}};
  const std::string bytes = encodeBundle(envelope, files);
  CHECK(bytes.starts_with("{\"envelope\":{\"payload\":\"bWFuaWZlc3Q=\""));
  CHECK(contains(bytes,
                 R"("files":[{"content":"AAE=","path":"z.conf"},{"content":"","path":"a.conf"}])"));
  CHECK(bytes.ends_with(",\"format\":\"vantus-bundle/1\"}"));

  auto decoded = decodeBundle(bytes);
  REQUIRE(decoded);
  CHECK(decoded->files == files);
  CHECK(decoded->envelope.payload == "manifest");
  CHECK(decoded->envelope.signatures[0].sig == envelope.signatures[0].sig);
}

TEST_CASE("file paths that need JSON escapes still round-trip") {
  const std::vector<BundleFile> files = {{"we\"ird\\pa\nth \xc3\xa9", "x"}};
  auto decoded = decodeBundle(encodeBundle(dsseSign("t", "m", signingKey()), files));
  REQUIRE(decoded);
  CHECK(decoded->files == files);
}

TEST_CASE("the bundle digest is the sha256 of its exact bytes") {
  CHECK(bundleDigest("abc") == crypto::sha256Hex("abc"));
  CHECK(bundleDigest("abc").size() == 64);
}

TEST_CASE("bundle decoding names a foreign format before anything else") {
  CHECK(whyUndecodable(R"({"format":"vantus-bundle/2","anything":1})") ==
        "bundle format \"vantus-bundle/2\" is not \"vantus-bundle/1\"");
}

TEST_CASE("bundle decoding is strict about structure") {
  const std::string good = encodeBundle(dsseSign("t", "m", signingKey()), {{"a.conf", "x"}});
  REQUIRE(decodeBundle(good));
  CHECK(
      contains(whyUndecodable(good.substr(0, good.size() / 2)), "bundle is not well-formed JSON"));
  CHECK(contains(whyUndecodable(""), "not well-formed JSON"));
  CHECK(contains(whyUndecodable("\"bundle\""), "bundle must be a JSON object"));
  CHECK(contains(whyUndecodable(R"({"envelope":{},"files":[]})"), "lacks field \"format\""));
  std::string extra = good;
  extra.insert(1, "\"extra\":0,");
  CHECK(contains(whyUndecodable(extra), "bundle has unknown field \"extra\""));
  std::string bad_content = good;
  bad_content.replace(bad_content.find("\"content\":\"eA==\""), 16, "\"content\":\"eA=\"");
  CHECK(contains(whyUndecodable(bad_content), "bundle files[0].content"));
  std::string no_path = good;
  no_path.replace(no_path.find("\"path\""), 6, "\"name\"");
  CHECK(contains(whyUndecodable(no_path), "bundle files[0] has unknown field \"name\""));
  std::string bad_envelope = good;
  bad_envelope.replace(bad_envelope.find("\"payloadType\""), 13, "\"type\"");
  CHECK(contains(whyUndecodable(bad_envelope), "bundle.envelope has unknown field \"type\""));
}

}  // namespace
}  // namespace vantus::release
