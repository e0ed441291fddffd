// Tampering with the audit log as someone who can write the SQLite file (and, in the cases
// that say so, read the chain key or replace state-dir files). Each case is either detected,
// naming the oldest row that fails, or reported as outside the anchor: rows after the last
// checkpoint whose removal cannot be proven. SECURITY.md lists the same cases.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>

#include "common/core/files.h"
#include "common/crypto/ed25519.h"
#include "controller/app/controller_app.h"
#include "controller/app/init_state_dir.h"
#include "controller/service/audit_anchor.h"
#include "controller/service/audit_service.h"
#include "controller/store/audit_chain.h"
#include "tests/unit/controller/store/store_fixture.h"

namespace vantus::controller {
namespace {

namespace fs = std::filesystem;

constexpr Id kAnchoredRows = 8;
constexpr Id kRows = 10;
const char* kDropGuards = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;";

AuditEntry makeEntry(int n) {
  AuditEntry entry;
  entry.actor = Actor{"user", "3", "ops@example.com", "ops@example.com", "192.0.2.7", "curl/8.0"};
  entry.tenant_id = n % 2 == 0 ? std::optional<Id>(1) : std::nullopt;
  entry.action = "tenant.update";
  entry.target = fmt::format("tenant:{}", n);
  entry.after = {{"n", n}};
  return entry;
}

// A store keyed like the controller's, its checkpoint file, kRows rows of which the first
// kAnchoredRows are anchored.
class AuditWorld {
 public:
  AuditWorld()
      : signing_(must(crypto::Ed25519PrivateKey::generate())),
        key_(must(createAuditChainKey(keyFile(), 1))) {
    open();
    append(kAnchoredRows);
    REQUIRE(must(audit_->anchor()));
    append(kRows - kAnchoredRows);
  }

  fs::path db() const { return dir_.path() / "vantus.db"; }
  fs::path keyFile() const { return dir_.path() / "audit.key"; }
  fs::path checkpointFile() const { return dir_.path() / "audit.checkpoint"; }
  const AuditChainKey& key() const { return key_; }
  const crypto::Ed25519PrivateKey& signingKey() const { return signing_; }
  AuditService& audit() { return *audit_; }

  void append(Id count) {
    REQUIRE(store_->write([&](Transaction& tx) -> Result<void> {
      for (Id i = 0; i < count; ++i) {
        VANTUS_TRY_VOID(tx.appendAudit(makeEntry(static_cast<int>(i))));
      }
      return ok();
    }));
  }
  void sql(const std::string& statements) {
    REQUIRE(execRaw(db(), std::string(kDropGuards) + statements) == "");
  }
  std::vector<AuditEntry> oldestFirst() {
    std::vector<AuditEntry> rows;
    REQUIRE(store_->read([&](Transaction& tx) -> Result<void> {
      VANTUS_TRY(rows, tx.auditEntries(std::nullopt, 0, 1000));
      return ok();
    }));
    return {rows.rbegin(), rows.rend()};
  }
  // Sets row `id`'s action and recomputes the hashes of it and every later row under `key`,
  // as an attacker holding that key (or none) would.
  void rewriteFrom(Id id, const std::string& action, const std::optional<AuditChainKey>& key) {
    std::vector<AuditEntry> rows = oldestFirst();
    std::string prev_hash;
    std::string statements;
    for (AuditEntry& row : rows) {
      if (row.id >= id) {
        if (row.id == id) {
          row.action = action;
        }
        row.prev_hash = prev_hash;
        row.hash = auditEntryHash(row, key);
        statements += fmt::format(
            "UPDATE audit_log SET action = '{}', prev_hash = '{}', hash = '{}' WHERE id = {};",
            row.action, row.prev_hash, row.hash, row.id);
      }
      prev_hash = row.hash;
    }
    sql(statements);
  }
  // The service as a restarted controller holding `key` would build it.
  void reopen(AuditChainKey key) {
    key_ = std::move(key);
    audit_.reset();
    store_.reset();
    open();
  }
  AuditVerification verify() { return must(audit_->verify(localOperator(Actor{}))); }

 private:
  void open() {
    store_ = must(Store::open(db(), sourceMigrations(), systemUnixSeconds, key_));
    audit_ = std::make_unique<AuditService>(
        *store_,
        AuditAnchoring{.key = key_, .signing_key = signing_, .checkpoint_file = checkpointFile()});
  }

