#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// RAII ownership of one sqlite3 connection and its prepared statements: the only place that
// talks to the SQLite C API. A Connection is used by one thread at a time (SqliteStore
// hands connections out under its locks); a Statement must not outlive its Connection.
//
// Errors from SQLite become Error values: UNIQUE/PRIMARY KEY -> kAlreadyExists with `field`
// set to the last column named by SQLite, FOREIGN KEY / trigger / read-only ->
// kFailedPrecondition, CHECK -> kInvalidInput, anything else -> kIo.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/core/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace vantus::controller::sqlite {

class Connection;

// One use of a prepared statement. Parameters are bound in order ("?" 1, 2, ...); the
// statement is reset (and returned to its connection's cache) when this object dies.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bindInt(std::int64_t value);
  Statement& bindBool(bool value);
  Statement& bindText(std::string_view value);
  Statement& bindNull();
  Statement& bindOptionalInt(std::optional<std::int64_t> value);
  Statement& bindOptionalText(const std::optional<std::string>& value);

  // true while a row is available, false when done.
  Result<bool> step();
  // Steps to completion (INSERT, UPDATE, DELETE).
  Result<void> run();

  std::int64_t integer(int column) const;
  bool boolean(int column) const;
  std::string text(int column) const;
  bool isNull(int column) const;
  std::optional<std::int64_t> optionalInteger(int column) const;

 private:
  friend class Connection;
  Statement(sqlite3_stmt* statement, sqlite3* db, bool* in_use);

  sqlite3_stmt* statement_;
  sqlite3* db_;
  bool* in_use_;  // the cache slot's flag; nullptr for an uncached statement
  int next_parameter_ = 1;
};

class Connection {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Read-write: creates the file (mode 0600) when absent, turns on WAL, foreign keys and
  // synchronous=NORMAL. Read-only: query_only. Both wait up to 5 s on a locked database.
  static Result<std::unique_ptr<Connection>> open(const std::filesystem::path& path, Mode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without parameters (migrations, BEGIN/COMMIT, pragmas).
  Result<void> execute(std::string_view sql);
  // A cached prepared statement for `sql`; a fresh, uncached one while the cached one is in
  // use (a query issued while iterating another instance of itself).
  Result<Statement> prepare(std::string_view sql);

  std::int64_t lastInsertRowid() const;
  // Rows changed by the latest INSERT, UPDATE or DELETE.
  std::int64_t changes() const;
  bool inTransaction() const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  struct CachedStatement {
    sqlite3_stmt* statement = nullptr;
    bool in_use = false;
  };

  sqlite3* db_;
  // Node-based map: a slot's address (and so its in_use flag) is stable across inserts.
  std::unordered_map<std::string, CachedStatement> cache_;
};

}  // namespace vantus::controller::sqlite
