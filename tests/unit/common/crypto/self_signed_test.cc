#include "common/crypto/self_signed.h"

#include <doctest/doctest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "common/core/files.h"
#include "tests/support/temp_dir.h"

namespace vantus::crypto {
namespace {

struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using CertPtr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;

CertPtr parseCert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  CertPtr cert(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return cert;
}

KeyPtr parseKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  KeyPtr key(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return key;
}

std::vector<std::string> dnsNames(X509* cert) {
  std::vector<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) {
    return out;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* text = name->d.dNSName;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                       ASN1_STRING_length(text));
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

std::string commonName(X509* cert) {
  char buffer[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buffer, sizeof buffer);
  return buffer;
}

TEST_CASE("a self-signed certificate parses back with its names, key and validity") {
  auto made = makeSelfSignedCertificate("edge test", {"example.com", "*.example.com"}, 30);
  REQUIRE_MESSAGE(made.has_value(), (made ? "" : made.error().describe()));
  CHECK(made->cert_pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
  CHECK(made->key_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));

  CertPtr cert = parseCert(made->cert_pem);
  KeyPtr key = parseKey(made->key_pem);
  REQUIRE(cert);
  REQUIRE(key);
  CHECK(X509_check_private_key(cert.get(), key.get()) == 1);
  CHECK(EVP_PKEY_is_a(key.get(), "EC"));
  CHECK(EVP_PKEY_get_bits(key.get()) == 256);
  CHECK(X509_get_version(cert.get()) == X509_VERSION_3);
  CHECK(commonName(cert.get()) == "edge test");
  CHECK(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())) == 0);
  // Self-signed: the certificate's own key verifies its signature.
  CHECK(X509_verify(cert.get(), key.get()) == 1);
  CHECK(dnsNames(cert.get()) == std::vector<std::string>{"example.com", "*.example.com"});
  CHECK(X509_check_host(cert.get(), "www.example.com", 0, 0, nullptr) == 1);
  CHECK(X509_check_host(cert.get(), "other.test", 0, 0, nullptr) == 0);
  CHECK(X509_check_ca(cert.get()) == 0);

  std::time_t now = std::time(nullptr);
  std::time_t in_29_days = now + 29 * 24 * 3600;
  std::time_t in_31_days = now + 31 * 24 * 3600;
  CHECK(X509_cmp_time(X509_get0_notBefore(cert.get()), &now) < 0);
  CHECK(X509_cmp_time(X509_get0_notAfter(cert.get()), &in_29_days) > 0);
  CHECK(X509_cmp_time(X509_get0_notAfter(cert.get()), &in_31_days) < 0);
}

TEST_CASE("each call makes a new key and serial") {
  auto first = makeSelfSignedCertificate("a", {"a.test"}, 1);
  auto second = makeSelfSignedCertificate("a", {"a.test"}, 1);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->key_pem != second->key_pem);
  CertPtr a = parseCert(first->cert_pem);
  CertPtr b = parseCert(second->cert_pem);
  CHECK(ASN1_INTEGER_cmp(X509_get0_serialNumber(a.get()), X509_get0_serialNumber(b.get())) != 0);
}

TEST_CASE("the openssl command line reads the certificate") {
  auto made = makeSelfSignedCertificate("vantus", {"*.wild.example", "host.example"}, 2);
  REQUIRE(made);
  testing::TempDir dir;
  REQUIRE(writeFileAtomically(dir / "cert.pem", made->cert_pem));
  auto text = testing::runCommand("openssl x509 -noout -text -in " + (dir / "cert.pem"));
  REQUIRE_MESSAGE(text.exit_code == 0, text.output);
  CHECK(text.output.find("DNS:*.wild.example, DNS:host.example") != std::string::npos);
  CHECK(text.output.find("Subject: CN = vantus") != std::string::npos);
  CHECK(text.output.find("prime256v1") != std::string::npos);
  CHECK(text.output.find("TLS Web Server Authentication") != std::string::npos);
}

TEST_CASE("bad names and lifetimes are refused") {
  auto refused = [](std::string_view cn, std::vector<std::string> names, int days) {
    auto made = makeSelfSignedCertificate(cn, names, days);
    REQUIRE_FALSE(made.has_value());
    CHECK(made.error().code == ErrorCode::kInvalidInput);
    return made.error().field;
  };
  CHECK(refused("", {}, 1) == "common_name");
  CHECK(refused(std::string(65, 'a'), {}, 1) == "common_name");
  CHECK(refused("a\nb", {}, 1) == "common_name");
  CHECK(refused("ok", {"a,DNS:evil.example"}, 1) == "dns_names");
  CHECK(refused("ok", {"*"}, 1) == "dns_names");
  CHECK(refused("ok", {"a..b"}, 1) == "dns_names");
  CHECK(refused("ok", {"-a.example"}, 1) == "dns_names");
  CHECK(refused("ok", {"a.*.example"}, 1) == "dns_names");
  CHECK(refused("ok", {"example.com"}, 0) == "days");
  CHECK(refused("ok", {"example.com"}, 3651) == "days");
}

}  // namespace
}  // namespace vantus::crypto