  testing::TempDir dir_;
  crypto::Ed25519PrivateKey signing_;
  AuditChainKey key_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<AuditService> audit_;
};

void checkBrokenAt(AuditWorld& world, Id row, std::string_view reason_part) {
  AuditVerification found = world.verify();
  REQUIRE_MESSAGE(found.broken_row, "not detected");
  CHECK(*found.broken_row == row);
  CHECK_MESSAGE(found.broken_reason.find(reason_part) != std::string::npos, found.broken_reason);
}

// Not detectable from the state dir: the rows after the checkpoint are all that is left to
// doubt, and verify says which.
void checkOutsideAnchor(AuditWorld& world, Id last_row) {
  AuditVerification found = world.verify();
  CHECK_FALSE(found.broken_row);
  REQUIRE(found.checkpoint);
  CHECK(found.checkpoint->row == kAnchoredRows);
  CHECK(found.last_row == last_row);
}

TEST_CASE("an untouched log verifies up to its checkpoint and names the rows after it") {
  AuditWorld world;
  checkOutsideAnchor(world, kRows);
  CHECK(world.verify().rows == kRows);
  std::optional<AuditCheckpoint> next = must(world.audit().anchor());
  REQUIRE(next);
  CHECK(next->row == kRows);
  CHECK(world.verify().checkpoint->row == kRows);
  CHECK_FALSE(must(world.audit().anchor()));  // nothing new
}

TEST_CASE("tamper 1: deleting the last row, anchored -> detected") {
  AuditWorld world;
  must(world.audit().anchor());
  world.sql(fmt::format("DELETE FROM audit_log WHERE id = {}", kRows));
  checkBrokenAt(world, kRows, fmt::format("row {} is missing: row {} was anchored", kRows, kRows));
  CHECK_FALSE(world.audit().anchor());  // a shortened log is never anchored
}

TEST_CASE("tamper 8: editing a field of a row after the checkpoint -> detected") {
  AuditWorld world;
  world.sql("UPDATE audit_log SET user_agent = 'forged' WHERE id = 9");
  checkBrokenAt(world, 9, "does not match its hash");
  CHECK_FALSE(world.audit().anchor());  // a changed row is never anchored
}

TEST_CASE("tamper 11: an edit with every hash recomputed without the key -> detected") {
  AuditWorld world;
  world.rewriteFrom(3, "tenant.delete", std::nullopt);
  checkBrokenAt(world, 3, "does not match its hash");
}

TEST_CASE("tamper 12: the whole log rewritten with plain SHA-256 after dropping the triggers") {
  AuditWorld world;
  world.rewriteFrom(1, "user.create", std::nullopt);
  checkBrokenAt(world, 1, "does not match its hash");
}

TEST_CASE("tamper 13: an anchored row rewritten with the stolen chain key -> detected") {
  AuditWorld world;
  world.rewriteFrom(3, "tenant.delete", world.key());
  checkBrokenAt(world, kAnchoredRows, "differs from its checkpoint");
}

TEST_CASE("tamper 14: rows after the checkpoint rewritten with the stolen chain key") {
  AuditWorld world;
  world.rewriteFrom(kAnchoredRows + 1, "tenant.delete", world.key());
  checkOutsideAnchor(world, kRows);  // the key's holder can rewrite what is not anchored
}

// Tampering through SQL alone (the triggers dropped first), detected at the oldest row touched.
struct SqlTamper {
  const char* what;
  std::string sql;
  Id broken_row;
  std::string reason;
};

TEST_CASE("tamper 2-7, 9, 10, 15-18: rows deleted, edited, reordered or forged through SQL") {
  const std::vector<SqlTamper> cases = {
      {"2: the last rows deleted back into the anchored ones",
       fmt::format("DELETE FROM audit_log WHERE id >= {}", kAnchoredRows - 2), kAnchoredRows - 2,
       fmt::format("rows {}..{} are missing", kAnchoredRows - 2, kAnchoredRows)},
      {"3: every row deleted", "DELETE FROM audit_log", 1,
       fmt::format("rows 1..{} are missing", kAnchoredRows)},
      {"4: the table dropped and recreated empty",
       "ALTER TABLE audit_log RENAME TO gone; CREATE TABLE audit_log AS SELECT * FROM gone "
       "WHERE 0; DROP TABLE gone;",
       1, "are missing"},
      {"5: a middle row deleted", "DELETE FROM audit_log WHERE id = 4", 4, "row 4 is missing"},
      {"6: the first row deleted", "DELETE FROM audit_log WHERE id = 1", 1, "row 1 is missing"},
      {"7: a field of an anchored row edited",
       "UPDATE audit_log SET action = 'tenant.delete' WHERE id = 3", 3, "does not match its hash"},
      {"9a: the time edited", "UPDATE audit_log SET time = '2020-01-01T00:00:00Z' WHERE id = 5", 5,
       "does not match its hash"},
      {"9b: the tenant edited", "UPDATE audit_log SET tenant_id = 7 WHERE id = 5", 5,
       "does not match its hash"},
      {"9c: the source address edited",
       "UPDATE audit_log SET source_address = '198.51.100.1' WHERE id = 5", 5,
       "does not match its hash"},
      {"10: a before/after value damaged into invalid JSON",
       "UPDATE audit_log SET after_json = '{not json' WHERE id = 2", 2, "does not match its hash"},
      {"15: two rows swapped",
       "UPDATE audit_log SET id = 100 WHERE id = 3; UPDATE audit_log SET id = 3 WHERE id = 5; "
       "UPDATE audit_log SET id = 5 WHERE id = 100;",
       3, "does not match its hash"},
      {"16: a forged row appended, linked to the last one",
       fmt::format("INSERT INTO audit_log SELECT id + 1, time, actor_kind, actor_id, actor_name, "
                   "actor_email, source_address, user_agent, NULL, 'tenant.delete', target, NULL, "
                   "NULL, hash, '{}' FROM audit_log WHERE id = {}",
                   std::string(64, 'a'), kRows),
       kRows + 1, "does not match its hash"},
      {"17: a forged row inserted in the middle, later ids shifted",
       "UPDATE audit_log SET id = id + 1000 WHERE id >= 4; UPDATE audit_log SET id = id - 999 "
       "WHERE id >= 1000; INSERT INTO audit_log SELECT 4, time, actor_kind, actor_id, "
       "actor_name, actor_email, source_address, user_agent, tenant_id, 'tenant.delete', target, "
       "before_json, after_json, hash, hash FROM audit_log WHERE id = 3;",
       4, "does not match its hash"},
      {"18: a row's hash replaced by another row's",
       "UPDATE audit_log SET hash = (SELECT hash FROM audit_log WHERE id = 2) WHERE id = 6", 6,
       "does not match its hash"},
  };
  for (const SqlTamper& tamper : cases) {
    INFO(tamper.what);
    AuditWorld world;
    world.sql(tamper.sql);
    checkBrokenAt(world, tamper.broken_row, tamper.reason);
  }
}

TEST_CASE("tamper 19: the chain key replaced by a new one -> detected at the first keyed row") {
  AuditWorld world;
  fs::remove(world.keyFile());
  world.reopen(must(createAuditChainKey(world.keyFile(), 1)));
  checkBrokenAt(world, 1, "the audit key is not the one it was written with");
}

TEST_CASE("tamper 20: a checkpoint forged with another key -> detected") {
  AuditWorld world;
  crypto::Ed25519PrivateKey other = must(crypto::Ed25519PrivateKey::generate());
  must(saveAuditCheckpoint(world.checkpointFile(),
                           signAuditCheckpoint(kRows, "0", "2026-01-01T00:00:00Z", other)));
  checkBrokenAt(world, 1, "not signed by this controller's key");
}

TEST_CASE("tamper 21: a checkpoint's row raised without re-signing -> detected") {
  AuditWorld world;
  AuditCheckpoint checkpoint = *must(loadAuditCheckpoint(world.checkpointFile()));
  checkpoint.row = kRows;
  must(saveAuditCheckpoint(world.checkpointFile(), checkpoint));
  checkBrokenAt(world, 1, "not signed by this controller's key");
}

TEST_CASE("outside the anchor: deleting rows written after the last checkpoint") {
  AuditWorld world;
  world.sql(fmt::format("DELETE FROM audit_log WHERE id > {}", kAnchoredRows));
  checkOutsideAnchor(world, kAnchoredRows);  // rows after 8 cannot be proven
  CHECK_FALSE(must(world.audit().anchor()));
}

TEST_CASE("outside the anchor: an older genuine checkpoint put back, then rows cut after it") {
  AuditWorld world;
  const std::string older = must(readFile(world.checkpointFile().string()));
  must(world.audit().anchor());
  REQUIRE(writeFileAtomically(world.checkpointFile().string(), older));
  world.sql(fmt::format("DELETE FROM audit_log WHERE id > {}", kAnchoredRows));
  checkOutsideAnchor(world, kAnchoredRows);  // the journal's "audit.checkpoint" lines show it
}

TEST_CASE("rows written before the chain had a key still verify, and stay anchored") {
  testing::TempDir dir;
  const fs::path db = dir.path() / "vantus.db";
  {
    std::unique_ptr<Store> unkeyed = must(Store::open(db, sourceMigrations()));
    REQUIRE(unkeyed->write([](Transaction& tx) -> Result<void> {
      for (int i = 0; i < 3; ++i) {
        VANTUS_TRY_VOID(tx.appendAudit(makeEntry(i)));
      }
      return ok();
    }));
  }
  crypto::Ed25519PrivateKey signing = must(crypto::Ed25519PrivateKey::generate());
  AuditChainKey key = must(createAuditChainKey(dir.path() / "audit.key", 4));
  std::unique_ptr<Store> store = must(Store::open(db, sourceMigrations(), systemUnixSeconds, key));
  AuditService audit(*store, AuditAnchoring{.key = key,
                                            .signing_key = signing,
                                            .checkpoint_file = dir.path() / "audit.checkpoint"});
  REQUIRE(must(audit.anchor()));
  REQUIRE(store->write([](Transaction& tx) -> Result<void> {
    return tx.appendAudit(makeEntry(7)).has_value() ? ok()
                                                    : Result<void>(fail(ErrorCode::kInternal, "x"));
  }));
  AuditVerification found = must(audit.verify(localOperator(Actor{})));
  CHECK_FALSE(found.broken_row);
  CHECK(found.last_row == 4);
  CHECK(must(loadAuditChainKey(dir.path() / "audit.key")).keyed_from == 4);

  // An old, unkeyed row edited and its hash recomputed: the next row no longer links to it
  // (and a relinked chain would differ from the checkpoint of row 3).
  std::vector<AuditEntry> rows =
      must(readResult(*store, [](Transaction& tx) { return tx.auditEntries(std::nullopt, 3, 1); }));
  REQUIRE(rows.size() == 1);
  rows[0].action = "tenant.delete";
  REQUIRE(execRaw(db, std::string(kDropGuards) +
                          fmt::format("UPDATE audit_log SET action = 'tenant.delete', hash = '{}' "
                                      "WHERE id = 2",
                                      auditEntryHash(rows[0]))) == "");
  found = must(audit.verify(localOperator(Actor{})));
  REQUIRE(found.broken_row);
  CHECK(*found.broken_row == 3);  // row 3 no longer links to the rewritten row 2
}

TEST_CASE("a state dir made before the chain had a key gets one keyed after its rows") {
  testing::TempDir root;
  const fs::path state = root.path() / "state";
  REQUIRE(initStateDir(state, VANTUS_SOURCE_DIR, "admin@example.com"));
  const StateDirLayout layout = stateDirLayout(state);
  // What an older version left: row 1 hashed with plain SHA-256, no key, no checkpoint.
  {
    std::unique_ptr<Store> store = must(Store::open(layout.database, sourceMigrations()));
    AuditEntry first = must(
        readResult(*store, [](Transaction& tx) { return tx.auditEntries(std::nullopt, 0, 1); }))[0];
    REQUIRE(
        execRaw(layout.database, std::string(kDropGuards) +
                                     fmt::format("UPDATE audit_log SET hash = '{}' WHERE id = 1",
                                                 auditEntryHash(first))) == "");
  }
  fs::remove(layout.audit_key);
  fs::remove(layout.audit_checkpoint);

  {
    std::unique_ptr<ControllerApp> app = must(ControllerApp::open(state, VANTUS_SOURCE_DIR));
    CHECK(must(loadAuditChainKey(layout.audit_key)).keyed_from == 2);
    CHECK((fs::status(layout.audit_key).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    must(app->model().createTenant(localOperator(Actor{}), "acme", "Acme"));
  }
  std::unique_ptr<ControllerApp> app = must(ControllerApp::open(state, VANTUS_SOURCE_DIR));
  AuditVerification found = must(app->audit().verify(localOperator(Actor{})));
  CHECK_FALSE(found.broken_row);
  CHECK(found.last_row == 2);
  REQUIRE(found.checkpoint);
  CHECK(found.checkpoint->row == 2);  // anchored when the CLI-like process closed
}

TEST_CASE("a damaged key file is an error naming the file, not a new key") {
  testing::TempDir dir;
  const fs::path file = dir.path() / "audit.key";
  REQUIRE(writeFileAtomically(file.string(), "zz keyed-from 1\n", 0600));
  Result<AuditChainKey> key = loadAuditChainKey(file);
  REQUIRE_FALSE(key);
  CHECK(key.error().code == ErrorCode::kInvalidInput);
  CHECK(key.error().message.find(file.string()) != std::string::npos);
  CHECK(loadAuditChainKey(dir.path() / "missing").error().code == ErrorCode::kNotFound);
}

}  // namespace
}  // namespace vantus::controller
