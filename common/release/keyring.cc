#include "common/release/keyring.h"

#include <fmt/format.h>

namespace vantus::release {

Result<Keyring> Keyring::fromKeys(std::vector<crypto::Ed25519PublicKey> keys) {
  Keyring keyring;
  for (auto& key : keys) {
    VANTUS_TRY_VOID(keyring.add(std::move(key)));
  }
  return keyring;
}

Result<Keyring> Keyring::fromPemFiles(const std::vector<std::string>& paths) {
  Keyring keyring;
  for (const std::string& path : paths) {
    VANTUS_TRY(crypto::Ed25519PublicKey key, crypto::Ed25519PublicKey::loadPem(path));
    auto added = keyring.add(std::move(key));
    if (!added) {
      return fail(added.error().code, path + ": " + added.error().message);
    }
  }
  return keyring;
}

Result<void> Keyring::add(crypto::Ed25519PublicKey key) {
  std::string fingerprint = key.fingerprint();
  if (find(fingerprint) != nullptr) {
    return fail(ErrorCode::kAlreadyExists,
                fmt::format("key {} is already in the keyring", fingerprint));
  }
  if (entries_.size() >= kMaxKeys) {
    return fail(ErrorCode::kInvalidInput, fmt::format("a keyring holds at most {} keys", kMaxKeys));
  }
  entries_.push_back(Entry{std::move(fingerprint), std::move(key)});
  return ok();
}

const crypto::Ed25519PublicKey* Keyring::find(std::string_view fingerprint) const {
  for (const Entry& entry : entries_) {
    if (entry.fingerprint == fingerprint) {
      return &entry.key;
    }
  }
  return nullptr;
}

std::vector<std::string> Keyring::fingerprints() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const Entry& entry : entries_) {
    out.push_back(entry.fingerprint);
  }
  return out;
}

}  // namespace vantus::release
