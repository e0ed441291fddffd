#include "common/crypto/ed25519.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <array>

#include "common/core/files.h"
#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"
#include "common/crypto/ssh_wire.h"

namespace vantus::crypto {

namespace {

using Bytes32 = std::array<unsigned char, 32>;

// Encodings of the points of small order (and their non-canonical twins): a public key
// equal to one of these lets signatures verify without the private key.
constexpr std::array<Bytes32, 7> kSmallOrderPoints = {{
    {0x00},
    {0x01},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
}};

bool isSmallOrder(std::string_view raw) {
  // The sign bit (top bit of the last byte) selects x's sign; both signs are weak.
  Bytes32 candidate{};
  std::copy(raw.begin(), raw.end(), candidate.begin());
  candidate[31] &= 0x7f;
  return std::any_of(kSmallOrderPoints.begin(), kSmallOrderPoints.end(),
                     [&](const Bytes32& weak) { return weak == candidate; });
}

std::shared_ptr<EVP_PKEY> own(EVP_PKEY* key) { return {key, &EVP_PKEY_free}; }

using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

BioPtr memoryBio(std::string_view text) {
  return {BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), &BIO_free};
}

std::string bioContents(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(length));
}

Result<std::string> rawPublic(EVP_PKEY* key) {
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    return fail(ErrorCode::kInvalidInput, "key is not an Ed25519 key");
  }
  std::string raw(kEd25519PublicKeySize, '\0');
  size_t length = raw.size();
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &length) !=
          1 ||
      length != kEd25519PublicKeySize) {
    return fail(ErrorCode::kInvalidInput, "cannot read the Ed25519 public key");
  }
  return raw;
}

}  // namespace

Result<Ed25519PublicKey> Ed25519PublicKey::fromRaw(std::string_view raw) {
  if (raw.size() != kEd25519PublicKeySize) {
    return fail(ErrorCode::kInvalidInput, "an Ed25519 public key is 32 bytes");
  }
  if (isSmallOrder(raw)) {
    return fail(ErrorCode::kInvalidInput, "the Ed25519 public key is a weak (small-order) point");
  }
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (key == nullptr) {
    return fail(ErrorCode::kInvalidInput, "malformed Ed25519 public key");
  }
  return Ed25519PublicKey(std::string(raw), own(key));
}

Result<Ed25519PublicKey> Ed25519PublicKey::fromPem(std::string_view pem) {
  auto bio = memoryBio(pem);
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    return fail(ErrorCode::kInvalidInput, "not a PEM public key");
  }
  auto owned = own(key);
  VANTUS_TRY(std::string raw, rawPublic(key));
  return fromRaw(raw);
}

Result<Ed25519PublicKey> Ed25519PublicKey::fromSshAuthorizedKey(std::string_view line) {
  constexpr std::string_view kType = "ssh-ed25519";
  if (line.substr(0, kType.size() + 1) != "ssh-ed25519 ") {
    return fail(ErrorCode::kInvalidInput, "not an ssh-ed25519 public key line");
  }
  std::string_view rest = line.substr(kType.size() + 1);
  std::string_view encoded = rest.substr(0, rest.find(' '));
  VANTUS_TRY(std::string blob, base64Decode(encoded));
  SshWireReader reader(blob);
  VANTUS_TRY(std::string_view type, reader.readString());
  VANTUS_TRY(std::string_view raw, reader.readString());
  if (type != kType || !reader.atEnd()) {
    return fail(ErrorCode::kInvalidInput, "malformed ssh-ed25519 key blob");
  }
  return fromRaw(raw);
}

Result<Ed25519PublicKey> Ed25519PublicKey::loadPem(const std::string& path) {
  VANTUS_TRY(std::string pem, readFile(path, 16 * 1024));
  auto key = fromPem(pem);
  if (!key) {
    return fail(ErrorCode::kInvalidInput, path + ": " + key.error().message);
  }
  return key;
}

std::string Ed25519PublicKey::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  return bioContents(bio.get());
}

std::string Ed25519PublicKey::sshBlob() const {
  std::string blob;
  appendSshString(blob, "ssh-ed25519");
  appendSshString(blob, raw_);
  return blob;
}

std::string Ed25519PublicKey::sshAuthorizedKey(std::string_view comment) const {
  std::string line = "ssh-ed25519 " + base64Encode(sshBlob());
  if (!comment.empty()) {
    line += " ";
    line += comment;
  }
  return line;
}

std::string Ed25519PublicKey::fingerprint() const {
  std::string encoded = base64Encode(sha256(sshBlob()));
  while (!encoded.empty() && encoded.back() == '=') {
    encoded.pop_back();
  }
  return "SHA256:" + encoded;
}

bool Ed25519PublicKey::verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != kEd25519SignatureSize) {
    return false;
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  &EVP_MD_CTX_free);
  if (!context || EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key_.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr) {
    return fail(ErrorCode::kUnavailable, "cannot generate an Ed25519 key");
  }
  auto owned = own(key);
  VANTUS_TRY(std::string raw, rawPublic(key));
  VANTUS_TRY(Ed25519PublicKey public_key, Ed25519PublicKey::fromRaw(raw));
  return Ed25519PrivateKey(owned, std::move(public_key));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::fromPem(std::string_view pem) {
  auto bio = memoryBio(pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    return fail(ErrorCode::kInvalidInput, "not a PEM private key");
  }
  auto owned = own(key);
  VANTUS_TRY(std::string raw, rawPublic(key));
  std::string secret(32, '\0');
  size_t length = secret.size();
  EVP_PKEY_get_raw_private_key(key, reinterpret_cast<unsigned char*>(secret.data()), &length);
  bool all_zero = std::all_of(secret.begin(), secret.end(), [](char c) { return c == 0; });
  OPENSSL_cleanse(secret.data(), secret.size());
  if (all_zero) {
    return fail(ErrorCode::kInvalidInput, "the Ed25519 private key is all zeros");
  }
  VANTUS_TRY(Ed25519PublicKey public_key, Ed25519PublicKey::fromRaw(raw));
  return Ed25519PrivateKey(owned, std::move(public_key));
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::loadPem(const std::string& path) {
  VANTUS_TRY(std::string pem, readFile(path, 16 * 1024));
  auto key = fromPem(pem);
  OPENSSL_cleanse(pem.data(), pem.size());
  if (!key) {
    return fail(ErrorCode::kInvalidInput, path + ": " + key.error().message);
  }
  return key;
}

std::string Ed25519PrivateKey::pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return bioContents(bio.get());
}

Result<void> Ed25519PrivateKey::savePem(const std::string& path) const {
  std::string text = pem();
  auto saved = writeNewFile(path, text, 0600);
  OPENSSL_cleanse(text.data(), text.size());
  return saved;
}

std::string Ed25519PrivateKey::sign(std::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  &EVP_MD_CTX_free);
  std::string signature(kEd25519SignatureSize, '\0');
  size_t length = signature.size();
  if (!context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    abortOnBrokenInvariant("Ed25519 signing failed");
  }
  return signature;
}

}  // namespace vantus::crypto
