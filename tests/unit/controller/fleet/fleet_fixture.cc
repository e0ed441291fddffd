#include "tests/unit/controller/fleet/fleet_fixture.h"

#include <chrono>

#include "common/log/log.h"
#include "controller/service/model_service.h"
#include "controller/store/store_access.h"

namespace vantus::controller::fleet_test {
namespace {

std::unique_ptr<Store> openStore(const std::filesystem::path& db_path, const TestClock& clock) {
  // "store.migrated", "node.enrolled" and refused receipts are expected here.
  log::setLevel(log::Level::kError);
  return must(Store::open(
      db_path, std::filesystem::path(VANTUS_SOURCE_DIR) / "schema" / "migrations", clock));
}

std::string shellQuoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

}  // namespace

std::int64_t realNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

crypto::Ed25519PrivateKey newKey() { return must(crypto::Ed25519PrivateKey::generate()); }

Actor operatorActor() {
  Actor actor;
  actor.kind = "user";
  actor.id = "1";
  actor.name = "ops@example.com";
  actor.email = "ops@example.com";
  return actor;
}

Caller operatorCaller() { return localOperator(operatorActor()); }

EdgeCluster addCluster(Store& store, const std::string& name) {
  return must(writeValue<EdgeCluster>(store, [&](Transaction& tx) {
    EdgeCluster cluster;
    cluster.name = name;
    return tx.insertCluster(cluster);
  }));
}

release::Receipt receiptOf(const EdgeNode& node, std::uint64_t version, release::ApplyResult result,
                           std::uint64_t serving_version) {
  return release::Receipt{
      .node = node.name,
      .cluster = node.cluster,
      .version = version,
      .digest = std::string(64, 'a'),
      .result = result,
      .reason = result == release::ApplyResult::kApplied ? "" : "nginx -t refused the release",
      .nginx_output =
          result == release::ApplyResult::kApplied ? "" : "unknown directive \"proxy_pas\"",
      .serving_version = serving_version,
      .timings_ms = {{"test", 12}},
      .at = realNow()};
}

release::Heartbeat heartbeatOf(const EdgeNode& node, std::uint64_t version) {
  return release::Heartbeat{.node = node.name,
                            .cluster = node.cluster,
                            .version = version,
                            .digest = std::string(64, 'b'),
                            .nginx_version = "nginx/1.22.1",
                            .drift = false,
                            .expired = false,
                            .last_result = "",
                            .at = realNow()};
}

FleetFixture::FleetFixture()
    : db_path(dir.path() / "vantus.db"),
      store(openStore(db_path, clock)),
      signing_key(newKey()),
      fleet(*store, {signing_key.publicKey().pem()}, kOfflineAfter, clock),
      cluster(addCluster(*store, "edge-a")) {}

std::string FleetFixture::token(const std::string& cluster_name) {
  return must(fleet.createEnrollmentToken(operatorCaller(), cluster_name, std::chrono::hours(1)))
      .token;
}

TestNode FleetFixture::enroll(const std::string& name, const std::string& cluster_name) {
  crypto::Ed25519PrivateKey key = newKey();
  Enrolled enrolled =
      must(fleet.enroll(token(cluster_name), name, key.publicKey().pem(), operatorActor()));
  return TestNode{std::move(key), std::move(enrolled)};
}

NodeStatus FleetFixture::status(const std::string& name) {
  for (NodeStatus& each : must(fleet.nodes(operatorCaller(), std::nullopt))) {
    if (each.node.name == name) {
      return each;
    }
  }
  FAIL("no node named " << name);
  return {};
}

std::vector<std::string> FleetFixture::auditActions() {
  std::vector<AuditEntry> rows = must(readValue<std::vector<AuditEntry>>(
      *store, [](Transaction& tx) { return tx.auditEntries(std::nullopt, 0, 1000); }));
  std::vector<std::string> actions;
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {  // oldest first
    actions.push_back(it->action);
  }
  return actions;
}

std::string FleetFixture::dumpDatabase() const {
  testing::CommandResult dump =
      testing::runCommand("sqlite3 " + shellQuoted(db_path.string()) + " .dump");
  REQUIRE_MESSAGE(dump.exit_code == 0, dump.output);
  return dump.output;
}

std::string FleetFixture::query(const std::string& sql) const {
  testing::CommandResult result = testing::runCommand(
      "sqlite3 -batch -noheader " + shellQuoted(db_path.string()) + " " + shellQuoted(sql));
  REQUIRE_MESSAGE(result.exit_code == 0, result.output);
  std::string value = result.output.substr(0, result.output.find('\n'));
  return value;
}

}  // namespace vantus::controller::fleet_test
