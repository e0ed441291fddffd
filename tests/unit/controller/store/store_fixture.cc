#include "tests/unit/controller/store/store_fixture.h"

#include <sqlite3.h>

#include "common/log/log.h"

namespace vantus::controller {

std::filesystem::path sourceMigrations() {
  return std::filesystem::path(VANTUS_SOURCE_DIR) / "schema" / "migrations";
}

StoreFixture::StoreFixture() : db_path(dir.path() / "vantus.db") {
  log::setLevel(log::Level::kWarn);  // "store.migrated" on every open is noise here
  store = must(Store::open(db_path, sourceMigrations()));
}

Tenant StoreFixture::addTenant(std::string slug) {
  Tenant tenant;
  tenant.slug = std::move(slug);
  tenant.name = "Tenant " + tenant.slug;
  return write([&](Transaction& tx) { return tx.insertTenant(tenant); });
}

EdgeCluster StoreFixture::addCluster(std::string name) {
  EdgeCluster cluster;
  cluster.name = std::move(name);
  return write([&](Transaction& tx) { return tx.insertCluster(cluster); });
}

Domain StoreFixture::addDomain(Id tenant_id, std::string name) {
  Domain domain;
  domain.tenant_id = tenant_id;
  domain.name = std::move(name);
  return write([&](Transaction& tx) { return tx.insertDomain(domain); });
}

UpstreamPool StoreFixture::addPool(Id tenant_id, std::string name) {
  UpstreamPool pool;
  pool.tenant_id = tenant_id;
  pool.name = std::move(name);
  pool.targets = {UpstreamTarget{"10.0.0.1", 8080, 1, false}};
  return write([&](Transaction& tx) { return tx.insertPool(pool); });
}

namespace {

struct RawDb {
  explicit RawDb(const std::filesystem::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      FAIL("cannot open " << path << ": " << sqlite3_errmsg(db));
    }
    sqlite3_busy_timeout(db, 5000);
  }
  ~RawDb() { sqlite3_close_v2(db); }
  sqlite3* db = nullptr;
};

}  // namespace

std::string execRaw(const std::filesystem::path& db_path, const std::string& sql) {
  RawDb raw(db_path);
  char* message = nullptr;
  if (sqlite3_exec(raw.db, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) {
    return {};
  }
  std::string error = message ? message : "unknown error";
  sqlite3_free(message);
  return error;
}

std::string queryRaw(const std::filesystem::path& db_path, const std::string& sql) {
  RawDb raw(db_path);
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(raw.db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    FAIL("cannot prepare " << sql << ": " << sqlite3_errmsg(raw.db));
  }
  std::string value;
  if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0) != nullptr) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  return value;
}

}  // namespace vantus::controller
