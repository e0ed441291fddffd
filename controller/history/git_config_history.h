#pragma once
// ConfigHistory on a bare git repository (libgit2). Commits carry an SSHSIG `gpgsig`
// header that stock `git verify-commit` accepts with gpg.format=ssh and an allowed-signers
// file holding allowedSignersLine(key.publicKey(), principal).
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/core/result.h"
#include "common/crypto/ed25519.h"
#include "controller/history/config_history.h"

namespace vantus::controller {

// Creates a bare repository whose HEAD is refs/heads/main. kAlreadyExists if `path` exists.
Result<void> initBareRepository(const std::filesystem::path& path);

// Opens the bare repository at `bare_repo`. `signing_key` is referenced and must outlive
// the returned object; the committer identity is the controller's, the author of each
// commit is the request's actor.
Result<std::unique_ptr<ConfigHistory>> openGitHistory(const std::filesystem::path& bare_repo,
                                                      const crypto::Ed25519PrivateKey& signing_key,
                                                      std::string committer_name,
                                                      std::string committer_email);

// `<principal> namespaces="git" ssh-ed25519 AAAA...`, one line of an allowed-signers file.
// `principal` is a plain word (no whitespace, quotes or commas).
std::string allowedSignersLine(const crypto::Ed25519PublicKey& key, std::string_view principal);

}  // namespace vantus::controller
