#pragma once
// `vantus-controller init`: a new state dir with its database (migrated), bare config
// repository, Ed25519 signing key (0600) and public halves, git allowed-signers file,
// controller.yaml and the first platform admin. Missing parents are created; the state dir
// is 0700 even when it existed (empty). A dir that already holds anything is refused
// untouched; a failure part-way removes what this call created, parents included.
#include <filesystem>
#include <string>

#include "common/core/result.h"

namespace vantus::controller {

struct InitReport {
  std::string admin_email;
  std::string admin_password;   // shown once; only its argon2id hash is stored
  std::string key_fingerprint;  // "SHA256:…", what agents pin
};

Result<InitReport> initStateDir(const std::filesystem::path& state_dir,
                                const std::filesystem::path& data_dir,
                                std::string_view admin_email);

}  // namespace vantus::controller
