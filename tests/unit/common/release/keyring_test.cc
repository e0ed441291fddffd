#include "common/release/keyring.h"

#include <doctest/doctest.h>

#include "common/core/files.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/common/release/release_fixture.h"

namespace vantus::release {
namespace {

using testing::newKey;

TEST_CASE("a keyring finds its keys by fingerprint") {
  const auto first = newKey();
  const auto second = newKey();
  auto keyring = Keyring::fromKeys({first.publicKey(), second.publicKey()});
  REQUIRE(keyring);
  CHECK(keyring->size() == 2);
  const crypto::Ed25519PublicKey* found = keyring->find(second.publicKey().fingerprint());
  REQUIRE(found != nullptr);
  CHECK(found->raw() == second.publicKey().raw());
  CHECK(keyring->find(newKey().publicKey().fingerprint()) == nullptr);
  CHECK(keyring->find("") == nullptr);
  CHECK(keyring->fingerprints() == std::vector<std::string>{first.publicKey().fingerprint(),
                                                            second.publicKey().fingerprint()});
}

TEST_CASE("a keyring refuses a duplicate key and more than kMaxKeys") {
  Keyring keyring;
  CHECK(keyring.empty());
  const auto key = newKey();
  REQUIRE(keyring.add(key.publicKey()));
  auto duplicate = keyring.add(key.publicKey());
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().code == ErrorCode::kAlreadyExists);
  while (keyring.size() < Keyring::kMaxKeys) {
    REQUIRE(keyring.add(newKey().publicKey()));
  }
  auto overfull = keyring.add(newKey().publicKey());
  REQUIRE_FALSE(overfull);
  CHECK(overfull.error().message == "a keyring holds at most 4 keys");
}

TEST_CASE("an all-zero public key cannot enter a keyring") {
  // The keyring only holds Ed25519PublicKey, which refuses small-order points.
  CHECK_FALSE(crypto::Ed25519PublicKey::fromRaw(std::string(32, '\0')));
}

TEST_CASE("a keyring loads PEM files and names the one it cannot use") {
  vantus::testing::TempDir dir;
  const auto old_key = newKey();
  const auto new_key = newKey();
  REQUIRE(writeNewFile(dir / "old.pem", old_key.publicKey().pem(), 0644));
  REQUIRE(writeNewFile(dir / "new.pem", new_key.publicKey().pem(), 0644));
  REQUIRE(writeNewFile(dir / "junk.pem", "not a key", 0644));

  auto keyring = Keyring::fromPemFiles({dir / "old.pem", dir / "new.pem"});
  REQUIRE(keyring);
  CHECK(keyring->find(old_key.publicKey().fingerprint()) != nullptr);
  CHECK(keyring->find(new_key.publicKey().fingerprint()) != nullptr);

  auto junk = Keyring::fromPemFiles({dir / "old.pem", dir / "junk.pem"});
  REQUIRE_FALSE(junk);
  CHECK(junk.error().message.find("junk.pem") != std::string::npos);
  CHECK_FALSE(Keyring::fromPemFiles({dir / "missing.pem"}));

  auto twice = Keyring::fromPemFiles({dir / "old.pem", dir / "old.pem"});
  REQUIRE_FALSE(twice);
  CHECK(twice.error().code == ErrorCode::kAlreadyExists);
}

}  // namespace
}  // namespace vantus::release
