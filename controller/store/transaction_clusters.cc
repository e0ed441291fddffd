#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

using store_support::conflict;
using store_support::notFound;

namespace {

EdgeCluster clusterFromRow(const sqlite::Statement& row) {
  return EdgeCluster{row.integer(0), row.text(1), row.text(2)};
}

Result<std::vector<EdgeCluster>> clusterRows(sqlite::Statement& query) {
  std::vector<EdgeCluster> clusters;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return clusters;
    }
    clusters.push_back(clusterFromRow(query));
  }
}

Result<std::int64_t> countOf(sqlite::Connection& db, std::string_view sql, Id id) {
  VANTUS_TRY(sqlite::Statement query, db.prepare(sql));
  query.bindInt(id);
  VANTUS_TRY(bool row, query.step());
  return row ? query.integer(0) : 0;
}

}  // namespace

Result<EdgeCluster> SqliteTransaction::insertCluster(const EdgeCluster& cluster) {
  VANTUS_TRY_VOID(requireWritable("insertCluster"));
  const std::string now = nowText();
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO edge_clusters (name, created_at) VALUES (?, ?)"));
  insert.bindText(cluster.name).bindText(now);
  if (Result<void> done = insert.run(); !done) {
    return conflict(std::move(done).error(),
                    fmt::format("an edge cluster named \"{}\" already exists", cluster.name),
                    "name");
  }
  return EdgeCluster{db_.lastInsertRowid(), cluster.name, now};
}

Result<EdgeCluster> SqliteTransaction::cluster(Id id) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare("SELECT id, name, created_at FROM edge_clusters WHERE id = ?"));
  query.bindInt(id);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return notFound("edge cluster", id);
  }
  return clusterFromRow(query);
}

Result<EdgeCluster> SqliteTransaction::clusterByName(std::string_view name) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare("SELECT id, name, created_at FROM edge_clusters WHERE name = ?"));
  query.bindText(name);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return fail(ErrorCode::kNotFound, fmt::format("edge cluster \"{}\" not found", name));
  }
  return clusterFromRow(query);
}

Result<std::vector<EdgeCluster>> SqliteTransaction::listClusters() {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare("SELECT id, name, created_at FROM edge_clusters ORDER BY name"));
  return clusterRows(query);
}

Result<void> SqliteTransaction::deleteCluster(Id id) {
  VANTUS_TRY_VOID(requireWritable("deleteCluster"));
  VANTUS_TRY(EdgeCluster doomed, cluster(id));
  VANTUS_TRY(std::int64_t tenants,
             countOf(db_, "SELECT count(*) FROM tenant_edge_assignments WHERE cluster_id = ?", id));
  if (tenants > 0) {
    return fail(
        ErrorCode::kFailedPrecondition,
        fmt::format("edge cluster \"{}\" still has {} tenant(s) assigned", doomed.name, tenants));
  }
  VANTUS_TRY(std::int64_t nodes,
             countOf(db_, "SELECT count(*) FROM edge_nodes WHERE cluster_id = ?", id));
  if (nodes > 0) {
    return fail(ErrorCode::kFailedPrecondition,
                fmt::format("edge cluster \"{}\" still has {} node(s)", doomed.name, nodes));
  }
  VANTUS_TRY(sqlite::Statement erase, db_.prepare("DELETE FROM edge_clusters WHERE id = ?"));
  erase.bindInt(id);
  return erase.run();
}

Result<void> SqliteTransaction::assign(Id tenant_id, Id cluster_id) {
  VANTUS_TRY_VOID(requireWritable("assign"));
  VANTUS_TRY_VOID(requireRow("SELECT 1 FROM tenants WHERE id = ?", "tenant", tenant_id));
  VANTUS_TRY_VOID(
      requireRow("SELECT 1 FROM edge_clusters WHERE id = ?", "edge cluster", cluster_id));
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO tenant_edge_assignments (tenant_id, cluster_id, "
                         "created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"));
  insert.bindInt(tenant_id).bindInt(cluster_id).bindText(nowText());
  return insert.run();
}

Result<void> SqliteTransaction::unassign(Id tenant_id, Id cluster_id) {
  VANTUS_TRY_VOID(requireWritable("unassign"));
  VANTUS_TRY(sqlite::Statement erase,
             db_.prepare("DELETE FROM tenant_edge_assignments WHERE tenant_id = ? AND "
                         "cluster_id = ?"));
  erase.bindInt(tenant_id).bindInt(cluster_id);
  VANTUS_TRY_VOID(erase.run());
  if (db_.changes() == 0) {
    return fail(ErrorCode::kNotFound,
                fmt::format("tenant {} is not assigned to edge cluster {}", tenant_id, cluster_id));
  }
  return ok();
}

Result<std::vector<EdgeCluster>> SqliteTransaction::clustersOfTenant(Id tenant_id) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare("SELECT c.id, c.name, c.created_at FROM edge_clusters c "
                         "JOIN tenant_edge_assignments a ON a.cluster_id = c.id "
                         "WHERE a.tenant_id = ? ORDER BY c.name"));
  query.bindInt(tenant_id);
  return clusterRows(query);
}

}  // namespace vantus::controller
