#include "controller/auth/password.h"

#include <argon2.h>
#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <optional>

#include "common/crypto/hash.h"

namespace vantus::controller {
namespace {

// OWASP's second argon2id profile (19 MiB, 2 passes): the 64 MiB / 3 pass profile took
// ~290 ms per hash on the reference machine, too slow for a login path that must also
// resist being used to exhaust the controller.
constexpr uint32_t kMemoryKib = 19 * 1024;
constexpr uint32_t kPasses = 2;
constexpr uint32_t kLanes = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

constexpr uint32_t kMaxMemoryKib = 256 * 1024;
constexpr uint32_t kMaxPasses = 16;
constexpr uint32_t kMaxLanes = 8;
constexpr size_t kMaxEncodedBytes = 512;

// Unambiguous symbols: no 0/O/o, 1/l/I/i. 55 symbols, log2(55) ≈ 5.78 bits each.
constexpr std::string_view kPasswordAlphabet =
    "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr size_t kPasswordGroups = 4;
constexpr size_t kPasswordGroupLength = 6;

struct Argon2Parameters {
  uint32_t version = 0;
  uint32_t memory_kib = 0;
  uint32_t passes = 0;
  uint32_t lanes = 0;
};

bool consume(std::string_view& text, std::string_view expected) {
  if (text.substr(0, expected.size()) != expected) {
    return false;
  }
  text.remove_prefix(expected.size());
  return true;
}

bool consumeNumber(std::string_view& text, uint32_t& value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data()) {
    return false;
  }
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  return true;
}

// Reads "$argon2id$v=19$m=…,t=…,p=…$" — only the prefix; libargon2 decodes the rest.
std::optional<Argon2Parameters> argon2idParameters(std::string_view encoded) {
  Argon2Parameters p;
  if (consume(encoded, "$argon2id$v=") && consumeNumber(encoded, p.version) &&
      consume(encoded, "$m=") && consumeNumber(encoded, p.memory_kib) && consume(encoded, ",t=") &&
      consumeNumber(encoded, p.passes) && consume(encoded, ",p=") &&
      consumeNumber(encoded, p.lanes) && consume(encoded, "$")) {
    return p;
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> hashPassword(std::string_view password) {
  if (password.empty()) {
    return fail(ErrorCode::kInvalidInput, "password is empty", "password");
  }
  if (password.size() > kMaxPasswordBytes) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("password is longer than {} bytes", kMaxPasswordBytes), "password");
  }
  VANTUS_TRY(std::string salt, crypto::randomBytes(kSaltBytes));
  std::string encoded(
      argon2_encodedlen(kPasses, kMemoryKib, kLanes, kSaltBytes, kHashBytes, Argon2_id), '\0');
  int rc =
      argon2id_hash_encoded(kPasses, kMemoryKib, kLanes, password.data(), password.size(),
                            salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) {
    return fail(ErrorCode::kInternal,
                fmt::format("argon2id hashing failed: {}", argon2_error_message(rc)));
  }
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verifyPassword(std::string_view password, std::string_view encoded) {
  if (password.size() > kMaxPasswordBytes || encoded.size() > kMaxEncodedBytes ||
      encoded.find('\0') != std::string_view::npos) {
    return false;
  }
  auto parameters = argon2idParameters(encoded);
  if (!parameters || parameters->memory_kib > kMaxMemoryKib || parameters->passes > kMaxPasses ||
      parameters->lanes > kMaxLanes) {
    return false;
  }
  std::string terminated(encoded);
  return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool passwordNeedsRehash(std::string_view encoded) {
  auto parameters = argon2idParameters(encoded);
  return !parameters || parameters->version != ARGON2_VERSION_NUMBER ||
         parameters->memory_kib != kMemoryKib || parameters->passes != kPasses ||
         parameters->lanes != kLanes;
}

std::string generatePassword() {
  constexpr size_t kLength = kPasswordGroups * kPasswordGroupLength;
  // Rejection sampling keeps every symbol equally likely: bytes >= 220 (= 4 × 55) are
  // dropped, so `byte % 55` is uniform. A round of 64 bytes yields ~55 symbols.
  constexpr unsigned kLimit = 256 - 256 % kPasswordAlphabet.size();
  std::string symbols;
  for (int round = 0; round < 16 && symbols.size() < kLength; ++round) {
    auto random = crypto::randomBytes(64);
    if (!random) {
      abortOnBrokenInvariant("the CSPRNG cannot produce a password");
    }
    for (unsigned char byte : *random) {
      if (byte < kLimit && symbols.size() < kLength) {
        symbols.push_back(kPasswordAlphabet[byte % kPasswordAlphabet.size()]);
      }
    }
  }
  if (symbols.size() < kLength) {
    abortOnBrokenInvariant("the CSPRNG keeps returning out-of-range bytes");
  }
  std::string password;
  for (size_t group = 0; group < kPasswordGroups; ++group) {
    if (group > 0) {
      password.push_back('-');
    }
    password.append(symbols, group * kPasswordGroupLength, kPasswordGroupLength);
  }
  return password;
}

}  // namespace vantus::controller
