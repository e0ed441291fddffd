#include "controller/store/sqlite_store.h"

#include <fmt/format.h>

#include "common/core/time.h"
#include "common/log/log.h"
#include "controller/store/migrations.h"
#include "controller/store/sqlite_transaction.h"

namespace vantus::controller {

namespace {

// Ends whatever transaction is still open after a failure; the original error is what
// the caller needs to see, so a failing ROLLBACK is not reported over it.
void rollbackQuietly(sqlite::Connection& db) {
  if (db.inTransaction()) {
    (void)db.execute("ROLLBACK");
  }
}

}  // namespace

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& path,
                                           const std::filesystem::path& migrations_dir,
                                           UnixClock clock,
                                           std::optional<AuditChainKey> audit_key) {
  VANTUS_TRY(std::unique_ptr<SqliteStore> store,
             SqliteStore::open(path, migrations_dir, std::move(clock), std::move(audit_key)));
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::filesystem::path& path,
                                                       const std::filesystem::path& migrations_dir,
                                                       UnixClock clock,
                                                       std::optional<AuditChainKey> audit_key) {
  VANTUS_TRY(std::unique_ptr<sqlite::Connection> writer,
             sqlite::Connection::open(path, sqlite::Connection::Mode::kReadWrite));
  VANTUS_TRY(std::size_t applied,
             applyMigrations(*writer, migrations_dir, formatRfc3339Utc(clock())));
  if (applied > 0) {
    log::info("store.migrated", {{"database", path.string()}, {"applied", applied}});
  }
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(path, std::move(writer), std::move(clock), std::move(audit_key)));
}

Result<void> SqliteStore::write(const std::function<Result<void>(Transaction&)>& work) {
  if (writing_thread_.load() == std::this_thread::get_id()) {
    return fail(ErrorCode::kFailedPrecondition,
                "Store::write called from inside a write callback (writes do not nest)");
  }
  std::lock_guard lock(write_mutex_);
  writing_thread_.store(std::this_thread::get_id());
  struct ClearWriter {
    std::atomic<std::thread::id>& thread;
    ~ClearWriter() { thread.store(std::thread::id()); }
  } clear_writer{writing_thread_};

  // IMMEDIATE takes the write lock now, so the callback never fails half-way on a lock
  // another process holds.
  VANTUS_TRY_VOID(writer_->execute("BEGIN IMMEDIATE"));
  SqliteTransaction tx(*writer_, clock_(), SqliteTransaction::Access::kReadWrite, audit_key_);
  Result<void> outcome;
  try {
    outcome = work(tx);
  } catch (...) {
    rollbackQuietly(*writer_);
    throw;
  }
  if (outcome) {
    outcome = writer_->execute("COMMIT");
  }
  if (!outcome) {
    rollbackQuietly(*writer_);
  } else {
    generation_.fetch_add(1);
  }
  return outcome;
}

Result<void> SqliteStore::read(const std::function<Result<void>(Transaction&)>& work) const {
  VANTUS_TRY(std::unique_ptr<sqlite::Connection> reader, takeReader());
  Result<void> outcome = reader->execute("BEGIN");
  if (outcome) {
    SqliteTransaction tx(*reader, clock_(), SqliteTransaction::Access::kReadOnly, audit_key_);
    try {
      outcome = work(tx);
    } catch (...) {
      rollbackQuietly(*reader);
      returnReader(std::move(reader));
      throw;
    }
  }
  if (outcome) {
    outcome = reader->execute("COMMIT");
  }
  rollbackQuietly(*reader);
  returnReader(std::move(reader));
  return outcome;
}

Result<void> SqliteStore::ping() const {
  VANTUS_TRY(std::unique_ptr<sqlite::Connection> reader, takeReader());
  Result<void> answered = [&]() -> Result<void> {
    VANTUS_TRY(sqlite::Statement query, reader->prepare("SELECT count(*) FROM schema_migrations"));
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return fail(ErrorCode::kIo, "the database did not answer");
    }
    return ok();
  }();
  returnReader(std::move(reader));
  return answered;
}

Result<std::unique_ptr<sqlite::Connection>> SqliteStore::takeReader() const {
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<sqlite::Connection> reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
  }
  return sqlite::Connection::open(path_, sqlite::Connection::Mode::kReadOnly);
}

void SqliteStore::returnReader(std::unique_ptr<sqlite::Connection> reader) const {
  if (reader->inTransaction()) {
    return;  // could not be ended: drop the connection rather than reuse a stale snapshot
  }
  std::lock_guard lock(readers_mutex_);
  if (idle_readers_.size() < kMaxIdleReaders) {
    idle_readers_.push_back(std::move(reader));
  }
}

}  // namespace vantus::controller
