#include "common/crypto/hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <fstream>

#include "common/crypto/encoding.h"

namespace vantus::crypto {

namespace {
std::string digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out, &length, md, nullptr) != 1) {
    abortOnBrokenInvariant("EVP_Digest failed");
  }
  return std::string(reinterpret_cast<char*>(out), length);
}
}  // namespace

std::string sha256(std::string_view data) { return digest(EVP_sha256(), data); }
std::string sha256Hex(std::string_view data) { return hexEncode(sha256(data)); }
std::string sha512(std::string_view data) { return digest(EVP_sha512(), data); }

std::string hmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
           &length) == nullptr) {
    abortOnBrokenInvariant("HMAC failed");
  }
  return std::string(reinterpret_cast<char*>(out), length);
}

struct Sha256Hasher::State {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context{EVP_MD_CTX_new(),
                                                                  &EVP_MD_CTX_free};
};

Sha256Hasher::Sha256Hasher() : state_(std::make_unique<State>()) {
  if (!state_->context || EVP_DigestInit_ex(state_->context.get(), EVP_sha256(), nullptr) != 1) {
    abortOnBrokenInvariant("EVP_DigestInit_ex failed");
  }
}
Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::update(std::string_view data) {
  EVP_DigestUpdate(state_->context.get(), data.data(), data.size());
}

std::string Sha256Hasher::finishHex() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(state_->context.get(), out, &length);
  return hexEncode(std::string_view(reinterpret_cast<char*>(out), length));
}

Result<std::string> sha256HexOfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kIo, "cannot open " + path);
  }
  Sha256Hasher hasher;
  char buffer[64 * 1024];
  while (in) {
    in.read(buffer, sizeof buffer);
    hasher.update(std::string_view(buffer, static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) {
    return fail(ErrorCode::kIo, "cannot read " + path);
  }
  return hasher.finishHex();
}

Result<std::string> randomBytes(size_t count) {
  std::string out(count, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    return fail(ErrorCode::kUnavailable, "the system random generator is not available");
  }
  return out;
}

Result<std::string> randomToken(size_t bytes) {
  VANTUS_TRY(std::string raw, randomBytes(bytes));
  return base64UrlEncode(raw);
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vantus::crypto
