#include "controller/store/migrations.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "common/core/files.h"

namespace vantus::controller {

namespace fs = std::filesystem;

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// "0001_initial" -> 1; nullopt for any other form.
std::optional<int> versionOf(std::string_view stem) {
  if (stem.size() < 6 || stem[4] != '_') {
    return std::nullopt;
  }
  if (!std::all_of(stem.begin(), stem.begin() + 4, isDigit)) {
    return std::nullopt;
  }
  bool plain = std::all_of(stem.begin() + 5, stem.end(),
                           [](char c) { return isDigit(c) || (c >= 'a' && c <= 'z') || c == '_'; });
  if (!plain) {
    return std::nullopt;
  }
  return std::stoi(std::string(stem.substr(0, 4)));
}

// version -> name of every migration the database recorded (none for a new database).
Result<std::map<int, std::string>> recordedMigrations(sqlite::Connection& db) {
  std::map<int, std::string> recorded;
  VANTUS_TRY(sqlite::Statement exists,
             db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                        "name = 'schema_migrations'"));
  VANTUS_TRY(bool has_table, exists.step());
  if (!has_table) {
    return recorded;
  }
  VANTUS_TRY(sqlite::Statement rows, db.prepare("SELECT version, name FROM schema_migrations"));
  while (true) {
    VANTUS_TRY(bool row, rows.step());
    if (!row) {
      break;
    }
    recorded.emplace(static_cast<int>(rows.integer(0)), rows.text(1));
  }
  return recorded;
}

Result<void> checkRecorded(const std::map<int, std::string>& recorded,
                           const std::vector<Migration>& known) {
  std::map<int, const Migration*> by_version;
  for (const Migration& migration : known) {
    by_version.emplace(migration.version, &migration);
  }
  for (const auto& [version, name] : recorded) {
    auto found = by_version.find(version);
    if (found == by_version.end() || found->second->name != name) {
      return fail(ErrorCode::kFailedPrecondition,
                  fmt::format("the database has migration {} which this build does not know: "
                              "it was written by another (newer?) controller; refusing to open it",
                              name));
    }
  }
  if (recorded.empty()) {
    return ok();
  }
  const int newest = recorded.rbegin()->first;
  for (const Migration& migration : known) {
    if (migration.version < newest && !recorded.contains(migration.version)) {
      return fail(ErrorCode::kFailedPrecondition,
                  fmt::format("migration {} is older than the applied {} but was never applied; "
                              "migrations must be added with a higher number",
                              migration.name, recorded.rbegin()->second));
    }
  }
  return ok();
}

Result<void> applyOne(sqlite::Connection& db, const Migration& migration,
                      std::string_view applied_at) {
  VANTUS_TRY(std::string sql, readFile(migration.path.string()));
  VANTUS_TRY_VOID(db.execute("BEGIN IMMEDIATE"));
  Result<void> applied = [&]() -> Result<void> {
    VANTUS_TRY_VOID(db.execute(sql));
    VANTUS_TRY(sqlite::Statement record,
               db.prepare("INSERT INTO schema_migrations (version, name, applied_at) "
                          "VALUES (?, ?, ?)"));
    record.bindInt(migration.version).bindText(migration.name).bindText(applied_at);
    VANTUS_TRY_VOID(record.run());
    return db.execute("COMMIT");
  }();
  if (!applied) {
    if (db.inTransaction()) {
      (void)db.execute("ROLLBACK");
    }
    return fail(applied.error().code,
                fmt::format("migration {} failed: {}", migration.name, applied.error().message));
  }
  return ok();
}

}  // namespace

Result<std::vector<Migration>> listMigrations(const fs::path& dir) {
  std::error_code error;
  fs::directory_iterator entries(dir, error);
  if (error) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot list migrations in {}: {}", dir.string(), error.message()));
  }
  std::vector<Migration> migrations;
  for (const fs::directory_entry& entry : entries) {
    const fs::path& path = entry.path();
    if (path.extension() != ".sql") {
      continue;
    }
    std::string stem = path.stem().string();
    std::optional<int> version = versionOf(stem);
    if (!version) {
      return fail(ErrorCode::kFailedPrecondition,
                  fmt::format("migration file {} is not named NNNN_name.sql", path.string()));
    }
    migrations.push_back(Migration{*version, std::move(stem), path});
  }
  if (migrations.empty()) {
    return fail(ErrorCode::kFailedPrecondition,
                fmt::format("no migrations (NNNN_name.sql) in {}", dir.string()));
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      return fail(ErrorCode::kFailedPrecondition,
                  fmt::format("migrations {} and {} share a version", migrations[i - 1].name,
                              migrations[i].name));
    }
  }
  return migrations;
}

Result<std::size_t> applyMigrations(sqlite::Connection& db, const fs::path& dir,
                                    std::string_view applied_at) {
  VANTUS_TRY(std::vector<Migration> known, listMigrations(dir));
  VANTUS_TRY(auto recorded, recordedMigrations(db));
  VANTUS_TRY_VOID(checkRecorded(recorded, known));
  std::size_t applied = 0;
  for (const Migration& migration : known) {
    if (recorded.contains(migration.version)) {
      continue;
    }
    VANTUS_TRY_VOID(applyOne(db, migration, applied_at));
    ++applied;
  }
  return applied;
}

}  // namespace vantus::controller
