#include "common/release/node_report.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>

#include "common/json/json_reader.h"
#include "common/release/dsse.h"
#include "common/release/keyring.h"

namespace vantus::release {
namespace {

constexpr std::array<std::string_view, 5> kResultNames = {"applied", "failed", "rolled_back",
                                                          "rejected", "repaired"};

std::string cut(std::string text) {
  if (text.size() <= kMaxReportTextBytes) {
    return text;
  }
  text.resize(kMaxReportTextBytes);
  // Drop the last character only when the cut split it: nlohmann::json refuses to dump half
  // a UTF-8 sequence.
  size_t lead = text.size() - 1;
  while (lead > 0 && (static_cast<unsigned char>(text[lead]) & 0xC0) == 0x80) {
    --lead;
  }
  const auto first = static_cast<unsigned char>(text[lead]);
  const size_t length = first < 0x80    ? 1
                        : first >= 0xF0 ? 4
                        : first >= 0xE0 ? 3
                        : first >= 0xC0 ? 2
                                        : 1;
  if (lead + length > text.size()) {
    text.resize(lead);
  }
  return text;
}

Result<nlohmann::json> openEnvelope(std::string_view envelope_json, std::string_view payload_type,
                                    const crypto::Ed25519PublicKey& node_key) {
  VANTUS_TRY(DsseEnvelope envelope, decodeEnvelope(envelope_json));
  if (envelope.payload_type != payload_type) {
    return fail(ErrorCode::kVerificationFailed,
                fmt::format("payload type {:?} is not {:?}", envelope.payload_type, payload_type));
  }
  VANTUS_TRY(Keyring keyring, Keyring::fromKeys({node_key}));
  VANTUS_TRY_VOID(dsseVerify(envelope, keyring));
  return json::parse(envelope.payload, "the signed payload");
}

// A signed report is still input from the network: a node (or whoever holds its key) must
// not grow the database, the audit log and the controller log without bound.
constexpr std::size_t kMaxNameBytes = 63;
constexpr std::size_t kMaxDigestBytes = 64;
constexpr std::size_t kMaxTimings = 32;

Result<std::string> boundedText(const json::ObjectReader& report, std::string_view key,
                                std::size_t max_bytes) {
  VANTUS_TRY(std::string text, report.string(key));
  if (text.size() > max_bytes) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{} holds {} bytes; at most {} are accepted", report.path(key),
                            text.size(), max_bytes),
                std::string(key));
  }
  return text;
}

Result<std::map<std::string, std::int64_t>> timingsOf(const json::ObjectReader& report) {
  const nlohmann::json* value = report.find("timings_ms");
  if (value == nullptr) {
    return report.missing("timings_ms");
  }
  VANTUS_TRY(json::ObjectReader timings,
             json::ObjectReader::openTolerant(*value, report.path("timings_ms"),
                                              json::Wording::kDocument));
  if (value->size() > kMaxTimings) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{} has {} steps; at most {} are accepted", report.path("timings_ms"),
                            value->size(), kMaxTimings),
                "timings_ms");
  }
  std::map<std::string, std::int64_t> out;
  for (const auto& [step, unused] : value->items()) {
    if (step.empty() || step.size() > kMaxNameBytes) {
      return fail(
          ErrorCode::kInvalidInput,
          fmt::format("{} names a step of {} bytes", report.path("timings_ms"), step.size()),
          "timings_ms");
    }
    VANTUS_TRY(out[step], timings.integer(step));
  }
  return out;
}

}  // namespace

std::string_view applyResultName(ApplyResult result) {
  return kResultNames[static_cast<size_t>(result)];
}

Result<ApplyResult> parseApplyResult(std::string_view name) {
  for (size_t i = 0; i < kResultNames.size(); ++i) {
    if (kResultNames[i] == name) {
      return static_cast<ApplyResult>(i);
    }
  }
  return fail(ErrorCode::kInvalidInput, fmt::format("{:?} is not an apply result", name), "result");
}

