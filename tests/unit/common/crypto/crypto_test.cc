#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>

#include "common/core/files.h"
#include "common/crypto/ed25519.h"
#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"
#include "common/crypto/sshsig.h"
#include "tests/support/temp_dir.h"

namespace vantus::crypto {
namespace {

using testing::TempDir;

TEST_CASE("SHA-256 and HMAC match the published test vectors") {
  CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  CHECK(hexEncode(hmacSha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  Sha256Hasher hasher;
  hasher.update("a");
  hasher.update("bc");
  CHECK(hasher.finishHex() == sha256Hex("abc"));
}

TEST_CASE("encodings round-trip and reject garbage") {
  const std::string bytes("\x00\xff\x10 binary", 10);
  CHECK(*hexDecode(hexEncode(bytes)) == bytes);
  CHECK(*base64Decode(base64Encode(bytes)) == bytes);
  CHECK(*base64Decode(base64Encode("ab")) == "ab");
  CHECK_FALSE(hexDecode("abc"));
  CHECK_FALSE(hexDecode("zz"));
  CHECK_FALSE(base64Decode("abc"));
  CHECK_FALSE(base64Decode("ab$="));
  CHECK(base64UrlEncode("\xfb\xff") == "-_8");
}

TEST_CASE("random tokens are long and distinct; constant-time compare is exact") {
  auto a = randomToken(32);
  auto b = randomToken(32);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->size() == 43);
  CHECK(*a != *b);
  CHECK(constantTimeEquals("same", "same"));
  CHECK_FALSE(constantTimeEquals("same", "sane"));
  CHECK_FALSE(constantTimeEquals("same", "same!"));
}

TEST_CASE("Ed25519 signs and verifies; a changed message or signature fails") {
  auto key = Ed25519PrivateKey::generate();
  REQUIRE(key);
  std::string signature = key->sign("release 7");
  CHECK(signature.size() == kEd25519SignatureSize);
  CHECK(key->publicKey().verify("release 7", signature));
  CHECK_FALSE(key->publicKey().verify("release 8", signature));
  signature[0] ^= 1;
  CHECK_FALSE(key->publicKey().verify("release 7", signature));
  CHECK_FALSE(key->publicKey().verify("release 7", "short"));
}

TEST_CASE("weak public keys are refused: all-zero, identity, small order, wrong size") {
  CHECK_FALSE(Ed25519PublicKey::fromRaw(std::string(32, '\0')));
  std::string identity(32, '\0');
  identity[0] = 1;
  CHECK_FALSE(Ed25519PublicKey::fromRaw(identity));
  std::string identity_negative = identity;
  identity_negative[31] = static_cast<char>(0x80);
  CHECK_FALSE(Ed25519PublicKey::fromRaw(identity_negative));
  CHECK_FALSE(Ed25519PublicKey::fromRaw(std::string(31, 'x')));
  auto error = Ed25519PublicKey::fromRaw(std::string(32, '\0')).error();
  CHECK(error.message.find("small-order") != std::string::npos);
}

TEST_CASE(
    "keys survive PEM and SSH encodings; the private key file is 0600 and never overwritten") {
  TempDir dir;
  auto key = Ed25519PrivateKey::generate();
  REQUIRE(key);
  REQUIRE(key->savePem(dir / "signing.key"));
  struct stat info {};
  REQUIRE(::stat((dir / "signing.key").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(key->savePem(dir / "signing.key").error().code == ErrorCode::kAlreadyExists);

  auto loaded = Ed25519PrivateKey::loadPem(dir / "signing.key");
  REQUIRE(loaded);
  CHECK(loaded->publicKey().raw() == key->publicKey().raw());
  auto from_pem = Ed25519PublicKey::fromPem(key->publicKey().pem());
  REQUIRE(from_pem);
  CHECK(from_pem->raw() == key->publicKey().raw());
  auto from_ssh = Ed25519PublicKey::fromSshAuthorizedKey(key->publicKey().sshAuthorizedKey("me"));
  REQUIRE(from_ssh);
  CHECK(from_ssh->fingerprint() == key->publicKey().fingerprint());
  CHECK(key->publicKey().fingerprint().rfind("SHA256:", 0) == 0);
  CHECK_FALSE(Ed25519PrivateKey::fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n"));
  CHECK_FALSE(Ed25519PublicKey::fromSshAuthorizedKey("ssh-rsa AAAAB3Nza"));
}

TEST_CASE("the fingerprint equals ssh-keygen's, and SSHSIG signatures pass ssh-keygen -Y verify") {
  TempDir dir;
  auto key = Ed25519PrivateKey::generate();
  REQUIRE(key);
  const std::string line = key->publicKey().sshAuthorizedKey("vantus");
  REQUIRE(writeFileAtomically(dir / "key.pub", line + "\n"));
  auto listed = testing::runCommand("ssh-keygen -lf " + (dir / "key.pub"));
  if (listed.exit_code == 127) {
    MESSAGE("ssh-keygen not installed; skipping the cross-check");
    return;
  }
  CHECK(listed.output.find(key->publicKey().fingerprint()) != std::string::npos);

  const std::string message = "tree 0123\nauthor someone\n\nsubject\n";
  const std::string armored = sshsigSign(*key, message, "git");
  CHECK(sshsigVerify(key->publicKey(), armored, message, "git"));
  CHECK_FALSE(sshsigVerify(key->publicKey(), armored, message + "x", "git"));
  CHECK_FALSE(sshsigVerify(key->publicKey(), armored, message, "file"));

  REQUIRE(writeFileAtomically(dir / "signers", "vantus namespaces=\"git\" " + line + "\n"));
  REQUIRE(writeFileAtomically(dir / "message", message));
  REQUIRE(writeFileAtomically(dir / "message.sig", armored + "\n"));
  auto verified =
      testing::runCommand("ssh-keygen -Y verify -f " + (dir / "signers") + " -I vantus -n git -s " +
                          (dir / "message.sig") + " < " + (dir / "message"));
  INFO(verified.output);
  CHECK(verified.exit_code == 0);
}

TEST_CASE("atomic writes replace content whole; readFile enforces its size cap") {
  TempDir dir;
  REQUIRE(writeFileAtomically(dir / "state.json", "one"));
  REQUIRE(writeFileAtomically(dir / "state.json", "two"));
  CHECK(*readFile(dir / "state.json") == "two");
  CHECK(readFile(dir / "state.json", 2).error().code == ErrorCode::kTooLarge);
  CHECK(readFile(dir / "absent").error().code == ErrorCode::kNotFound);
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                      std::filesystem::directory_iterator()) == 1);
}

}  // namespace
}  // namespace vantus::crypto
