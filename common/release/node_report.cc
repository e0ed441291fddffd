#include "common/release/node_report.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>

#include "common/release/dsse.h"
#include "common/release/keyring.h"

namespace vantus::release {
namespace {

using nlohmann::json;

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

std::string dumpPayload(const json& payload) {
  return payload.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<json> openEnvelope(std::string_view envelope_json, std::string_view payload_type,
                          const crypto::Ed25519PublicKey& node_key) {
  VANTUS_TRY(DsseEnvelope envelope, decodeEnvelope(envelope_json));
  if (envelope.payload_type != payload_type) {
    return fail(ErrorCode::kVerificationFailed,
                fmt::format("payload type {:?} is not {:?}", envelope.payload_type, payload_type));
  }
  VANTUS_TRY(Keyring keyring, Keyring::fromKeys({node_key}));
  VANTUS_TRY_VOID(dsseVerify(envelope, keyring));
  json payload = json::parse(envelope.payload, nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) {
    return fail(ErrorCode::kInvalidInput, "the signed payload is not a JSON object");
  }
  return payload;
}

template <typename T>
Result<T> field(const json& payload, const char* name) {
  auto found = payload.find(name);
  if (found == payload.end()) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{} is missing", name), name);
  }
  try {
    return found->get<T>();
  } catch (const json::exception&) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{} has the wrong type", name), name);
  }
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
  json payload = {{"node", receipt.node},
                  {"cluster", receipt.cluster},
                  {"version", receipt.version},
                  {"digest", receipt.digest},
                  {"result", applyResultName(receipt.result)},
                  {"reason", cut(receipt.reason)},
                  {"nginx_output", cut(receipt.nginx_output)},
                  {"serving_version", receipt.serving_version},
                  {"timings_ms", receipt.timings_ms},
                  {"at", receipt.at}};
  return encodeEnvelope(dsseSign(kReceiptPayloadType, dumpPayload(payload), key));
}

std::string signHeartbeat(const Heartbeat& heartbeat, const crypto::Ed25519PrivateKey& key) {
  json payload = {{"node", heartbeat.node},
                  {"cluster", heartbeat.cluster},
                  {"version", heartbeat.version},
                  {"digest", heartbeat.digest},
                  {"nginx_version", cut(heartbeat.nginx_version)},
                  {"drift", heartbeat.drift},
                  {"expired", heartbeat.expired},
                  {"last_result", heartbeat.last_result},
                  {"nginx_restarts", heartbeat.nginx_restarts},
                  {"at", heartbeat.at}};
  return encodeEnvelope(dsseSign(kHeartbeatPayloadType, dumpPayload(payload), key));
}

Result<Receipt> verifyReceipt(std::string_view envelope_json,
                              const crypto::Ed25519PublicKey& node_key) {
  VANTUS_TRY(json payload, openEnvelope(envelope_json, kReceiptPayloadType, node_key));
  Receipt receipt;
  VANTUS_TRY(receipt.node, field<std::string>(payload, "node"));
  VANTUS_TRY(receipt.cluster, field<std::string>(payload, "cluster"));
  VANTUS_TRY(receipt.version, field<std::uint64_t>(payload, "version"));
  VANTUS_TRY(receipt.digest, field<std::string>(payload, "digest"));
  VANTUS_TRY(std::string result, field<std::string>(payload, "result"));
  VANTUS_TRY(receipt.result, parseApplyResult(result));
  VANTUS_TRY(receipt.reason, field<std::string>(payload, "reason"));
  VANTUS_TRY(receipt.nginx_output, field<std::string>(payload, "nginx_output"));
  VANTUS_TRY(receipt.serving_version, field<std::uint64_t>(payload, "serving_version"));
  using Timings = std::map<std::string, std::int64_t>;
  VANTUS_TRY(receipt.timings_ms, field<Timings>(payload, "timings_ms"));
  VANTUS_TRY(receipt.at, field<std::int64_t>(payload, "at"));
  return receipt;
}

Result<Heartbeat> verifyHeartbeat(std::string_view envelope_json,
                                  const crypto::Ed25519PublicKey& node_key) {
  VANTUS_TRY(json payload, openEnvelope(envelope_json, kHeartbeatPayloadType, node_key));
  Heartbeat heartbeat;
  VANTUS_TRY(heartbeat.node, field<std::string>(payload, "node"));
  VANTUS_TRY(heartbeat.cluster, field<std::string>(payload, "cluster"));
  VANTUS_TRY(heartbeat.version, field<std::uint64_t>(payload, "version"));
  VANTUS_TRY(heartbeat.digest, field<std::string>(payload, "digest"));
  VANTUS_TRY(heartbeat.nginx_version, field<std::string>(payload, "nginx_version"));
  VANTUS_TRY(heartbeat.drift, field<bool>(payload, "drift"));
  VANTUS_TRY(heartbeat.expired, field<bool>(payload, "expired"));
  VANTUS_TRY(heartbeat.last_result, field<std::string>(payload, "last_result"));
  if (payload.contains("nginx_restarts")) {
    VANTUS_TRY(heartbeat.nginx_restarts, field<std::uint64_t>(payload, "nginx_restarts"));
  }
  VANTUS_TRY(heartbeat.at, field<std::int64_t>(payload, "at"));
  return heartbeat;
}

}  // namespace vantus::release
