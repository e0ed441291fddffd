// FleetService: one-time enrolment tokens, enrolment and node credentials.
#include <doctest/doctest.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "common/crypto/hash.h"
#include "common/log/log.h"
#include "controller/service/model_service.h"
#include "controller/store/store_access.h"
#include "tests/unit/controller/fleet/fleet_fixture.h"

namespace vantus::controller {
namespace {

using fleet_test::FleetFixture;
using fleet_test::must;
using fleet_test::newKey;
using fleet_test::operatorActor;
using fleet_test::operatorCaller;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("an enrolment token is a ve_ secret of a known cluster with a bounded lifetime") {
  FleetFixture f;
  const std::int64_t before = f.clock();
  EnrollmentToken token =
      must(f.fleet.createEnrollmentToken(operatorCaller(), "edge-a", std::chrono::minutes(30)));
  CHECK(token.token.starts_with("ve_"));
  CHECK(token.token.size() > 40);
  CHECK(token.cluster == "edge-a");
  CHECK(token.expires_at >= before + 30 * 60);
  CHECK(token.expires_at <= f.clock() + 30 * 60);

  EnrollmentToken other =
      must(f.fleet.createEnrollmentToken(operatorCaller(), "edge-a", std::chrono::minutes(30)));
  CHECK(other.token != token.token);

  for (std::chrono::seconds ttl :
       {std::chrono::seconds(0), std::chrono::seconds(59), std::chrono::seconds(-3600),
        std::chrono::seconds(7 * 24 * 3600 + 1)}) {
    CAPTURE(ttl.count());
    auto refused = f.fleet.createEnrollmentToken(operatorCaller(), "edge-a", ttl);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kInvalidInput);
    CHECK(refused.error().field == "ttl");
  }
  CHECK(f.fleet.createEnrollmentToken(operatorCaller(), "edge-a", std::chrono::seconds(60)));
  CHECK(f.fleet.createEnrollmentToken(operatorCaller(), "edge-a", std::chrono::hours(7 * 24)));

  auto unknown = f.fleet.createEnrollmentToken(operatorCaller(), "edge-zz", std::chrono::hours(1));
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::kNotFound);
  const std::vector<std::string> actions = f.auditActions();
  CHECK(std::count(actions.begin(), actions.end(), "enrollment_token.create") == 4);
}

TEST_CASE("a token enrols exactly one node and gives it a vn_ credential") {
  FleetFixture f;
  const std::string token = f.token();
  crypto::Ed25519PrivateKey key = newKey();
  Enrolled enrolled = must(f.fleet.enroll(token, "n1", key.publicKey().pem(), operatorActor()));
  CHECK(enrolled.node.name == "n1");
  CHECK(enrolled.node.cluster == "edge-a");
  CHECK(enrolled.node.cluster_id == f.cluster.id);
  CHECK(enrolled.node.public_key == key.publicKey().pem());
  CHECK_FALSE(enrolled.node.enrolled_at.empty());
  CHECK(enrolled.node.last_seen_unix == 0);
  CHECK(enrolled.credential.starts_with("vn_"));
  CHECK(enrolled.signing_keys_pem == std::vector<std::string>{f.signing_key.publicKey().pem()});

  auto again = f.fleet.enroll(token, "n2", newKey().publicKey().pem(), operatorActor());
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::kUnauthenticated);
  CHECK(contains(again.error().message, "new one"));
  auto same_name = f.fleet.enroll(token, "n1", key.publicKey().pem(), operatorActor());
  REQUIRE_FALSE(same_name);
  CHECK(same_name.error().code == ErrorCode::kUnauthenticated);
  CHECK(must(f.fleet.nodes(operatorCaller(), std::nullopt)).size() == 1);
}

