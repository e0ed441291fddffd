#pragma once
// What a node tells the controller, signed with the node's own Ed25519 key inside a DSSE
// envelope so that "which node runs what" is provable: a receipt after every apply attempt
// and a periodic heartbeat. The payload is canonical JSON (keys sorted, no whitespace).
// Pure functions, safe from any thread.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "common/core/result.h"
#include "common/crypto/ed25519.h"

namespace vantus::release {

inline constexpr std::string_view kReceiptPayloadType = "application/vnd.vantus.receipt+json";
inline constexpr std::string_view kHeartbeatPayloadType = "application/vnd.vantus.heartbeat+json";
// nginx's own words travel in receipts; this much is enough to read the error.
inline constexpr size_t kMaxReportTextBytes = 4096;

// applied: the release serves and answered every check. failed: refused before the swap
// (nginx -t, staging); the previous release never stopped serving. rolled_back: the swap
// happened, a later check failed and the previous release serves again. rejected: the
// bundle failed verification. repaired: drift under current/ was found and undone.
enum class ApplyResult { kApplied, kFailed, kRolledBack, kRejected, kRepaired };

std::string_view applyResultName(ApplyResult result);
Result<ApplyResult> parseApplyResult(std::string_view name);

struct Receipt {
  std::string node;
  std::string cluster;
  // The release the attempt was about; for a rejected bundle the version it claims (unverified).
  std::uint64_t version = 0;
  std::string digest;  // its bundle digest, may be empty for a bundle that did not parse
  ApplyResult result = ApplyResult::kFailed;
  std::string reason;                 // one line for people; empty when applied
  std::string nginx_output;           // nginx -t / reload stderr, truncated, secrets redacted
  std::uint64_t serving_version = 0;  // what serves after the attempt
  std::map<std::string, std::int64_t> timings_ms;  // stage, test, swap, reload, confirm, probe
  std::int64_t at = 0;                             // unix seconds

  bool operator==(const Receipt&) const = default;
};

struct Heartbeat {
  std::string node;
  std::string cluster;
  std::uint64_t version = 0;  // serving
  std::string digest;
  std::string nginx_version;
  bool drift = false;    // current/ differed from the signed release at the last check
  bool expired = false;  // the serving release's manifest has expired
  std::string last_result;
  // Restarts of the nginx master the agent owns after it died; 0 when systemd owns nginx.
  // Optional when read: agents before it did not send it.
  std::uint64_t nginx_restarts = 0;
  std::int64_t at = 0;

  bool operator==(const Heartbeat&) const = default;
};

// DSSE envelope JSON, signed by `key` (keyid = its fingerprint). Texts are cut to
// kMaxReportTextBytes.
std::string signReceipt(const Receipt& receipt, const crypto::Ed25519PrivateKey& key);
std::string signHeartbeat(const Heartbeat& heartbeat, const crypto::Ed25519PrivateKey& key);

// Strict decoding after the signature verified against `node_key`. kVerificationFailed for a
// bad signature or another payload type, kInvalidInput for a malformed payload.
Result<Receipt> verifyReceipt(std::string_view envelope_json,
                              const crypto::Ed25519PublicKey& node_key);
Result<Heartbeat> verifyHeartbeat(std::string_view envelope_json,
                                  const crypto::Ed25519PublicKey& node_key);

}  // namespace vantus::release
