#pragma once
// DSSE envelopes (github.com/secure-systems-lab/dsse, v1): a payload, its type and
// Ed25519 signatures over PAE(type, payload). Bytes travel in std::string; the JSON form
// base64-encodes payload and signatures (standard alphabet, padded). Pure functions, safe
// from any thread.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/crypto/ed25519.h"
#include "common/release/keyring.h"

namespace vantus::release {

inline constexpr std::string_view kManifestPayloadType = "application/vnd.vantus.manifest+json";
// More signatures than this is an attempt to make the verifier work, not a rotation.
inline constexpr size_t kMaxEnvelopeSignatures = 8;

struct DsseSignature {
  std::string keyid;  // the signer's fingerprint, "SHA256:…"
  std::string sig;    // raw signature bytes (64 for Ed25519)
};

struct DsseEnvelope {
  std::string payload_type;
  std::string payload;  // raw bytes
  std::vector<DsseSignature> signatures;
};

// "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN in ASCII decimal bytes.
std::string dssePae(std::string_view type, std::string_view body);

DsseEnvelope dsseSign(std::string_view type, std::string body,
                      const crypto::Ed25519PrivateKey& key);

// {"payload":…,"payloadType":…,"signatures":[{"keyid":…,"sig":…}]}, keys sorted, no
// whitespace.
std::string encodeEnvelope(const DsseEnvelope& envelope);
// Strict: exactly those fields (keyid required), strings where strings belong, valid
// base64. kInvalidInput. Checks no signature.
Result<DsseEnvelope> decodeEnvelope(std::string_view json);

// Succeeds when at least one signature is by a key in `keyring` and verifies, and returns
// the fingerprints of the keys that signed (each once). Signatures whose keyid is not in
// the keyring are ignored (another verifier may trust them); a signature whose keyid IS in
// the keyring but does not verify fails the whole envelope, since only a forger or a
// corrupted envelope produces one. Fails on an empty keyring ("no trusted keys") and on
// more than kMaxEnvelopeSignatures signatures. kVerificationFailed.
Result<std::vector<std::string>> dsseVerify(const DsseEnvelope& envelope, const Keyring& keyring);

}  // namespace vantus::release
