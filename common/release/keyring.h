#pragma once
// The Ed25519 public keys a verifier trusts to sign releases, found by fingerprint
// ("SHA256:…", which is also the DSSE keyid). Holds at most kMaxKeys so that a key
// rotation (old + new, briefly a third) fits and nothing more. Immutable once built;
// safe to share between threads for reading.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/crypto/ed25519.h"

namespace vantus::release {

class Keyring {
 public:
  static constexpr size_t kMaxKeys = 4;

  Keyring() = default;

  static Result<Keyring> fromKeys(std::vector<crypto::Ed25519PublicKey> keys);
  // Each file holds one PEM public key; the first unreadable or weak key fails the whole
  // keyring, naming the file.
  static Result<Keyring> fromPemFiles(const std::vector<std::string>& paths);

  // kAlreadyExists for a key already held, kInvalidInput when full. Ed25519PublicKey
  // cannot hold a weak (e.g. all-zero) key, so neither can a keyring.
  Result<void> add(crypto::Ed25519PublicKey key);

  // nullptr when no held key has this fingerprint.
  const crypto::Ed25519PublicKey* find(std::string_view fingerprint) const;
  std::vector<std::string> fingerprints() const;
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    std::string fingerprint;
    crypto::Ed25519PublicKey key;
  };
  std::vector<Entry> entries_;
};

}  // namespace vantus::release
