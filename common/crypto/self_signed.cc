#include "common/crypto/self_signed.h"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <functional>
#include <memory>

#include "common/crypto/hash.h"

namespace vantus::crypto {

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* handle) const { Free(handle); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

struct GeneralNamesFree {
  void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
};
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, GeneralNamesFree>;

constexpr int kMaxDays = 3650;
constexpr size_t kMaxCommonName = 64;  // ub_common_name (RFC 5280)

Unexpected opensslError(std::string_view what) {
  return fail(ErrorCode::kInternal, fmt::format("OpenSSL could not {}", what));
}

bool isLabel(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
    return false;
  }
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool isDnsName(std::string_view name) {
  if (name.starts_with("*.")) {
    name.remove_prefix(2);
  }
  if (name.empty() || name.size() > 253) {
    return false;
  }
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    if (!isLabel(name.substr(start, dot == std::string_view::npos ? dot : dot - start))) {
      return false;
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    start = dot + 1;
  }
}

Result<void> validate(std::string_view common_name, const std::vector<std::string>& dns_names,
                      int days) {
  bool printable = std::all_of(common_name.begin(), common_name.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte != 0x7f;
  });
  if (common_name.empty() || common_name.size() > kMaxCommonName || !printable) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("{:?} is not 1..64 bytes without control characters", common_name),
                "common_name");
  }
  for (const std::string& name : dns_names) {
    if (!isDnsName(name)) {
      return fail(ErrorCode::kInvalidInput, fmt::format("{:?} is not a hostname", name),
                  "dns_names");
    }
  }
  if (days < 1 || days > kMaxDays) {
    return fail(ErrorCode::kInvalidInput, fmt::format("{} is not in 1..{}", days, kMaxDays),
                "days");
  }
  return ok();
}

Result<void> setRandomSerial(X509* cert) {
  VANTUS_TRY(std::string bytes, randomBytes(16));
  bytes[0] = static_cast<char>(bytes[0] & 0x7f);  // serials are positive (RFC 5280 4.1.2.2)
  BignumPtr serial(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr));
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) == nullptr) {
    return opensslError("set the serial number");
  }
  return ok();
}

Result<void> addSubjectAltName(X509* cert, const std::vector<std::string>& dns_names) {
  GeneralNamesPtr names(GENERAL_NAMES_new());
  if (!names) {
    return opensslError("allocate subjectAltName");
  }
  for (const std::string& dns : dns_names) {
    GENERAL_NAME* name = GENERAL_NAME_new();
    ASN1_IA5STRING* text = ASN1_IA5STRING_new();
    if (name == nullptr || text == nullptr ||
        ASN1_STRING_set(text, dns.data(), static_cast<int>(dns.size())) != 1) {
      GENERAL_NAME_free(name);
      ASN1_IA5STRING_free(text);
      return opensslError("encode a DNS name");
    }
    GENERAL_NAME_set0_value(name, GEN_DNS, text);
    if (sk_GENERAL_NAME_push(names.get(), name) == 0) {
      GENERAL_NAME_free(name);
      return opensslError("add a DNS name");
    }
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return opensslError("add subjectAltName");
  }
  return ok();
}

// Fixed extension values only: nothing from the caller goes through OpenSSL's config syntax.
Result<void> addExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    return opensslError(fmt::format("add the {} extension", OBJ_nid2sn(nid)));
  }
  return ok();
}

Result<std::string> toPem(const std::function<int(BIO*)>& write) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) {
    return opensslError("write PEM");
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

}  // namespace

Result<SelfSignedCertificate> makeSelfSignedCertificate(std::string_view common_name,
                                                        const std::vector<std::string>& dns_names,
                                                        int days) {
  VANTUS_TRY_VOID(validate(common_name, dns_names, days));
  KeyPtr key(EVP_EC_gen("P-256"));
  CertPtr cert(X509_new());
  if (!key || !cert) {
    return opensslError("generate a P-256 key");
  }
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return opensslError("set the certificate version");
  }
  VANTUS_TRY_VOID(setRandomSerial(cert.get()));
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, nullptr) == nullptr) {
    return opensslError("set the validity period");
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), subject) != 1 ||
      X509_set_pubkey(cert.get(), key.get()) != 1) {
    return opensslError("set the subject");
  }
  VANTUS_TRY_VOID(addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  VANTUS_TRY_VOID(addExtension(cert.get(), NID_key_usage, "critical,digitalSignature"));
  VANTUS_TRY_VOID(addExtension(cert.get(), NID_ext_key_usage, "serverAuth"));
  VANTUS_TRY_VOID(addExtension(cert.get(), NID_subject_key_identifier, "hash"));
  if (!dns_names.empty()) {
    VANTUS_TRY_VOID(addSubjectAltName(cert.get(), dns_names));
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    return opensslError("sign the certificate");
  }
  SelfSignedCertificate result;
  VANTUS_TRY(result.cert_pem, toPem([&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); }));
  VANTUS_TRY(result.key_pem, toPem([&](BIO* bio) {
               return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr,
                                               nullptr);
             }));
  return result;
}

}  // namespace vantus::crypto
