#pragma once
// What the audit chain is anchored to outside SQLite, so that an attacker who can write the
// database but not the state dir's keys cannot rewrite or cut the log unseen:
//   - the chain key file (`keys/audit.key`, 0600): "<64 hex digits of the HMAC key>
//     keyed-from <first keyed row>\n", made once (O_EXCL), never rewritten;
//   - the checkpoint file (`audit.checkpoint`): the newest checkpoint as one JSON line
//     {"row", "hash", "time", "signature"}, signed with the controller's Ed25519 key and
//     replaced atomically. Each checkpoint is also written to the log (event
//     "audit.checkpoint"), so the journal keeps every one of them.
// Pure functions over files; callable from any thread.
#include <filesystem>
#include <optional>
#include <string>

#include "common/core/result.h"
#include "common/crypto/ed25519.h"
#include "controller/model/audit_records.h"

namespace vantus::controller {

// The bytes a checkpoint's signature covers.
std::string auditCheckpointMessage(const AuditCheckpoint& checkpoint);
AuditCheckpoint signAuditCheckpoint(Id row, std::string hash, std::string time,
                                    const crypto::Ed25519PrivateKey& key);
// kVerificationFailed when `checkpoint` is not signed by `key`.
Result<void> verifyAuditCheckpoint(const AuditCheckpoint& checkpoint,
                                   const crypto::Ed25519PublicKey& key);

// nullopt when the file does not exist; kInvalidInput naming the file when it is damaged.
Result<std::optional<AuditCheckpoint>> loadAuditCheckpoint(const std::filesystem::path& path);
Result<void> saveAuditCheckpoint(const std::filesystem::path& path,
                                 const AuditCheckpoint& checkpoint);

// kNotFound when the file does not exist; kInvalidInput naming the file when it is damaged.
Result<AuditChainKey> loadAuditChainKey(const std::filesystem::path& path);
// A new random key keying rows from `keyed_from` on; kAlreadyExists if the file exists.
Result<AuditChainKey> createAuditChainKey(const std::filesystem::path& path, Id keyed_from);

}  // namespace vantus::controller
