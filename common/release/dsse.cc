#include "common/release/dsse.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/crypto/encoding.h"
#include "common/json/json_reader.h"
#include "common/release/envelope_json.h"

namespace vantus::release {

std::string dssePae(std::string_view type, std::string_view body) {
  return fmt::format("DSSEv1 {} {} {} {}", type.size(), type, body.size(), body);
}

DsseEnvelope dsseSign(std::string_view type, std::string body,
                      const crypto::Ed25519PrivateKey& key) {
  DsseEnvelope envelope;
  envelope.payload_type = std::string(type);
  envelope.signatures.push_back(
      DsseSignature{key.publicKey().fingerprint(), key.sign(dssePae(type, body))});
  envelope.payload = std::move(body);
  return envelope;
}

namespace internal {

nlohmann::json envelopeToJson(const DsseEnvelope& envelope) {
  nlohmann::json signatures = nlohmann::json::array();
  for (const DsseSignature& signature : envelope.signatures) {
    signatures.push_back(
        {{"keyid", signature.keyid}, {"sig", crypto::base64Encode(signature.sig)}});
  }
  return {{"payload", crypto::base64Encode(envelope.payload)},
          {"payloadType", envelope.payload_type},
          {"signatures", std::move(signatures)}};
}

Result<DsseEnvelope> envelopeFromJson(const nlohmann::json& value, std::string_view what) {
  VANTUS_TRY(
      json::ObjectReader fields,
      json::ObjectReader::open(value, std::string(what), {"payload", "payloadType", "signatures"},
                               json::Wording::kDocument));
  VANTUS_TRY_VOID(fields.requireAll());
  VANTUS_TRY(const std::string* payload, fields.stringRef("payload"));
  VANTUS_TRY(const std::string* payload_type, fields.stringRef("payloadType"));
  VANTUS_TRY(const nlohmann::json* signatures, fields.requiredArray("signatures"));
  DsseEnvelope envelope;
  auto decoded = crypto::base64Decode(*payload);
  if (!decoded) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{}.payload: {}", what, decoded.error().message), "payload");
  }
  envelope.payload = std::move(decoded).value();
  envelope.payload_type = *payload_type;
  for (size_t i = 0; i < signatures->size(); ++i) {
    const std::string where = fmt::format("{}.signatures[{}]", what, i);
    const nlohmann::json& entry = (*signatures)[i];
    VANTUS_TRY(json::ObjectReader signature,
               json::ObjectReader::open(entry, where, {"keyid", "sig"}, json::Wording::kDocument));
    VANTUS_TRY_VOID(signature.requireAll());
    VANTUS_TRY(const std::string* keyid, signature.stringRef("keyid"));
    VANTUS_TRY(const std::string* sig, signature.stringRef("sig"));
    auto raw = crypto::base64Decode(*sig);
    if (!raw) {
      return fail(ErrorCode::kInvalidInput, fmt::format("{}.sig: {}", where, raw.error().message),
                  "sig");
    }
    envelope.signatures.push_back(DsseSignature{*keyid, std::move(raw).value()});
  }
  return envelope;
}

}  // namespace internal

std::string encodeEnvelope(const DsseEnvelope& envelope) {
  return json::dumpCompact(internal::envelopeToJson(envelope));
}

Result<DsseEnvelope> decodeEnvelope(std::string_view text) {
  VANTUS_TRY(nlohmann::json value, json::parse(text, "envelope"));
  return internal::envelopeFromJson(value, "envelope");
}

Result<std::vector<std::string>> dsseVerify(const DsseEnvelope& envelope, const Keyring& keyring) {
  if (keyring.empty()) {
    return fail(ErrorCode::kVerificationFailed, "no trusted keys");
  }
  if (envelope.signatures.empty()) {
    return fail(ErrorCode::kVerificationFailed, "envelope has no signatures");
  }
  if (envelope.signatures.size() > kMaxEnvelopeSignatures) {
    return fail(ErrorCode::kVerificationFailed,
                fmt::format("envelope has {} signatures, more than the {} allowed",
                            envelope.signatures.size(), kMaxEnvelopeSignatures));
  }
  const std::string pae = dssePae(envelope.payload_type, envelope.payload);
  std::vector<std::string> signers;
  for (const DsseSignature& signature : envelope.signatures) {
    const crypto::Ed25519PublicKey* key = keyring.find(signature.keyid);
    if (key == nullptr) {
      continue;
    }
    if (!key->verify(pae, signature.sig)) {
      return fail(ErrorCode::kVerificationFailed,
                  fmt::format("signature by trusted key {} does not verify", signature.keyid));
    }
    if (std::find(signers.begin(), signers.end(), signature.keyid) == signers.end()) {
      signers.push_back(signature.keyid);
    }
  }
  if (signers.empty()) {
    std::vector<std::string> keyids;
    for (const DsseSignature& signature : envelope.signatures) {
      // The keyids are untrusted input: keep the message short whatever they hold.
      keyids.push_back(fmt::format("{:?}", signature.keyid.substr(0, 64)));
    }
    return fail(ErrorCode::kVerificationFailed,
                fmt::format("no signature by a trusted key (signed by {}; trusted: {})",
                            fmt::join(keyids, ", "), fmt::join(keyring.fingerprints(), ", ")));
  }
  return signers;
}

}  // namespace vantus::release
