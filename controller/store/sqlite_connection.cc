#include "controller/store/sqlite_connection.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cstring>

#include "common/core/files.h"

namespace vantus::controller::sqlite {

namespace {

constexpr int kBusyTimeoutMs = 5000;

// "UNIQUE constraint failed: upstream_pools.tenant_id, upstream_pools.name" -> "name": the
// last column is the one a person chose (the others scope it).
std::string uniqueField(std::string_view message) {
  std::size_t dot = message.rfind('.');
  if (dot == std::string_view::npos) {
    return {};
  }
  std::string_view column = message.substr(dot + 1);
  std::size_t end = column.find_first_of(" ,");
  return std::string(column.substr(0, end));
}

Error errorOf(int code, std::string_view message) {
  std::string text = fmt::format("sqlite: {}", message);
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Error{ErrorCode::kAlreadyExists, std::move(text), uniqueField(message)};
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return Error{ErrorCode::kFailedPrecondition,
                   "a referenced row is missing or still has dependants",
                   {}};
    case SQLITE_CONSTRAINT_TRIGGER:
      return Error{ErrorCode::kFailedPrecondition, std::move(text), {}};
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return Error{ErrorCode::kInvalidInput, std::move(text), {}};
    default:
      break;
  }
  if ((code & 0xff) == SQLITE_READONLY) {
    return Error{ErrorCode::kFailedPrecondition, std::move(text), {}};
  }
  return Error{ErrorCode::kIo, std::move(text), {}};
}

Error errorOf(sqlite3* db, int code) { return errorOf(code, sqlite3_errmsg(db)); }

void checkBind(int code) {
  if (code != SQLITE_OK) {
    abortOnBrokenInvariant("sqlite3_bind failed (parameter count mismatch?)");
  }
}

}  // namespace

Statement::Statement(sqlite3_stmt* statement, sqlite3* db, bool* in_use)
    : statement_(statement), db_(db), in_use_(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : statement_(other.statement_),
      db_(other.db_),
      in_use_(other.in_use_),
      next_parameter_(other.next_parameter_) {
  other.statement_ = nullptr;
  other.in_use_ = nullptr;
}

Statement::~Statement() {
  if (statement_ == nullptr) {
    return;
  }
  if (in_use_ != nullptr) {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(statement_);
  }
}

Statement& Statement::bindInt(std::int64_t value) {
  checkBind(sqlite3_bind_int64(statement_, next_parameter_++, value));
  return *this;
}

Statement& Statement::bindBool(bool value) { return bindInt(value ? 1 : 0); }

Statement& Statement::bindText(std::string_view value) {
  checkBind(sqlite3_bind_text64(statement_, next_parameter_++, value.data(), value.size(),
                                SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bindNull() {
  checkBind(sqlite3_bind_null(statement_, next_parameter_++));
  return *this;
}

Statement& Statement::bindOptionalInt(std::optional<std::int64_t> value) {
  return value ? bindInt(*value) : bindNull();
}

Statement& Statement::bindOptionalText(const std::optional<std::string>& value) {
  return value ? bindText(*value) : bindNull();
}

Result<bool> Statement::step() {
  int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) {
    return true;
  }
  if (code == SQLITE_DONE) {
    return false;
  }
  return fail(errorOf(db_, code));
}

Result<void> Statement::run() {
  while (true) {
    VANTUS_TRY(bool row, step());
    if (!row) {
      return ok();
    }
  }
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(statement_, column);
}

bool Statement::boolean(int column) const { return integer(column) != 0; }

std::string Statement::text(int column) const {
  const unsigned char* data = sqlite3_column_text(statement_, column);
  if (data == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(data),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
}

bool Statement::isNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::optionalInteger(int column) const {
  if (isNull(column)) {
    return std::nullopt;
  }
  return integer(column);
}

Result<std::unique_ptr<Connection>> Connection::open(const std::filesystem::path& path, Mode mode) {
  int flags = SQLITE_OPEN_READONLY;
  if (mode == Mode::kReadWrite) {
    // Owner-only before SQLite creates it (0644 minus umask); -wal and -shm inherit the mode.
    VANTUS_TRY_VOID(createFileIfMissing(path.string(), 0600));
    flags = SQLITE_OPEN_READWRITE;
  }
  sqlite3* raw = nullptr;
  int code = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // The handle exists even when opening failed and must be closed either way.
  std::unique_ptr<Connection> connection(new Connection(raw));
  if (code != SQLITE_OK) {
    return fail(ErrorCode::kIo, fmt::format("cannot open database {}: {}", path.string(),
                                            raw ? sqlite3_errmsg(raw) : sqlite3_errstr(code)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  if (mode == Mode::kReadOnly) {
    VANTUS_TRY_VOID(connection->execute("PRAGMA query_only = ON"));
    return connection;
  }
  VANTUS_TRY_VOID(connection->execute(
      "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL"));
  VANTUS_TRY(Statement journal, connection->prepare("PRAGMA journal_mode"));
  VANTUS_TRY(bool has_row, journal.step());
  if (!has_row || journal.text(0) != "wal") {
    return fail(ErrorCode::kIo,
                fmt::format("database {} cannot use write-ahead logging", path.string()));
  }
  return connection;
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) {
    sqlite3_finalize(cached.statement);
  }
  sqlite3_close_v2(db_);
}

Result<void> Connection::execute(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int code = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (code == SQLITE_OK) {
    return ok();
  }
  Error error = errorOf(code, message ? message : sqlite3_errstr(code));
  sqlite3_free(message);
  return fail(std::move(error));
}

Result<Statement> Connection::prepare(std::string_view sql) {
  auto found = cache_.find(std::string(sql));
  if (found != cache_.end() && !found->second.in_use) {
    found->second.in_use = true;
    return Statement(found->second.statement, db_, &found->second.in_use);
  }
  sqlite3_stmt* statement = nullptr;
  const char* tail = nullptr;
  int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &statement, &tail);
  if (code != SQLITE_OK) {
    return fail(errorOf(db_, code));
  }
  if (statement == nullptr || tail != sql.data() + sql.size()) {
    sqlite3_finalize(statement);
    abortOnBrokenInvariant("Connection::prepare takes exactly one SQL statement");
  }
  if (found != cache_.end()) {
    return Statement(statement, db_, nullptr);
  }
  CachedStatement& slot = cache_[std::string(sql)];
  slot.statement = statement;
  slot.in_use = true;
  return Statement(statement, db_, &slot.in_use);
}

std::int64_t Connection::lastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }

bool Connection::inTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace vantus::controller::sqlite