TEST_CASE("unknown, malformed and expired tokens are refused alike") {
  FleetFixture f;
  const std::string pem = newKey().publicKey().pem();
  for (std::string bad : {std::string("ve_") + std::string(43, 'A'), std::string("vn_abc"),
                          std::string(), std::string("ve_")}) {
    CAPTURE(bad);
    auto refused = f.fleet.enroll(bad, "n1", pem, operatorActor());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kUnauthenticated);
  }

  // The store compares expires_at with the clock it was opened with (the fixture's); a
  // service whose clock runs two hours behind makes tokens that expired an hour ago.
  fleet_test::TestClock past;
  past.shift(-2 * 3600);
  FleetService lagging(*f.store, {f.signing_key.publicKey().pem()}, FleetFixture::kOfflineAfter,
                       past);
  EnrollmentToken stale =
      must(lagging.createEnrollmentToken(operatorCaller(), "edge-a", std::chrono::hours(1)));
  CHECK(stale.expires_at < fleet_test::realNow());
  for (FleetService* service : {&lagging, &f.fleet}) {
    auto expired = service->enroll(stale.token, "n1", pem, operatorActor());
    REQUIRE_FALSE(expired);
    CHECK(expired.error().code == ErrorCode::kUnauthenticated);
  }
  CHECK(must(f.fleet.nodes(operatorCaller(), std::nullopt)).empty());
}

TEST_CASE("a second node of the same name in a cluster is a conflict that spends no token") {
  FleetFixture f;
  f.enroll("n1");
  const std::string token = f.token();
  auto duplicate = f.fleet.enroll(token, "n1", newKey().publicKey().pem(), operatorActor());
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().code == ErrorCode::kConflict);
  CHECK(duplicate.error().field == "name");

  // The refusal rolled back: the token still works for another name.
  CHECK(f.fleet.enroll(token, "n2", newKey().publicKey().pem(), operatorActor()));

  // The same name in another cluster is another node.
  fleet_test::addCluster(*f.store, "edge-b");
  CHECK(f.enroll("n1", "edge-b").enrolled.node.cluster == "edge-b");
  CHECK(must(f.fleet.nodes(operatorCaller(), std::nullopt)).size() == 3);
  CHECK(must(f.fleet.nodes(operatorCaller(), std::string("edge-a"))).size() == 2);
}

TEST_CASE("a bad key or name is invalid input and leaves the token usable") {
  FleetFixture f;
  const std::string token = f.token();
  const std::string pem = newKey().publicKey().pem();
  std::string truncated = pem.substr(0, pem.size() / 2);
  const std::string rsa_like =
      "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC "
      "KEY-----\n";
  for (const std::string& bad_pem :
       {std::string(), std::string("not a key"), truncated, rsa_like, newKey().pem()}) {
    CAPTURE(bad_pem);
    auto refused = f.fleet.enroll(token, "n1", bad_pem, operatorActor());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kInvalidInput);
    CHECK(refused.error().field == "public_key");
  }
  const std::vector<std::string> bad_names = {
      "", "N 1", "-n1", "n1-", "n1/../x", std::string(64, 'n'), "n\u00e9"};
  for (const std::string& bad_name : bad_names) {
    CAPTURE(bad_name);
    auto refused = f.fleet.enroll(token, bad_name, pem, operatorActor());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kInvalidInput);
    CHECK(refused.error().field == "name");
  }
  CHECK(must(f.fleet.nodes(operatorCaller(), std::nullopt)).empty());
  CHECK(f.fleet.enroll(token, "n1", pem, operatorActor()));
}

TEST_CASE("the credential authenticates its node and nothing else does") {
  FleetFixture f;
  fleet_test::TestNode n1 = f.enroll("n1");
  fleet_test::TestNode n2 = f.enroll("n2");
  CHECK(n1.enrolled.credential != n2.enrolled.credential);

  for (int round = 0; round < 2; ++round) {  // the second round answers from the cache
    CAPTURE(round);
    EdgeNode found = must(f.fleet.authenticate(n1.enrolled.credential));
    CHECK(found.id == n1.enrolled.node.id);
    CHECK(found.name == "n1");
    CHECK(found.public_key == n1.key.publicKey().pem());
    CHECK(must(f.fleet.authenticate(n2.enrolled.credential)).name == "n2");
  }

  std::string flipped = n1.enrolled.credential;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  for (const std::string& wrong :
       {flipped, std::string("vn_") + std::string(43, 'A'), n1.enrolled.credential + "x",
        n1.enrolled.credential.substr(3), std::string(), std::string("vn_"),
        "vn_" + std::string(200, 'A'), f.token(), crypto::sha256Hex(n1.enrolled.credential)}) {
    CAPTURE(wrong);
    auto refused = f.fleet.authenticate(wrong);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kUnauthenticated);
  }
}

