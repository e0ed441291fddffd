#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/core/time.h"
#include "tests/unit/controller/store/store_fixture.h"

namespace vantus::controller {
namespace {

TEST_CASE("a write whose callback fails persists nothing and returns the error unchanged") {
  StoreFixture f;
  Result<void> outcome = f.store->write([](Transaction& tx) -> Result<void> {
    Tenant tenant;
    tenant.slug = "acme";
    tenant.name = "Acme";
    VANTUS_TRY(Tenant created, tx.insertTenant(tenant));
    Domain domain;
    domain.tenant_id = created.id;
    domain.name = "acme.example";
    VANTUS_TRY_VOID(tx.insertDomain(domain));
    return fail(ErrorCode::kConflict, "changed my mind", "because");
  });
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error().code == ErrorCode::kConflict);
  CHECK(outcome.error().message == "changed my mind");
  CHECK(outcome.error().field == "because");
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM tenants") == "0");
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM domains") == "0");
  // The connection is usable again.
  CHECK(f.addTenant("acme").slug == "acme");
}

TEST_CASE("a write whose callback throws is rolled back and the exception passes through") {
  StoreFixture f;
  CHECK_THROWS_AS(f.store->write([](Transaction& tx) -> Result<void> {
    Tenant tenant;
    tenant.slug = "acme";
    VANTUS_TRY_VOID(tx.insertTenant(tenant));
    throw std::runtime_error("bug");
  }),
                  std::runtime_error);
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM tenants") == "0");
  CHECK(f.addTenant("acme").id > 0);
}

TEST_CASE("a failed statement inside a write does not stop the callback from recovering") {
  StoreFixture f;
  f.addTenant("acme");
  f.write([](Transaction& tx) -> Result<void> {
    Tenant duplicate;
    duplicate.slug = "acme";
    CHECK_FALSE(tx.insertTenant(duplicate));
    Tenant fresh;
    fresh.slug = "beta";
    VANTUS_TRY_VOID(tx.insertTenant(fresh));
    return ok();
  });
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM tenants") == "2");
}

TEST_CASE("read() refuses every write method") {
  StoreFixture f;
  Tenant acme = f.addTenant("acme");
  Result<void> outcome = f.store->read([&](Transaction& tx) -> Result<void> {
    Tenant tenant;
    tenant.slug = "beta";
    Result<Tenant> inserted = tx.insertTenant(tenant);
    CHECK(inserted.error().code == ErrorCode::kFailedPrecondition);
    CHECK(tx.deleteTenant(acme.id).error().code == ErrorCode::kFailedPrecondition);
    CHECK(tx.assign(acme.id, 1).error().code == ErrorCode::kFailedPrecondition);
    CHECK(tx.appendAudit(AuditEntry{}).error().code == ErrorCode::kFailedPrecondition);
    return ok();
  });
  must(outcome);
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM tenants") == "1");
}

TEST_CASE("a nested write is refused instead of deadlocking") {
  StoreFixture f;
  Result<void> outer = f.store->write([&](Transaction&) -> Result<void> {
    Result<void> inner = f.store->write([](Transaction&) { return ok(); });
    CHECK(inner.error().code == ErrorCode::kFailedPrecondition);
    return ok();
  });
  must(outer);
}

TEST_CASE("a read sees committed state, not a write in progress") {
  StoreFixture f;
  f.write([&](Transaction& tx) -> Result<void> {
    Tenant tenant;
    tenant.slug = "acme";
    VANTUS_TRY_VOID(tx.insertTenant(tenant));
    Result<Tenant> seen =
        readResult(*f.store, [](Transaction& reader) { return reader.tenantBySlug("acme"); });
    CHECK(seen.error().code == ErrorCode::kNotFound);
    return ok();
  });
  CHECK(f.read([](Transaction& tx) { return tx.tenantBySlug("acme"); }).slug == "acme");
}

TEST_CASE("concurrent writers and readers from several threads all land") {
  StoreFixture f;
  constexpr int kThreads = 4;
  constexpr int kWritesPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        Result<void> written = f.store->write([&](Transaction& tx) -> Result<void> {
          Tenant tenant;
          tenant.slug = "t" + std::to_string(t) + "-" + std::to_string(i);
          VANTUS_TRY(Tenant created, tx.insertTenant(tenant));
          AuditEntry entry;
          entry.tenant_id = created.id;
          entry.action = "tenant.create";
          VANTUS_TRY_VOID(tx.appendAudit(entry));
          return ok();
        });
        Result<std::size_t> counted =
            readResult(*f.store, [](Transaction& tx) { return tx.countUsers(); });
        if (!written || !counted) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  CHECK(failures.load() == 0);
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM tenants") ==
        std::to_string(kThreads * kWritesPerThread));
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM audit_log") ==
        std::to_string(kThreads * kWritesPerThread));
}

TEST_CASE("two stores on one file serialise their writes") {
  StoreFixture f;
  std::unique_ptr<Store> second = must(Store::open(f.db_path, sourceMigrations()));
  std::atomic<int> failures{0};
  std::thread other([&] {
    for (int i = 0; i < 20; ++i) {
      Tenant tenant;
      tenant.slug = "second-" + std::to_string(i);
      if (!writeResult(*second, [&](Transaction& tx) { return tx.insertTenant(tenant); })) {
        ++failures;
      }
    }
  });
  for (int i = 0; i < 20; ++i) {
    f.addTenant("first-" + std::to_string(i));
  }
  other.join();
  CHECK(failures.load() == 0);
  CHECK(queryRaw(f.db_path, "SELECT count(*) FROM tenants") == "40");
}

TEST_CASE("now() is fixed for a transaction and stamps the rows it writes") {
  StoreFixture f;
  f.write([&](Transaction& tx) -> Result<void> {
    const std::int64_t now = tx.now();
    CHECK(now > 1700000000);
    Tenant tenant;
    tenant.slug = "acme";
    VANTUS_TRY(Tenant created, tx.insertTenant(tenant));
    CHECK(tx.now() == now);
    CHECK(created.created_at == formatRfc3339Utc(now));
    return ok();
  });
}

TEST_CASE("rows and migrations are stamped by the clock the store was opened with") {
  testing::TempDir dir;
  const std::filesystem::path db = dir.path() / "vantus.db";
  std::int64_t now = 1'800'000'000;
  std::unique_ptr<Store> store = must(Store::open(db, sourceMigrations(), [&now] { return now; }));
  CHECK(queryRaw(db, "SELECT DISTINCT applied_at FROM schema_migrations") ==
        formatRfc3339Utc(1'800'000'000));
  now += 3600;
  Tenant created = must(writeResult(*store, [](Transaction& tx) {
    Tenant tenant;
    tenant.slug = "acme";
    tenant.name = "Acme";
    return tx.insertTenant(tenant);
  }));
  CHECK(created.created_at == formatRfc3339Utc(1'800'003'600));
  CHECK(queryRaw(db, "SELECT created_at FROM tenants") == formatRfc3339Utc(1'800'003'600));
}

}  // namespace
}  // namespace vantus::controller
