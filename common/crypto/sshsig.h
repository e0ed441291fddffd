#pragma once
// SSHSIG signatures (OpenSSH PROTOCOL.sshsig), the format `git` uses with gpg.format=ssh.
#include <string>
#include <string_view>

#include "common/core/result.h"
#include "common/crypto/ed25519.h"

namespace vantus::crypto {

// The armored "-----BEGIN SSH SIGNATURE-----" block over `message` (SHA-512, `ns` namespace).
std::string sshsigSign(const Ed25519PrivateKey& key, std::string_view message,
                       std::string_view ns = "git");
// Verifies an armored SSHSIG block made by `key` over `message` in namespace `ns`.
Result<void> sshsigVerify(const Ed25519PublicKey& key, std::string_view armored,
                          std::string_view message, std::string_view ns = "git");

}  // namespace vantus::crypto