TEST_CASE("the database keeps only sha256 of tokens and credentials") {
  FleetFixture f;
  std::vector<std::string> lines;
  std::mutex lines_mutex;
  log::setLevel(log::Level::kDebug);
  log::setSink([&](std::string_view line) {
    std::lock_guard lock(lines_mutex);
    lines.emplace_back(line);
  });
  const std::string token = f.token();
  const std::string spare = f.token();
  crypto::Ed25519PrivateKey key = newKey();
  Enrolled enrolled = must(f.fleet.enroll(token, "n1", key.publicKey().pem(), operatorActor()));
  must(f.fleet.authenticate(enrolled.credential));
  log::setSink(nullptr);
  log::setLevel(log::Level::kError);

  CHECK(f.query("SELECT count(*) FROM enrollment_tokens WHERE token_hash = '" +
                crypto::sha256Hex(token) + "' AND used_at IS NOT NULL") == "1");
  CHECK(f.query("SELECT count(*) FROM enrollment_tokens WHERE token_hash = '" +
                crypto::sha256Hex(spare) + "' AND used_at IS NULL") == "1");
  CHECK(f.query("SELECT credential_hash FROM edge_nodes WHERE name = 'n1'") ==
        crypto::sha256Hex(enrolled.credential));

  const std::string dump = f.dumpDatabase();
  CHECK(contains(dump, "CREATE TABLE enrollment_tokens"));
  for (const std::string& secret : {token, spare, enrolled.credential}) {
    CHECK_FALSE(contains(dump, secret));
    CHECK_FALSE(contains(dump, secret.substr(3)));  // without the prefix either
  }
  std::lock_guard lock(lines_mutex);
  CHECK(std::any_of(lines.begin(), lines.end(),
                    [](const std::string& line) { return contains(line, "node.enrolled"); }));
  for (const std::string& line : lines) {
    CAPTURE(line);
    CHECK_FALSE(contains(line, enrolled.credential.substr(3)));
    CHECK_FALSE(contains(line, token.substr(3)));
  }
}

TEST_CASE("creating a token and enrolling each write an audit row without the secret") {
  FleetFixture f;
  const std::string token = f.token();
  crypto::Ed25519PrivateKey key = newKey();
  Enrolled enrolled = must(f.fleet.enroll(token, "n1", key.publicKey().pem(), operatorActor()));
  // A refused enrolment leaves no row.
  CHECK_FALSE(f.fleet.enroll(token, "n2", newKey().publicKey().pem(), operatorActor()));

  CHECK(f.auditActions() == std::vector<std::string>{"enrollment_token.create", "node.enroll"});
  std::vector<AuditEntry> rows = must(readValue<std::vector<AuditEntry>>(
      *f.store, [](Transaction& tx) { return tx.auditEntries(std::nullopt, 0, 10); }));
  REQUIRE(rows.size() == 2);
  const AuditEntry& enrol = rows[0];
  const AuditEntry& create = rows[1];
  CHECK(create.target == "edge_cluster:" + std::to_string(f.cluster.id));
  CHECK(create.actor.name == "ops@example.com");
  CHECK(create.after["cluster"] == "edge-a");
  CHECK(enrol.target == "edge_node:" + std::to_string(enrolled.node.id));
  CHECK(enrol.after["name"] == "n1");
  CHECK(enrol.after["cluster"] == "edge-a");
  CHECK(enrol.after["key"] == key.publicKey().fingerprint());
  for (const AuditEntry& row : rows) {
    const std::string text = row.after.dump() + row.before.dump();
    CHECK_FALSE(contains(text, token.substr(3)));
    CHECK_FALSE(contains(text, enrolled.credential.substr(3)));
  }
}

}  // namespace
}  // namespace vantus::controller
