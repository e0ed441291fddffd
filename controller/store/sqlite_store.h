#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// Store (store.h) on one SQLite file in WAL mode. Writes: one read-write connection behind a
// mutex, each write() one BEGIN IMMEDIATE transaction. Reads: read-only connections from a
// small pool (opened on demand, up to kMaxIdleReaders kept), each read() one snapshot.
// write() is not re-entrant: calling it from inside a write callback on the same thread
// fails with kFailedPrecondition instead of deadlocking. A read() inside a write callback
// sees the last committed state, not the callback's own changes.
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "controller/store/sqlite_connection.h"
#include "controller/store/store.h"

namespace vantus::controller {

class SqliteStore final : public Store {
 public:
  // As many as requests can read at once (the HTTP server runs up to 192 workers): opening
  // a connection re-reads the schema, which costs more than most reads.
  static constexpr std::size_t kMaxIdleReaders = 64;

  // What Store::open does: opens/creates `path` (0600) and applies pending migrations.
  static Result<std::unique_ptr<SqliteStore>> open(const std::filesystem::path& path,
                                                   const std::filesystem::path& migrations_dir,
                                                   UnixClock clock = systemUnixSeconds,
                                                   std::optional<AuditChainKey> audit_key = {});

  Result<void> write(const std::function<Result<void>(Transaction&)>& work) override;
  Result<void> read(const std::function<Result<void>(Transaction&)>& work) const override;
  Result<void> ping() const override;
  std::uint64_t writeGeneration() const override { return generation_.load(); }

 private:
  SqliteStore(std::filesystem::path path, std::unique_ptr<sqlite::Connection> writer,
              UnixClock clock, std::optional<AuditChainKey> audit_key)
      : path_(std::move(path)),
        clock_(std::move(clock)),
        audit_key_(std::move(audit_key)),
        writer_(std::move(writer)) {}

  Result<std::unique_ptr<sqlite::Connection>> takeReader() const;
  std::atomic<std::uint64_t> generation_{0};
  void returnReader(std::unique_ptr<sqlite::Connection> reader) const;

  const std::filesystem::path path_;
  const UnixClock clock_;
  const std::optional<AuditChainKey> audit_key_;

  std::mutex write_mutex_;
  std::unique_ptr<sqlite::Connection> writer_;   // guarded by write_mutex_
  std::atomic<std::thread::id> writing_thread_;  // the thread inside write(), if any

  mutable std::mutex readers_mutex_;
  mutable std::vector<std::unique_ptr<sqlite::Connection>> idle_readers_;
};

}  // namespace vantus::controller
