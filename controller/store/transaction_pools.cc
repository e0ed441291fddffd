#include <map>

#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

using store_support::conflict;
using store_support::enumFromText;
using store_support::notFound;

namespace {

constexpr std::string_view kPoolColumns =
    "id, tenant_id, name, protocol, health_check_path, health_check_interval_s, created_at, "
    "updated_at";

Result<UpstreamPool> poolFromRow(const sqlite::Statement& row) {
  UpstreamPool pool;
  pool.id = row.integer(0);
  pool.tenant_id = row.integer(1);
  pool.name = row.text(2);
  VANTUS_TRY(pool.protocol,
             enumFromText(row.text(3), {UpstreamProtocol::kHttp, UpstreamProtocol::kHttps},
                          upstreamProtocolName, "upstream protocol"));
  pool.health_check_path = row.text(4);
  pool.health_check_interval_s = static_cast<int>(row.integer(5));
  pool.created_at = row.text(6);
  pool.updated_at = row.text(7);
  return pool;
}

Unexpected nameTaken(Error error, std::string_view name) {
  return conflict(std::move(error),
                  fmt::format("this tenant already has an upstream pool named \"{}\"", name),
                  "name");
}

// Fills each pool's targets from `query`, which yields (pool_id, host, port, weight, backup)
// ordered by position.
Result<void> attachTargets(sqlite::Statement& query, std::vector<UpstreamPool>& pools) {
  std::map<Id, UpstreamPool*> by_id;
  for (UpstreamPool& pool : pools) {
    by_id.emplace(pool.id, &pool);
  }
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return ok();
    }
    auto owner = by_id.find(query.integer(0));
    if (owner == by_id.end()) {
      continue;
    }
    owner->second->targets.push_back(
        UpstreamTarget{query.text(1), static_cast<std::uint16_t>(query.integer(2)),
                       static_cast<int>(query.integer(3)), query.boolean(4)});
  }
}

Result<void> insertTargets(sqlite::Connection& db, Id pool_id,
                           const std::vector<UpstreamTarget>& targets) {
  for (std::size_t position = 0; position < targets.size(); ++position) {
    const UpstreamTarget& target = targets[position];
    VANTUS_TRY(sqlite::Statement insert,
               db.prepare("INSERT INTO upstream_targets (pool_id, position, host, port, weight, "
                          "backup) VALUES (?, ?, ?, ?, ?, ?)"));
    insert.bindInt(pool_id)
        .bindInt(static_cast<std::int64_t>(position))
        .bindText(target.host)
        .bindInt(target.port)
        .bindInt(target.weight)
        .bindBool(target.backup);
    VANTUS_TRY_VOID(insert.run());
  }
  return ok();
}

}  // namespace

Result<UpstreamPool> SqliteTransaction::insertPool(const UpstreamPool& pool) {
  VANTUS_TRY_VOID(requireWritable("insertPool"));
  VANTUS_TRY_VOID(requireRow("SELECT 1 FROM tenants WHERE id = ?", "tenant", pool.tenant_id));
  const std::string now = nowText();
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO upstream_pools (tenant_id, name, protocol, "
                         "health_check_path, health_check_interval_s, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  insert.bindInt(pool.tenant_id)
      .bindText(pool.name)
      .bindText(upstreamProtocolName(pool.protocol))
      .bindText(pool.health_check_path)
      .bindInt(pool.health_check_interval_s)
      .bindText(now)
      .bindText(now);
  if (Result<void> done = insert.run(); !done) {
    return nameTaken(std::move(done).error(), pool.name);
  }
  UpstreamPool created = pool;
  created.id = db_.lastInsertRowid();
  created.created_at = now;
  created.updated_at = now;
  VANTUS_TRY_VOID(insertTargets(db_, created.id, created.targets));
  return created;
}

Result<UpstreamPool> SqliteTransaction::pool(Id id) {
  std::vector<UpstreamPool> pools;
  {
    VANTUS_TRY(
        sqlite::Statement query,
        db_.prepare(fmt::format("SELECT {} FROM upstream_pools WHERE id = ?", kPoolColumns)));
    query.bindInt(id);
    VANTUS_TRY(bool found, query.step());
    if (!found) {
      return notFound("upstream pool", id);
    }
    VANTUS_TRY(UpstreamPool pool, poolFromRow(query));
    pools.push_back(std::move(pool));
  }
  VANTUS_TRY(sqlite::Statement targets,
             db_.prepare("SELECT pool_id, host, port, weight, backup FROM upstream_targets "
                         "WHERE pool_id = ? ORDER BY position"));
  targets.bindInt(id);
  VANTUS_TRY_VOID(attachTargets(targets, pools));
  return std::move(pools.front());
}

Result<std::vector<UpstreamPool>> SqliteTransaction::poolsOfTenant(Id tenant_id) {
  std::vector<UpstreamPool> pools;
  {
    VANTUS_TRY(sqlite::Statement query,
               db_.prepare(fmt::format(
                   "SELECT {} FROM upstream_pools WHERE tenant_id = ? ORDER BY id", kPoolColumns)));
    query.bindInt(tenant_id);
    while (true) {
      VANTUS_TRY(bool row, query.step());
      if (!row) {
        break;
      }
      VANTUS_TRY(UpstreamPool pool, poolFromRow(query));
      pools.push_back(std::move(pool));
    }
  }
  if (pools.empty()) {
    return pools;
  }
  VANTUS_TRY(sqlite::Statement targets,
             db_.prepare("SELECT t.pool_id, t.host, t.port, t.weight, t.backup "
                         "FROM upstream_targets t JOIN upstream_pools p ON p.id = t.pool_id "
                         "WHERE p.tenant_id = ? ORDER BY t.pool_id, t.position"));
  targets.bindInt(tenant_id);
  VANTUS_TRY_VOID(attachTargets(targets, pools));
  return pools;
}

Result<UpstreamPool> SqliteTransaction::updatePool(const UpstreamPool& pool) {
  VANTUS_TRY_VOID(requireWritable("updatePool"));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE upstream_pools SET name = ?, protocol = ?, "
                         "health_check_path = ?, health_check_interval_s = ?, updated_at = ? "
                         "WHERE id = ?"));
  update.bindText(pool.name)
      .bindText(upstreamProtocolName(pool.protocol))
      .bindText(pool.health_check_path)
      .bindInt(pool.health_check_interval_s)
      .bindText(nowText())
      .bindInt(pool.id);
  if (Result<void> done = update.run(); !done) {
    return nameTaken(std::move(done).error(), pool.name);
  }
  if (db_.changes() == 0) {
    return notFound("upstream pool", pool.id);
  }
  VANTUS_TRY(sqlite::Statement clear,
             db_.prepare("DELETE FROM upstream_targets WHERE pool_id = ?"));
  clear.bindInt(pool.id);
  VANTUS_TRY_VOID(clear.run());
  VANTUS_TRY_VOID(insertTargets(db_, pool.id, pool.targets));
  return this->pool(pool.id);
}

Result<void> SqliteTransaction::deletePool(Id id) {
  VANTUS_TRY_VOID(requireWritable("deletePool"));
  return deleteRow("DELETE FROM upstream_pools WHERE id = ?", "upstream pool", id);
}

}  // namespace vantus::controller
