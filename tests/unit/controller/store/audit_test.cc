#include <doctest/doctest.h>

#include "common/crypto/hash.h"
#include "controller/store/audit_chain.h"
#include "tests/unit/controller/store/store_fixture.h"

namespace vantus::controller {
namespace {

AuditEntry makeEntry(std::optional<Id> tenant_id, std::string action) {
  AuditEntry entry;
  entry.actor = Actor{"user", "3", "ops@example.com", "ops@example.com", "192.0.2.7", "curl/8.0"};
  entry.tenant_id = tenant_id;
  entry.action = std::move(action);
  entry.target = "tenant:1";
  entry.before = nullptr;
  entry.after = {{"slug", "acme"}, {"ratio", 0.1}, {"list", {1, 2, 3}}};
  return entry;
}

void appendEntries(StoreFixture& f, int count) {
  f.write([&](Transaction& tx) -> Result<void> {
    for (int i = 0; i < count; ++i) {
      VANTUS_TRY_VOID(tx.appendAudit(
          makeEntry(i % 2 == 0 ? std::optional<Id>(1) : std::nullopt, "tenant.update")));
    }
    return ok();
  });
}

std::optional<Id> brokenRow(StoreFixture& f) {
  return must(verifyAuditChain(*f.store, std::nullopt, std::nullopt, /*whole_log=*/true))
      .broken_row;
}

TEST_CASE("appendAudit chains each row to the previous one") {
  StoreFixture f;
  AuditEntry first =
      f.write([](Transaction& tx) { return tx.appendAudit(makeEntry(1, "tenant.create")); });
  AuditEntry second =
      f.write([](Transaction& tx) { return tx.appendAudit(makeEntry(1, "tenant.update")); });
  CHECK(first.id == 1);
  CHECK(first.prev_hash.empty());
  CHECK(first.time.size() == 20);
  CHECK(first.hash == crypto::sha256Hex(auditCanonicalJson(first)));
  CHECK(first.hash.size() == 64);
  CHECK(second.id == 2);
  CHECK(second.prev_hash == first.hash);

  std::vector<AuditEntry> read =
      f.read([](Transaction& tx) { return tx.auditEntries(std::nullopt, 0, 10); });
  REQUIRE(read.size() == 2);
  CHECK(read[0].id == 2);
  CHECK(read[0].hash == second.hash);
  CHECK(read[1].actor.user_agent == "curl/8.0");
  CHECK(read[1].actor.source_address == "192.0.2.7");
  CHECK(read[1].after == makeEntry(1, "").after);
  CHECK(read[1].before.is_null());
  CHECK(auditEntryHash(read[1]) == first.hash);
}

TEST_CASE("the canonical JSON has sorted keys and every column but the hash") {
  AuditEntry entry = makeEntry(std::nullopt, "tenant.create");
  entry.id = 9;
  entry.time = "2026-01-01T00:00:00Z";
  entry.hash = "ignored";
  const std::string canonical = auditCanonicalJson(entry);
  CHECK(canonical.rfind(R"({"action":"tenant.create","actor_email":)", 0) == 0);
  CHECK(canonical.find(R"("tenant_id":null)") != std::string::npos);
  CHECK(canonical.find(R"("before_json":null)") != std::string::npos);
  CHECK(canonical.find("ignored") == std::string::npos);
  CHECK(canonical.find(R"("prev_hash":"")") != std::string::npos);
}

TEST_CASE("audit entries page newest first and filter by tenant") {
  StoreFixture f;
  appendEntries(f, 7);
  std::vector<AuditEntry> page =
      f.read([](Transaction& tx) { return tx.auditEntries(std::nullopt, 0, 3); });
  REQUIRE(page.size() == 3);
  CHECK(page[0].id == 7);
  CHECK(page[2].id == 5);
  std::vector<AuditEntry> next =
      f.read([&](Transaction& tx) { return tx.auditEntries(std::nullopt, page[2].id, 3); });
  REQUIRE(next.size() == 3);
  CHECK(next[0].id == 4);
  std::vector<AuditEntry> tenant_rows =
      f.read([](Transaction& tx) { return tx.auditEntries(Id{1}, 0, 100); });
  REQUIRE(tenant_rows.size() == 4);
  for (const AuditEntry& entry : tenant_rows) {
    CHECK(entry.tenant_id == std::optional<Id>(1));
  }
}

TEST_CASE("an intact chain verifies, including one longer than a page") {
  StoreFixture f;
  CHECK(brokenRow(f) == std::nullopt);
  appendEntries(f, 1203);
  CHECK(brokenRow(f) == std::nullopt);
}

TEST_CASE("the audit log refuses updates and deletes through SQL") {
  StoreFixture f;
  appendEntries(f, 2);
  CHECK(execRaw(f.db_path, "UPDATE audit_log SET action = 'x' WHERE id = 1").find("append-only") !=
        std::string::npos);
  CHECK(execRaw(f.db_path, "DELETE FROM audit_log WHERE id = 1").find("append-only") !=
        std::string::npos);
}

const char* kDropGuards = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;";

TEST_CASE("an edited row breaks the chain at that row") {
  StoreFixture f;
  appendEntries(f, 6);
  REQUIRE(execRaw(f.db_path, std::string(kDropGuards) +
                                 "UPDATE audit_log SET after_json = '{\"slug\":\"evil\"}' "
                                 "WHERE id = 4") == "");
  CHECK(brokenRow(f) == std::optional<Id>(4));
}

TEST_CASE("an edited row with a recomputed hash breaks the link of the next row") {
  StoreFixture f;
  appendEntries(f, 6);
  AuditEntry row = f.read([](Transaction& tx) { return tx.auditEntries(std::nullopt, 4, 1); })[0];
  REQUIRE(row.id == 3);
  row.action = "tenant.delete";
  REQUIRE(execRaw(f.db_path, std::string(kDropGuards) +
                                 "UPDATE audit_log SET action = 'tenant.delete', hash = '" +
                                 auditEntryHash(row) + "' WHERE id = 3") == "");
  CHECK(brokenRow(f) == std::optional<Id>(4));
}

TEST_CASE("a deleted row or a row damaged into invalid JSON breaks the chain") {
  StoreFixture f;
  appendEntries(f, 5);
  REQUIRE(execRaw(f.db_path, std::string(kDropGuards) + "DELETE FROM audit_log WHERE id = 2") ==
          "");
  CHECK(brokenRow(f) == std::optional<Id>(2));  // the missing row itself

  REQUIRE(execRaw(f.db_path, "UPDATE audit_log SET before_json = '{not json' WHERE id = 1") == "");
  CHECK(brokenRow(f) == std::optional<Id>(1));
  std::vector<AuditEntry> rows =
      f.read([](Transaction& tx) { return tx.auditEntries(std::nullopt, 0, 10); });
  CHECK(rows.back().before == "{not json");
}

TEST_CASE("token-shaped strings are redacted from every free-text field before hashing") {
  StoreFixture f;
  const std::string token = "vt_0123456789ab_" + std::string(43, 'Q');
  const std::string credential = "vn_" + std::string(43, 'x');
  AuditEntry entry = makeEntry(1, "tenant.update");
  entry.actor.user_agent = "curl/8.0 " + token;
  entry.actor.name = "Bearer abc.def-ghi";
  entry.target = "tenant:" + credential;
  entry.after = {{"note", "see " + token + " and " + credential}, {"list", {credential}}};
  AuditEntry stored = f.write([&](Transaction& tx) { return tx.appendAudit(entry); });
  CHECK(stored.actor.user_agent == "curl/8.0 [redacted]");
  CHECK(stored.actor.name == "Bearer [redacted]");
  CHECK(stored.target == "tenant:[redacted]");
  CHECK(stored.after["note"] == "see [redacted] and [redacted]");
  CHECK(stored.after["list"][0] == "[redacted]");
  CHECK(stored.actor.email == "ops@example.com");  // not token-shaped: kept
  std::vector<AuditEntry> read =
      f.read([](Transaction& tx) { return tx.auditEntries(std::nullopt, 0, 1); });
  REQUIRE(read.size() == 1);
  CHECK(read[0].actor.user_agent == "curl/8.0 [redacted]");
  CHECK(brokenRow(f) == std::nullopt);  // the hash covers the redacted row
}

TEST_CASE("audit rows of a deleted tenant stay") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  f.write([&](Transaction& tx) { return tx.appendAudit(makeEntry(acme.id, "tenant.create")); });
  f.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY_VOID(tx.deleteTenant(acme.id));
    return tx.appendAudit(makeEntry(acme.id, "tenant.delete")).has_value()
               ? ok()
               : Result<void>(fail(ErrorCode::kInternal, "audit"));
  });
  CHECK(f.read([&](Transaction& tx) { return tx.auditEntries(acme.id, 0, 10); }).size() == 2);
  CHECK(brokenRow(f) == std::nullopt);
}

}  // namespace
}  // namespace vantus::controller
