#include "controller/store/migrations.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>

#include "tests/unit/controller/store/store_fixture.h"

namespace vantus::controller {
namespace {

namespace fs = std::filesystem;

// A copy of the source migrations that a test may add files to.
fs::path copyMigrations(const testing::TempDir& dir) {
  fs::path target = dir.path() / "migrations";
  fs::create_directories(target);
  for (const fs::directory_entry& entry : fs::directory_iterator(sourceMigrations())) {
    fs::copy_file(entry.path(), target / entry.path().filename());
  }
  return target;
}

void writeText(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

std::string appliedCount(const fs::path& db) {
  return queryRaw(db, "SELECT count(*) FROM schema_migrations");
}

// How many migrations the source tree ships; test migrations use versions from 9001 on.
size_t shipped() { return must(listMigrations(sourceMigrations())).size(); }
std::string shippedPlus(size_t extra) { return std::to_string(shipped() + extra); }

TEST_CASE("open applies every migration once and a re-open applies none") {
  StoreFixture f;
  CHECK(appliedCount(f.db_path) == shippedPlus(0));
  CHECK(queryRaw(f.db_path, "SELECT name FROM schema_migrations WHERE version = 1") ==
        "0001_initial");
  const std::string applied_at =
      queryRaw(f.db_path, "SELECT applied_at FROM schema_migrations WHERE version = 1");
  f.addTenant("acme");

  f.store.reset();
  f.store = must(Store::open(f.db_path, sourceMigrations()));
  CHECK(appliedCount(f.db_path) == shippedPlus(0));
  CHECK(queryRaw(f.db_path, "SELECT applied_at FROM schema_migrations WHERE version = 1") ==
        applied_at);
  CHECK(f.read([](Transaction& tx) { return tx.tenantBySlug("acme"); }).slug == "acme");
  must(f.store->ping());
}

TEST_CASE("the database file is private to its owner and in WAL mode") {
  StoreFixture f;
  struct stat info {};
  REQUIRE(::stat(f.db_path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(queryRaw(f.db_path, "PRAGMA journal_mode") == "wal");
}

TEST_CASE("a new migration is applied to an existing database in order") {
  testing::TempDir dir;
  const fs::path db = dir.path() / "vantus.db";
  const fs::path migrations = copyMigrations(dir);
  must(Store::open(db, migrations));
  writeText(migrations / "9001_notes.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY);\n");
  writeText(migrations / "README.md", "not a migration\n");

  must(Store::open(db, migrations));
  CHECK(appliedCount(db) == shippedPlus(1));
  CHECK(queryRaw(db, "SELECT name FROM schema_migrations WHERE version = 9001") == "9001_notes");
  CHECK(queryRaw(db, "SELECT count(*) FROM notes") == "0");
}

TEST_CASE("a database with a migration this build does not know is refused") {
  testing::TempDir dir;
  const fs::path db = dir.path() / "vantus.db";
  const fs::path migrations = copyMigrations(dir);
  writeText(migrations / "9001_notes.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY);\n");
  must(Store::open(db, migrations));

  Result<std::unique_ptr<Store>> older = Store::open(db, sourceMigrations());
  REQUIRE_FALSE(older);
  CHECK(older.error().code == ErrorCode::kFailedPrecondition);
  CHECK(older.error().message.find("9001_notes") != std::string::npos);
}

TEST_CASE("a failing migration leaves no trace and the store does not open") {
  testing::TempDir dir;
  const fs::path db = dir.path() / "vantus.db";
  const fs::path migrations = copyMigrations(dir);
  writeText(migrations / "9001_broken.sql",
            "CREATE TABLE half (id INTEGER PRIMARY KEY);\nCREATE TABLE oops (;\n");

  Result<std::unique_ptr<Store>> store = Store::open(db, migrations);
  REQUIRE_FALSE(store);
  CHECK(store.error().message.find("9001_broken") != std::string::npos);
  CHECK(appliedCount(db) == shippedPlus(0));
  CHECK(queryRaw(db, "SELECT count(*) FROM sqlite_master WHERE name = 'half'") == "0");
}

TEST_CASE("a migration older than the newest applied one is refused") {
  testing::TempDir dir;
  const fs::path db = dir.path() / "vantus.db";
  const fs::path migrations = copyMigrations(dir);
  writeText(migrations / "9003_later.sql", "CREATE TABLE later (id INTEGER PRIMARY KEY);\n");
  must(Store::open(db, migrations));
  writeText(migrations / "9002_between.sql", "CREATE TABLE between (id INTEGER);\n");

  Result<std::unique_ptr<Store>> store = Store::open(db, migrations);
  REQUIRE_FALSE(store);
  CHECK(store.error().code == ErrorCode::kFailedPrecondition);
  CHECK(queryRaw(db, "SELECT count(*) FROM sqlite_master WHERE name = 'between'") == "0");
}

TEST_CASE("migration files are listed by version and badly named ones are refused") {
  testing::TempDir dir;
  const fs::path migrations = copyMigrations(dir);
  writeText(migrations / "9010_ten.sql", "SELECT 1;\n");
  writeText(migrations / "9002_two.sql", "SELECT 1;\n");
  std::vector<Migration> listed = must(listMigrations(migrations));
  REQUIRE(listed.size() == shipped() + 2);
  CHECK(listed[0].name == "0001_initial");
  CHECK(listed[listed.size() - 2].version == 9002);
  CHECK(listed.back().version == 9010);

  writeText(migrations / "11_short.sql", "SELECT 1;\n");
  CHECK(listMigrations(migrations).error().code == ErrorCode::kFailedPrecondition);
  fs::remove(migrations / "11_short.sql");
  writeText(migrations / "9002_again.sql", "SELECT 1;\n");
  CHECK(listMigrations(migrations).error().code == ErrorCode::kFailedPrecondition);

  testing::TempDir empty;
  CHECK_FALSE(listMigrations(empty.path()));
  CHECK_FALSE(Store::open(empty.path() / "vantus.db", empty.path()));
}

}  // namespace
}  // namespace vantus::controller
