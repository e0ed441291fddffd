#pragma once
// Where the controller keeps its state. Only names paths; creates nothing.
//
//   <root>/controller.yaml         settings (controller_config.h)
//   <root>/controller.lock         held while a controller process runs
//   <root>/vantus.db               SQLite store
//   <root>/config.git              bare config repository
//   <root>/keys/signing.key        Ed25519 private key (0600)
//   <root>/keys/signing.pub        its public key, PEM
//   <root>/keys/signing.pub.ssh    the same key in OpenSSH authorized_keys form
//   <root>/keys/allowed_signers    for `git verify-commit` (gpg.ssh.allowedSignersFile)
//   <root>/keys/audit.key          the audit chain's HMAC key (0600)
//   <root>/audit.checkpoint        the newest signed checkpoint of the audit log
//   <root>/bundles/                signed release bundles
//   <root>/precheck/               scratch trees for `nginx -t`
#include <filesystem>

namespace vantus::controller {

struct StateDirLayout {
  std::filesystem::path root;
  std::filesystem::path config;
  std::filesystem::path lock_file;
  std::filesystem::path database;
  std::filesystem::path repository;
  std::filesystem::path keys;
  std::filesystem::path signing_key;
  std::filesystem::path signing_public_key;
  std::filesystem::path signing_public_key_ssh;
  std::filesystem::path allowed_signers;
  std::filesystem::path audit_key;
  std::filesystem::path audit_checkpoint;
  std::filesystem::path bundles;
  std::filesystem::path precheck;
};

StateDirLayout stateDirLayout(const std::filesystem::path& root);

}  // namespace vantus::controller
