#pragma once
// Password hashing with argon2id (libargon2) and generated initial passwords.
// All functions are thread-safe; hashing and verifying take tens of milliseconds and
// ~19 MiB of memory each, so callers rate-limit the routes that reach them.
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace vantus::controller {

// Passwords longer than this are refused by hashPassword and never verify.
inline constexpr size_t kMaxPasswordBytes = 1024;

// Returns the PHC-encoded hash ("$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>") with a fresh
// random 16-byte salt. kInvalidInput for an empty or over-long password.
Result<std::string> hashPassword(std::string_view password);

// True only if `encoded` is a well-formed argon2id hash of `password`. The comparison is
// constant-time (libargon2). Hashes whose parameters exceed sane limits (memory > 256 MiB,
// t > 16, p > 8) are refused without hashing, so a tampered row cannot exhaust the host.
bool verifyPassword(std::string_view password, std::string_view encoded);

// True when `encoded` was made with other parameters than hashPassword uses today: after a
// successful login the caller should store hashPassword(password) instead.
bool passwordNeedsRehash(std::string_view encoded);

// A random password such as "h7Kq2m-RtX9pa-4vNcE8-zWb3Ty": 4 groups of 6 characters from a
// 55-symbol alphabet without look-alikes (0/O/o, 1/l/I/i), 24 × log2(55) ≈ 138.7 bits of
// entropy, drawn from OpenSSL's CSPRNG. Aborts if the CSPRNG is unusable.
std::string generatePassword();

}  // namespace vantus::controller
