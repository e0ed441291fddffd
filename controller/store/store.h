#pragma once
#ifdef VANTUS_FRONT_DOOR
#error "a front door (controller/api) reaches the store only through the services"
#endif
// The controller's SQLite store: the draft model, users, clusters, deployments, releases
// and the audit log. Every write happens inside Store::write(), one IMMEDIATE transaction
// that commits only when the callback succeeds; the callback appends its own audit row so a
// change and its audit entry land together or not at all. Values going in have been parsed
// (controller/model/validate.h); the store re-checks only uniqueness and references.
//
// Threads: a Store may be used from many threads. Writes are serialised on one connection;
// reads run on a pool of read-only connections and see the last committed state (WAL).
// A Transaction must not escape the callback it was given to.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "common/core/result.h"
#include "common/core/time.h"
#include "controller/model/actor.h"
#include "controller/model/audit_records.h"
#include "controller/model/deployments.h"
#include "controller/model/fleet_records.h"
#include "controller/model/people.h"
#include "controller/model/types.h"
#include "controller/store/transaction.h"

namespace vantus::controller {

class Store {
 public:
  // Opens (creating if absent) the database at `path`, turns on WAL, foreign keys and a busy
  // timeout, and applies every migration of `migrations_dir` (schema/migrations/NNNN_*.sql)
  // not yet applied, each in its own transaction, in order. Forward-only: a database that
  // has a migration this build does not know is refused (kFailedPrecondition). `clock`
  // stamps every transaction (Transaction::now) and the migrations. `audit_key` keys the
  // audit rows appended (controller/store/audit_chain.h); the controller always passes one.
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& path,
                                             const std::filesystem::path& migrations_dir,
                                             UnixClock clock = systemUnixSeconds,
                                             std::optional<AuditChainKey> audit_key = {});
  virtual ~Store() = default;

  // Runs `work` in one write transaction; commits when it returns a value, rolls back when
  // it returns an error (which is returned unchanged) or throws.
  virtual Result<void> write(const std::function<Result<void>(Transaction&)>& work) = 0;
  // Runs `work` on a read-only snapshot. Write methods on the Transaction fail.
  virtual Result<void> read(const std::function<Result<void>(Transaction&)>& work) const = 0;
  // A cheap query proving the database answers (for /readyz).
  virtual Result<void> ping() const = 0;
  // Counts the writes this process committed. What was read at one generation is still
  // current while it holds — except for writes of other processes (the CLI), which it
  // does not count.
  virtual std::uint64_t writeGeneration() const = 0;
};

}  // namespace vantus::controller
