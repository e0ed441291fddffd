#include "common/crypto/sshsig.h"

#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"
#include "common/crypto/ssh_wire.h"

namespace vantus::crypto {

namespace {

constexpr std::string_view kMagic = "SSHSIG";
constexpr std::string_view kHashAlgorithm = "sha512";
constexpr std::string_view kBegin = "-----BEGIN SSH SIGNATURE-----";
constexpr std::string_view kEnd = "-----END SSH SIGNATURE-----";

std::string signedData(std::string_view ns, std::string_view message) {
  std::string data(kMagic);
  appendSshString(data, ns);
  appendSshString(data, "");
  appendSshString(data, kHashAlgorithm);
  appendSshString(data, sha512(message));
  return data;
}

}  // namespace

std::string sshsigSign(const Ed25519PrivateKey& key, std::string_view message,
                       std::string_view ns) {
  std::string signature_blob;
  appendSshString(signature_blob, "ssh-ed25519");
  appendSshString(signature_blob, key.sign(signedData(ns, message)));

  std::string blob(kMagic);
  appendSshUint32(blob, 1);
  appendSshString(blob, key.publicKey().sshBlob());
  appendSshString(blob, ns);
  appendSshString(blob, "");
  appendSshString(blob, kHashAlgorithm);
  appendSshString(blob, signature_blob);

  std::string encoded = base64Encode(blob);
  std::string armored(kBegin);
  armored += '\n';
  for (size_t i = 0; i < encoded.size(); i += 70) {
    armored += encoded.substr(i, 70);
    armored += '\n';
  }
  armored += kEnd;
  return armored;
}

Result<void> sshsigVerify(const Ed25519PublicKey& key, std::string_view armored,
                          std::string_view message, std::string_view ns) {
  size_t begin = armored.find(kBegin);
  size_t end = armored.find(kEnd);
  if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
    return fail(ErrorCode::kVerificationFailed, "not an armored SSH signature");
  }
  std::string encoded;
  for (char c : armored.substr(begin + kBegin.size(), end - begin - kBegin.size())) {
    if (c != '\n' && c != '\r' && c != ' ') {
      encoded.push_back(c);
    }
  }
  VANTUS_TRY(std::string blob, base64Decode(encoded));
  if (blob.compare(0, kMagic.size(), kMagic) != 0 || blob.size() < kMagic.size() + 4) {
    return fail(ErrorCode::kVerificationFailed, "SSH signature has no SSHSIG magic");
  }
  std::string_view rest(blob);
  rest.remove_prefix(kMagic.size() + 4);  // magic + version
  SshWireReader reader(rest);
  VANTUS_TRY(std::string_view public_key, reader.readString());
  VANTUS_TRY(std::string_view signed_ns, reader.readString());
  VANTUS_TRY(std::string_view reserved, reader.readString());
  VANTUS_TRY(std::string_view hash_algorithm, reader.readString());
  VANTUS_TRY(std::string_view signature_blob, reader.readString());
  (void)reserved;
  if (public_key != key.sshBlob() || signed_ns != ns || hash_algorithm != kHashAlgorithm) {
    return fail(ErrorCode::kVerificationFailed, "SSH signature is for another key or namespace");
  }
  SshWireReader signature_reader(signature_blob);
  VANTUS_TRY(std::string_view type, signature_reader.readString());
  VANTUS_TRY(std::string_view signature, signature_reader.readString());
  if (type != "ssh-ed25519" || !key.verify(signedData(ns, message), signature)) {
    return fail(ErrorCode::kVerificationFailed, "SSH signature does not verify");
  }
  return ok();
}

}  // namespace vantus::crypto
