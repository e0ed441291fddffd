#include "common/release/dsse.h"

#include <doctest/doctest.h>

#include "common/crypto/encoding.h"
#include "tests/unit/common/release/release_fixture.h"

namespace vantus::release {
namespace {

using testing::keyringOf;
using testing::newKey;
using testing::signingKey;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("PAE matches the DSSE specification's example") {
  CHECK(dssePae("http://example.com/HelloWorld", "hello world") ==
        "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  CHECK(dssePae("", "") == "DSSEv1 0  0 ");
  CHECK(dssePae("t", std::string("a\0b", 3)) == std::string("DSSEv1 1 t 3 a\0b", 16));
}

TEST_CASE("a signed envelope carries the key's fingerprint and a signature over the PAE") {
  DsseEnvelope envelope = dsseSign("application/x-test", "body", signingKey());
  CHECK(envelope.payload_type == "application/x-test");
  CHECK(envelope.payload == "body");
  REQUIRE(envelope.signatures.size() == 1);
  CHECK(envelope.signatures[0].keyid == signingKey().publicKey().fingerprint());
  CHECK(signingKey().publicKey().verify(dssePae("application/x-test", "body"),
                                        envelope.signatures[0].sig));
}

TEST_CASE("an envelope encodes to the DSSE JSON form and decodes back") {
  DsseEnvelope envelope = dsseSign("application/x-test", std::string("\0\xff", 2), signingKey());
  const std::string json = encodeEnvelope(envelope);
  CHECK(
      json.starts_with("{\"payload\":\"AP8=\",\"payloadType\":\"application/x-test\","
                       "\"signatures\":[{\"keyid\":\"SHA256:"));
  auto decoded = decodeEnvelope(json);
  REQUIRE(decoded);
  CHECK(decoded->payload == envelope.payload);
  CHECK(decoded->payload_type == envelope.payload_type);
  REQUIRE(decoded->signatures.size() == 1);
  CHECK(decoded->signatures[0].keyid == envelope.signatures[0].keyid);
  CHECK(decoded->signatures[0].sig == envelope.signatures[0].sig);
}

TEST_CASE("envelope decoding is strict") {
  const std::string sig = crypto::base64Encode(std::string(64, 'x'));
  auto refuse = [](const std::string& json, std::string_view why) {
    CAPTURE(json);
    auto decoded = decodeEnvelope(json);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == ErrorCode::kInvalidInput);
    CHECK(contains(decoded.error().message, why));
  };
  refuse("{\"payload\":", "not well-formed JSON");
  refuse("[]", "must be a JSON object");
  refuse(R"({"payload":"","payloadType":"t","signatures":[],"x":1})", "unknown field \"x\"");
  refuse(R"({"payload":"","signatures":[]})", "lacks field \"payloadType\"");
  refuse(R"({"payload":1,"payloadType":"t","signatures":[]})", "payload must be a string");
  refuse(R"({"payload":"a$==","payloadType":"t","signatures":[]})", "outside the alphabet");
  refuse(R"({"payload":"","payloadType":"t","signatures":{}})", "must be an array");
  refuse(R"({"payload":"","payloadType":"t","signatures":[{"sig":")" + sig + "\"}]}",
         "lacks field \"keyid\"");
  refuse(R"({"payload":"","payloadType":"t","signatures":[{"keyid":"k","sig":"abc"}]})",
         "signatures[0].sig");
}

TEST_CASE("dsseVerify accepts a signature by a trusted key and names the signer") {
  DsseEnvelope envelope = dsseSign("t", "body", signingKey());
  auto signers = dsseVerify(envelope, keyringOf(signingKey()));
  REQUIRE(signers);
  CHECK(*signers == std::vector<std::string>{signingKey().publicKey().fingerprint()});
}

TEST_CASE("dsseVerify ignores signatures by unknown keys but needs one trusted signature") {
  const auto stranger = newKey();
  DsseEnvelope envelope = dsseSign("t", "body", stranger);
  auto alone = dsseVerify(envelope, keyringOf(signingKey()));
  REQUIRE_FALSE(alone);
  CHECK(alone.error().code == ErrorCode::kVerificationFailed);
  CHECK(contains(alone.error().message, "no signature by a trusted key"));

  envelope.signatures.push_back(dsseSign("t", "body", signingKey()).signatures[0]);
  CHECK(dsseVerify(envelope, keyringOf(signingKey())));
}

TEST_CASE("dsseVerify fails the envelope on any bad signature by a trusted key") {
  DsseEnvelope envelope = dsseSign("t", "body", signingKey());
  envelope.signatures.push_back(envelope.signatures[0]);
  envelope.signatures[1].sig[0] ^= 1;
  auto verified = dsseVerify(envelope, keyringOf(signingKey()));
  REQUIRE_FALSE(verified);
  CHECK(contains(verified.error().message, "does not verify"));
}

TEST_CASE("dsseVerify refuses a changed payload or payload type") {
  DsseEnvelope envelope = dsseSign("t", "body", signingKey());
  DsseEnvelope body_changed = envelope;
  body_changed.payload = "bodY";
  CHECK_FALSE(dsseVerify(body_changed, keyringOf(signingKey())));
  DsseEnvelope type_changed = envelope;
  type_changed.payload_type = "u";
  CHECK_FALSE(dsseVerify(type_changed, keyringOf(signingKey())));
}

TEST_CASE("dsseVerify refuses a forged all-zero signature") {
  DsseEnvelope forged{
      .payload_type = "t",
      .payload = "body",
      .signatures = {{signingKey().publicKey().fingerprint(), std::string(64, '\0')}}};
  auto verified = dsseVerify(forged, keyringOf(signingKey()));
  REQUIRE_FALSE(verified);
  CHECK(contains(verified.error().message, "does not verify"));
  forged.signatures[0].sig.clear();
  CHECK_FALSE(dsseVerify(forged, keyringOf(signingKey())));
}

TEST_CASE("dsseVerify needs trusted keys, a signature, and not too many") {
  DsseEnvelope envelope = dsseSign("t", "body", signingKey());
  auto untrusting = dsseVerify(envelope, Keyring());
  REQUIRE_FALSE(untrusting);
  CHECK(untrusting.error().message == "no trusted keys");

  DsseEnvelope unsigned_envelope{.payload_type = "t", .payload = "body", .signatures = {}};
  auto bare = dsseVerify(unsigned_envelope, keyringOf(signingKey()));
  REQUIRE_FALSE(bare);
  CHECK(bare.error().message == "envelope has no signatures");

  while (envelope.signatures.size() <= kMaxEnvelopeSignatures) {
    envelope.signatures.push_back(envelope.signatures[0]);
  }
  auto crowded = dsseVerify(envelope, keyringOf(signingKey()));
  REQUIRE_FALSE(crowded);
  CHECK(contains(crowded.error().message, "more than the 8 allowed"));
}

}  // namespace
}  // namespace vantus::release