std::string signReceipt(const Receipt& receipt, const crypto::Ed25519PrivateKey& key) {
  nlohmann::json payload = {{"node", receipt.node},
                            {"cluster", receipt.cluster},
                            {"version", receipt.version},
                            {"digest", receipt.digest},
                            {"result", applyResultName(receipt.result)},
                            {"reason", cut(receipt.reason)},
                            {"nginx_output", cut(receipt.nginx_output)},
                            {"serving_version", receipt.serving_version},
                            {"timings_ms", receipt.timings_ms},
                            {"at", receipt.at}};
  return encodeEnvelope(dsseSign(kReceiptPayloadType, json::dumpCompact(payload), key));
}

std::string signHeartbeat(const Heartbeat& heartbeat, const crypto::Ed25519PrivateKey& key) {
  nlohmann::json payload = {{"node", heartbeat.node},
                            {"cluster", heartbeat.cluster},
                            {"version", heartbeat.version},
                            {"digest", heartbeat.digest},
                            {"nginx_version", cut(heartbeat.nginx_version)},
                            {"drift", heartbeat.drift},
                            {"expired", heartbeat.expired},
                            {"last_result", heartbeat.last_result},
                            {"nginx_restarts", heartbeat.nginx_restarts},
                            {"at", heartbeat.at}};
  return encodeEnvelope(dsseSign(kHeartbeatPayloadType, json::dumpCompact(payload), key));
}

Result<Receipt> verifyReceipt(std::string_view envelope_json,
                              const crypto::Ed25519PublicKey& node_key) {
  VANTUS_TRY(nlohmann::json payload, openEnvelope(envelope_json, kReceiptPayloadType, node_key));
  VANTUS_TRY(json::ObjectReader fields,
             json::ObjectReader::openTolerant(payload, "receipt", json::Wording::kDocument));
  Receipt receipt;
  VANTUS_TRY(receipt.node, boundedText(fields, "node", kMaxNameBytes));
  VANTUS_TRY(receipt.cluster, boundedText(fields, "cluster", kMaxNameBytes));
  VANTUS_TRY(receipt.version, fields.unsignedInteger("version"));
  VANTUS_TRY(receipt.digest, boundedText(fields, "digest", kMaxDigestBytes));
  VANTUS_TRY(std::string result, boundedText(fields, "result", kMaxNameBytes));
  VANTUS_TRY(receipt.result, parseApplyResult(result));
  VANTUS_TRY(receipt.reason, boundedText(fields, "reason", kMaxReportTextBytes));
  VANTUS_TRY(receipt.nginx_output, boundedText(fields, "nginx_output", kMaxReportTextBytes));
  VANTUS_TRY(receipt.serving_version, fields.unsignedInteger("serving_version"));
  VANTUS_TRY(receipt.timings_ms, timingsOf(fields));
  VANTUS_TRY(receipt.at, fields.integer("at"));
  return receipt;
}

Result<Heartbeat> verifyHeartbeat(std::string_view envelope_json,
                                  const crypto::Ed25519PublicKey& node_key) {
  VANTUS_TRY(nlohmann::json payload, openEnvelope(envelope_json, kHeartbeatPayloadType, node_key));
  VANTUS_TRY(json::ObjectReader fields,
             json::ObjectReader::openTolerant(payload, "heartbeat", json::Wording::kDocument));
  Heartbeat heartbeat;
  VANTUS_TRY(heartbeat.node, boundedText(fields, "node", kMaxNameBytes));
  VANTUS_TRY(heartbeat.cluster, boundedText(fields, "cluster", kMaxNameBytes));
  VANTUS_TRY(heartbeat.version, fields.unsignedInteger("version"));
  VANTUS_TRY(heartbeat.digest, boundedText(fields, "digest", kMaxDigestBytes));
  VANTUS_TRY(heartbeat.nginx_version, boundedText(fields, "nginx_version", kMaxReportTextBytes));
  VANTUS_TRY(heartbeat.drift, fields.boolean("drift"));
  VANTUS_TRY(heartbeat.expired, fields.boolean("expired"));
  VANTUS_TRY(heartbeat.last_result, boundedText(fields, "last_result", kMaxNameBytes));
  if (fields.has("nginx_restarts")) {
    VANTUS_TRY(heartbeat.nginx_restarts, fields.unsignedInteger("nginx_restarts"));
  }
  VANTUS_TRY(heartbeat.at, fields.integer("at"));
  return heartbeat;
}

}  // namespace vantus::release
