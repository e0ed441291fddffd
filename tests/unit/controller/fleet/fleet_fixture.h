#pragma once
// A FleetService on a fresh SQLite file in a temp dir with cluster "edge-a", a clock the
// test moves, and helpers that enrol nodes and sign their reports. The store and the service
// share `clock` (row stamps, token expiry, liveness).
#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/crypto/ed25519.h"
#include "common/release/node_report.h"
#include "controller/fleet/fleet_service.h"
#include "controller/store/store.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller::fleet_test {

template <typename T>
T must(Result<T> result) {
  if (!result) {
    FAIL(result.error().describe());
  }
  return std::move(result).value();
}

inline void must(Result<void> result) {
  if (!result) {
    FAIL(result.error().describe());
  }
}

std::int64_t realNow();

// Unix seconds: the real time plus an offset the test sets. Copies share the offset.
class TestClock {
 public:
  std::int64_t operator()() const { return realNow() + offset_->load(); }
  void shift(std::int64_t seconds) { offset_->store(seconds); }

 private:
  std::shared_ptr<std::atomic<std::int64_t>> offset_ =
      std::make_shared<std::atomic<std::int64_t>>(0);
};

// A node as the test knows it: its key and the credential the controller gave it.
struct TestNode {
  crypto::Ed25519PrivateKey key;
  Enrolled enrolled;
};

crypto::Ed25519PrivateKey newKey();
Actor operatorActor();
// The local operator (every right) acting as operatorActor().
Caller operatorCaller();
EdgeCluster addCluster(Store& store, const std::string& name);

// A receipt/heartbeat of `node` about `version` with the given result.
release::Receipt receiptOf(const EdgeNode& node, std::uint64_t version, release::ApplyResult result,
                           std::uint64_t serving_version);
release::Heartbeat heartbeatOf(const EdgeNode& node, std::uint64_t version);

struct FleetFixture {
  static constexpr std::chrono::seconds kOfflineAfter{60};

  FleetFixture();

  // A fresh token of `cluster` valid for an hour.
  std::string token(const std::string& cluster = "edge-a");
  // Enrols `name` with a fresh key and a fresh token; REQUIREs success.
  TestNode enroll(const std::string& name, const std::string& cluster = "edge-a");
  NodeStatus status(const std::string& name);
  std::vector<std::string> auditActions();
  // `sqlite3 <db> .dump`: every row of every table as the file holds it.
  std::string dumpDatabase() const;
  // The first column of the first row of `sql`, run by the sqlite3 CLI.
  std::string query(const std::string& sql) const;

  testing::TempDir dir;
  std::filesystem::path db_path;
  TestClock clock;
  std::unique_ptr<Store> store;
  crypto::Ed25519PrivateKey signing_key;
  FleetService fleet;
  EdgeCluster cluster;
};

}  // namespace vantus::controller::fleet_test
