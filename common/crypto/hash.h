#pragma once
// SHA-256, HMAC-SHA-256, CSPRNG bytes and constant-time comparison (OpenSSL 3).
// All functions are thread-safe.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::crypto {

inline constexpr size_t kSha256Size = 32;

std::string sha256(std::string_view data);                            // 32 raw bytes
std::string sha256Hex(std::string_view data);                         // 64 lowercase hex digits
std::string sha512(std::string_view data);                            // 64 raw bytes
std::string hmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes

// Incremental SHA-256 for streams and files.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void update(std::string_view data);
  std::string finishHex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

Result<std::string> sha256HexOfFile(const std::string& path);

// Bytes from OpenSSL's CSPRNG; fails only if the generator is not seeded.
Result<std::string> randomBytes(size_t count);
// `bytes` random bytes as unpadded base64url (43 characters for 32 bytes).
Result<std::string> randomToken(size_t bytes = 32);

bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace vantus::crypto
