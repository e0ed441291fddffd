#pragma once
// Self-signed TLS server certificates for places where only a well-formed certificate is
// needed (the pre-check sandbox, tests), never for serving real clients. Thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace vantus::crypto {

struct SelfSignedCertificate {
  std::string cert_pem;  // X.509 v3, "-----BEGIN CERTIFICATE-----"
  std::string key_pem;   // unencrypted PKCS#8, "-----BEGIN PRIVATE KEY-----"
};

// A fresh ECDSA P-256 key and a certificate signed with it (SHA-256): subject = issuer =
// CN=`common_name`, a random positive 127-bit serial, valid from five minutes ago (clock
// skew) for `days` days, basicConstraints CA:FALSE, keyUsage digitalSignature,
// extendedKeyUsage serverAuth and a subjectAltName with every name of `dns_names` ("*."
// wildcards allowed). kInvalidInput when the common name is empty, longer than 64 bytes or
// has control characters, a DNS name is not a hostname, or `days` is outside 1..3650.
Result<SelfSignedCertificate> makeSelfSignedCertificate(std::string_view common_name,
                                                        const std::vector<std::string>& dns_names,
                                                        int days);

}  // namespace vantus::crypto
