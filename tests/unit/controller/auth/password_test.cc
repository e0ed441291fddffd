#include "controller/auth/password.h"

#include <argon2.h>
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>

namespace vantus::controller {
namespace {

constexpr std::string_view kAlphabet = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";

std::string hashOk(std::string_view password) {
  auto hash = hashPassword(password);
  if (!hash) {
    FAIL(hash.error().describe());
  }
  return *hash;
}

std::string argon2Hash(argon2_type type, uint32_t passes, uint32_t memory_kib,
                       std::string_view password) {
  const std::string salt = "0123456789abcdef";
  std::string encoded(argon2_encodedlen(passes, memory_kib, 1, salt.size(), 32, type), '\0');
  int rc =
      argon2_hash(passes, memory_kib, 1, password.data(), password.size(), salt.data(), salt.size(),
                  nullptr, 32, encoded.data(), encoded.size(), type, ARGON2_VERSION_NUMBER);
  REQUIRE(rc == ARGON2_OK);
  encoded.resize(encoded.find('\0'));
  return encoded;
}

TEST_CASE("a hashed password verifies; any other password does not") {
  std::string hash = hashOk("correct horse battery staple");
  CHECK(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  CHECK(verifyPassword("correct horse battery staple", hash));
  CHECK_FALSE(verifyPassword("correct horse battery stapl", hash));
  CHECK_FALSE(verifyPassword("Correct horse battery staple", hash));
  CHECK_FALSE(verifyPassword("", hash));
  CHECK_FALSE(passwordNeedsRehash(hash));
}

TEST_CASE("every hash has its own salt") {
  std::string first = hashOk("same password");
  std::string second = hashOk("same password");
  CHECK(first != second);
  CHECK(verifyPassword("same password", first));
  CHECK(verifyPassword("same password", second));
}

TEST_CASE("empty and over-long passwords are refused") {
  auto empty = hashPassword("");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code == ErrorCode::kInvalidInput);
  auto longest = hashPassword(std::string(kMaxPasswordBytes, 'p'));
  REQUIRE(longest);
  CHECK(verifyPassword(std::string(kMaxPasswordBytes, 'p'), *longest));
  auto too_long = hashPassword(std::string(kMaxPasswordBytes + 1, 'p'));
  REQUIRE_FALSE(too_long);
  CHECK(too_long.error().code == ErrorCode::kInvalidInput);
  CHECK_FALSE(verifyPassword(std::string(kMaxPasswordBytes + 1, 'p'), *longest));
}

TEST_CASE("passwords are bytes: unicode and embedded NUL are hashed exactly") {
  std::string with_nul("pass\0word", 9);
  std::string hash = hashOk(with_nul);
  CHECK(verifyPassword(with_nul, hash));
  CHECK_FALSE(verifyPassword("pass", hash));
  std::string unicode = hashOk("pässwörd-密码");
  CHECK(verifyPassword("pässwörd-密码", unicode));
  CHECK_FALSE(verifyPassword("passwörd-密码", unicode));
}

TEST_CASE("malformed, tampered or foreign hashes never verify") {
  std::string hash = hashOk("secret");
  std::string tampered = hash;
  char& last = tampered[tampered.size() - 2];
  last = last == 'A' ? 'B' : 'A';
  CHECK_FALSE(verifyPassword("secret", tampered));
  CHECK_FALSE(verifyPassword("secret", ""));
  CHECK_FALSE(verifyPassword("secret", "plain-text-secret"));
  CHECK_FALSE(verifyPassword("secret", hash.substr(0, hash.size() - 10)));
  CHECK_FALSE(verifyPassword("secret", hash + std::string(1, '\0')));
  CHECK_FALSE(verifyPassword("secret", argon2Hash(Argon2_i, 2, 1024, "secret")));
  CHECK_FALSE(verifyPassword("secret", argon2Hash(Argon2_d, 2, 1024, "secret")));
}

TEST_CASE("hashes with other parameters still verify and ask to be upgraded") {
  std::string old = argon2Hash(Argon2_id, 1, 8 * 1024, "secret");
  CHECK(verifyPassword("secret", old));
  CHECK(passwordNeedsRehash(old));
  CHECK(passwordNeedsRehash("not a hash"));
}

TEST_CASE("hashes asking for excessive memory or passes are refused without hashing") {
  std::string hash = hashOk("secret");
  std::string tail = hash.substr(hash.find("$", std::string("$argon2id$v=19$").size()));
  CHECK_FALSE(verifyPassword("secret", "$argon2id$v=19$m=4194304,t=2,p=1" + tail));
  CHECK_FALSE(verifyPassword("secret", "$argon2id$v=19$m=19456,t=1000,p=1" + tail));
  CHECK_FALSE(verifyPassword("secret", "$argon2id$v=19$m=19456,t=2,p=64" + tail));
}

TEST_CASE("generated passwords are 4 groups of 6 unambiguous symbols") {
  const std::regex shape("^[2-9a-hjkmnp-zA-HJ-NP-Z]{6}(-[2-9a-hjkmnp-zA-HJ-NP-Z]{6}){3}$");
  std::set<std::string> seen;
  std::set<char> symbols;
  for (int i = 0; i < 1000; ++i) {
    std::string password = generatePassword();
    REQUIRE_MESSAGE(std::regex_match(password, shape), password);
    CHECK(password.find_first_of("0O1lIio") == std::string::npos);
    seen.insert(password);
    for (char c : password) {
      if (c != '-') {
        symbols.insert(c);
      }
    }
  }
  CHECK(seen.size() == 1000);
  // 24 000 draws from 55 symbols: every symbol shows up unless the sampling is broken.
  CHECK(symbols.size() == kAlphabet.size());
  CHECK(kAlphabet.size() == 55);
}

TEST_CASE("a generated password can be hashed and verified") {
  std::string password = generatePassword();
  CHECK(verifyPassword(password, hashOk(password)));
}

}  // namespace
}  // namespace vantus::controller
