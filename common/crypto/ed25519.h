#pragma once
// Ed25519 keys on OpenSSL 3. Keys are immutable and safe to share between threads.
// Parsing refuses malformed keys and the small-order public keys (all-zero among them)
// for which OpenSSL 3.0 accepts forged signatures.
#include <memory>
#include <string>
#include <string_view>

#include "common/core/result.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace vantus::crypto {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

class Ed25519PublicKey {
 public:
  static Result<Ed25519PublicKey> fromRaw(std::string_view raw);
  static Result<Ed25519PublicKey> fromPem(std::string_view pem);
  // "ssh-ed25519 AAAA… [comment]", as in authorized_keys and allowed-signers files.
  static Result<Ed25519PublicKey> fromSshAuthorizedKey(std::string_view line);
  static Result<Ed25519PublicKey> loadPem(const std::string& path);

  const std::string& raw() const { return raw_; }
  std::string pem() const;
  std::string sshBlob() const;  // RFC 8709 wire encoding
  std::string sshAuthorizedKey(std::string_view comment = {}) const;
  // "SHA256:<unpadded base64>", identical to `ssh-keygen -lf`. Agents pin this; it is
  // also the key id in signed envelopes.
  std::string fingerprint() const;
  bool verify(std::string_view message, std::string_view signature) const;

 private:
  Ed25519PublicKey(std::string raw, std::shared_ptr<EVP_PKEY> key)
      : raw_(std::move(raw)), key_(std::move(key)) {}
  std::string raw_;
  std::shared_ptr<EVP_PKEY> key_;
};

class Ed25519PrivateKey {
 public:
  static Result<Ed25519PrivateKey> generate();
  static Result<Ed25519PrivateKey> fromPem(std::string_view pem);
  static Result<Ed25519PrivateKey> loadPem(const std::string& path);

  // Writes PKCS#8 PEM with mode 0600; refuses to overwrite an existing file.
  Result<void> savePem(const std::string& path) const;
  std::string pem() const;
  const Ed25519PublicKey& publicKey() const { return public_key_; }
  std::string sign(std::string_view message) const;  // 64 bytes

 private:
  Ed25519PrivateKey(std::shared_ptr<EVP_PKEY> key, Ed25519PublicKey public_key)
      : key_(std::move(key)), public_key_(std::move(public_key)) {}
  std::shared_ptr<EVP_PKEY> key_;
  Ed25519PublicKey public_key_;
};

}  // namespace vantus::crypto
