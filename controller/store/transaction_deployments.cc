#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

using store_support::conflict;
using store_support::enumFromText;
using store_support::jsonText;
using store_support::notFound;
using store_support::parseJsonColumn;

namespace {

constexpr std::string_view kDeploymentColumns =
    "id, tenant_id, kind, rollback_of, status, status_detail, actor_name, message, commit_id, "
    "snapshot_json, created_at";

Result<Deployment> deploymentFromRow(const sqlite::Statement& row) {
  Deployment deployment;
  deployment.id = row.integer(0);
  deployment.tenant_id = row.integer(1);
  VANTUS_TRY(deployment.kind,
             enumFromText(row.text(2), {DeploymentKind::kDeploy, DeploymentKind::kRollback},
                          deploymentKindName, "deployment kind"));
  deployment.rollback_of = row.optionalInteger(3);
  VANTUS_TRY(deployment.status,
             enumFromText(row.text(4),
                          {DeploymentStatus::kCommitted, DeploymentStatus::kReleased,
                           DeploymentStatus::kFailed},
                          deploymentStatusName, "deployment status"));
  deployment.status_detail = row.text(5);
  deployment.actor_name = row.text(6);
  deployment.message = row.text(7);
  deployment.commit_id = row.text(8);
  VANTUS_TRY(deployment.snapshot, parseJsonColumn(row.text(9), "deployments.snapshot_json"));
  deployment.created_at = row.text(10);
  return deployment;
}

Result<std::vector<Deployment>> deploymentRows(sqlite::Statement& query) {
  std::vector<Deployment> deployments;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return deployments;
    }
    VANTUS_TRY(Deployment deployment, deploymentFromRow(query));
    deployments.push_back(std::move(deployment));
  }
}

}  // namespace

Result<Id> SqliteTransaction::nextDeploymentId() {
  // sqlite_sequence remembers the highest id ever inserted, so an id freed by a deleted
  // tenant is never handed out again (it is already in a git commit trailer).
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare("SELECT max(coalesce((SELECT seq FROM sqlite_sequence "
                         "WHERE name = 'deployments'), 0), "
                         "coalesce((SELECT max(id) FROM deployments), 0)) + 1"));
  VANTUS_TRY(bool row, query.step());
  return row ? query.integer(0) : Id{1};
}

Result<Deployment> SqliteTransaction::insertDeployment(const Deployment& deployment) {
  VANTUS_TRY_VOID(requireWritable("insertDeployment"));
  if (deployment.id <= 0) {
    return fail(ErrorCode::kInvalidInput,
                "a deployment id must be allocated with nextDeploymentId() first", "id");
  }
  VANTUS_TRY_VOID(requireRow("SELECT 1 FROM tenants WHERE id = ?", "tenant", deployment.tenant_id));
  if (deployment.rollback_of) {
    VANTUS_TRY_VOID(requireRow("SELECT 1 FROM deployments WHERE id = ?", "deployment",
                               *deployment.rollback_of));
  }
  const std::string now = nowText();
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO deployments (id, tenant_id, kind, rollback_of, status, "
                         "status_detail, actor_name, message, commit_id, snapshot_json, "
                         "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.bindInt(deployment.id)
      .bindInt(deployment.tenant_id)
      .bindText(deploymentKindName(deployment.kind))
      .bindOptionalInt(deployment.rollback_of)
      .bindText(deploymentStatusName(deployment.status))
      .bindText(deployment.status_detail)
      .bindText(deployment.actor_name)
      .bindText(deployment.message)
      .bindText(deployment.commit_id)
      .bindText(jsonText(deployment.snapshot))
      .bindText(now);
  if (Result<void> done = insert.run(); !done) {
    return conflict(std::move(done).error(),
                    fmt::format("deployment {} already exists", deployment.id), "id");
  }
  return this->deployment(deployment.id);
}

Result<Deployment> SqliteTransaction::deployment(Id id) {
  VANTUS_TRY(
      sqlite::Statement query,
      db_.prepare(fmt::format("SELECT {} FROM deployments WHERE id = ?", kDeploymentColumns)));
  query.bindInt(id);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return notFound("deployment", id);
  }
  return deploymentFromRow(query);
}

Result<void> SqliteTransaction::setDeploymentStatus(Id id, DeploymentStatus status,
                                                    std::string_view detail) {
  VANTUS_TRY_VOID(requireWritable("setDeploymentStatus"));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE deployments SET status = ?, status_detail = ? WHERE id = ?"));
  update.bindText(deploymentStatusName(status)).bindText(detail).bindInt(id);
  VANTUS_TRY_VOID(update.run());
  if (db_.changes() == 0) {
    return notFound("deployment", id);
  }
  return ok();
}

Result<std::vector<Deployment>> SqliteTransaction::deploymentsOfTenant(Id tenant_id, Id before_id,
                                                                       std::size_t limit) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM deployments WHERE tenant_id = ? AND "
                                     "id < ? ORDER BY id DESC LIMIT ?",
                                     kDeploymentColumns)));
  query.bindInt(tenant_id).bindInt(sqlBefore(before_id)).bindInt(sqlLimit(limit));
  return deploymentRows(query);
}

Result<std::optional<Deployment>> SqliteTransaction::lastDeployment() {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM deployments ORDER BY id DESC LIMIT 1",
                                     kDeploymentColumns)));
  VANTUS_TRY(std::vector<Deployment> rows, deploymentRows(query));
  if (rows.empty()) {
    return std::optional<Deployment>();
  }
  return std::optional<Deployment>(std::move(rows.front()));
}

}  // namespace vantus::controller
