#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// Forward-only schema migrations: files named NNNN_name.sql (4 digits, lower-case name) in
// one directory, applied in version order, each in its own IMMEDIATE transaction together
// with its row in schema_migrations (the table 0001 creates). A file must not contain
// BEGIN/COMMIT. Called by SqliteStore::open before any other connection exists.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "controller/store/sqlite_connection.h"

namespace vantus::controller {

struct Migration {
  int version = 0;
  std::string name;  // file name without ".sql", e.g. "0001_initial"
  std::filesystem::path path;
};

// The migrations of `dir` sorted by version. Fails on a *.sql file with another name form,
// on two files with one version and on a directory without migrations.
Result<std::vector<Migration>> listMigrations(const std::filesystem::path& dir);

// Applies every migration of `dir` that `db` has not recorded and returns how many ran.
// Refuses (kFailedPrecondition, nothing applied) a database that recorded a migration this
// build does not have, or that is missing a migration older than one it has.
Result<std::size_t> applyMigrations(sqlite::Connection& db, const std::filesystem::path& dir,
                                    std::string_view applied_at);

}  // namespace vantus::controller
