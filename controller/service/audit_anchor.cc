#include "controller/service/audit_anchor.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "common/core/files.h"
#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"

namespace vantus::controller {

namespace {

constexpr std::size_t kKeyBytes = 32;
constexpr std::string_view kKeyedFrom = " keyed-from ";

Result<void> damaged(const std::filesystem::path& path, std::string_view what) {
  return fail(ErrorCode::kInvalidInput,
              fmt::format("{} is damaged ({}): restore it from a backup of the state dir",
                          path.string(), what));
}

}  // namespace

std::string auditCheckpointMessage(const AuditCheckpoint& checkpoint) {
  return fmt::format("vantus-audit-checkpoint-v1\n{}\n{}\n{}\n", checkpoint.row, checkpoint.hash,
                     checkpoint.time);
}

AuditCheckpoint signAuditCheckpoint(Id row, std::string hash, std::string time,
                                    const crypto::Ed25519PrivateKey& key) {
  AuditCheckpoint checkpoint{
      .row = row, .hash = std::move(hash), .time = std::move(time), .signature = {}};
  checkpoint.signature = crypto::base64Encode(key.sign(auditCheckpointMessage(checkpoint)));
  return checkpoint;
}

Result<void> verifyAuditCheckpoint(const AuditCheckpoint& checkpoint,
                                   const crypto::Ed25519PublicKey& key) {
  Result<std::string> signature = crypto::base64Decode(checkpoint.signature);
  if (!signature || !key.verify(auditCheckpointMessage(checkpoint), *signature)) {
    return fail(ErrorCode::kVerificationFailed,
                fmt::format("the audit checkpoint of row {} is not signed by this controller's "
                            "key: it was forged or replaced",
                            checkpoint.row));
  }
  return ok();
}

Result<std::optional<AuditCheckpoint>> loadAuditCheckpoint(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return std::optional<AuditCheckpoint>();
  }
  VANTUS_TRY(std::string text, readFile(path.string(), 4096));
  nlohmann::json line = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!line.is_object() || !line.contains("row") || !line["row"].is_number_integer() ||
      !line.contains("hash") || !line["hash"].is_string() || !line.contains("time") ||
      !line["time"].is_string() || !line.contains("signature") || !line["signature"].is_string()) {
    VANTUS_TRY_VOID(damaged(path, "expected one JSON object with row, hash, time and signature"));
  }
  return std::optional<AuditCheckpoint>(
      AuditCheckpoint{.row = line["row"].get<Id>(),
                      .hash = line["hash"].get<std::string>(),
                      .time = line["time"].get<std::string>(),
                      .signature = line["signature"].get<std::string>()});
}

Result<void> saveAuditCheckpoint(const std::filesystem::path& path,
                                 const AuditCheckpoint& checkpoint) {
  const nlohmann::json line = {{"row", checkpoint.row},
                               {"hash", checkpoint.hash},
                               {"time", checkpoint.time},
                               {"signature", checkpoint.signature}};
  return writeFileAtomically(path.string(), line.dump() + "\n", 0600);
}

Result<AuditChainKey> loadAuditChainKey(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return fail(ErrorCode::kNotFound, fmt::format("{} does not exist", path.string()));
  }
  VANTUS_TRY(std::string text, readFile(path.string(), 4096));
  const std::size_t hex_end = text.find(kKeyedFrom);
  AuditChainKey key;
  Result<std::string> secret = crypto::hexDecode(std::string_view(text).substr(0, hex_end));
  if (hex_end == std::string::npos || !text.ends_with('\n') || !secret ||
      secret->size() != kKeyBytes) {
    VANTUS_TRY_VOID(damaged(path, "expected \"<64 hex digits> keyed-from <row>\""));
  }
  key.secret = std::move(*secret);
  const char* first = text.data() + hex_end + kKeyedFrom.size();
  const char* last = text.data() + text.size() - 1;
  auto [end, parse_error] = std::from_chars(first, last, key.keyed_from);
  if (parse_error != std::errc() || end != last || key.keyed_from < 1) {
    VANTUS_TRY_VOID(damaged(path, "keyed-from is not a row id"));
  }
  return key;
}

Result<AuditChainKey> createAuditChainKey(const std::filesystem::path& path, Id keyed_from) {
  VANTUS_TRY(std::string secret, crypto::randomBytes(kKeyBytes));
  VANTUS_TRY_VOID(writeNewFile(
      path.string(), fmt::format("{}{}{}\n", crypto::hexEncode(secret), kKeyedFrom, keyed_from),
      0600));
  return AuditChainKey{.secret = std::move(secret), .keyed_from = keyed_from};
}

}  // namespace vantus::controller
