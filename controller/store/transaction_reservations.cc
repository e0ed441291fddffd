// What the deployment pipeline needs to survive a crash between its steps: deployment ids
// reserved before the commit and the claims a failed reservation gives back.
#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

using store_support::enumFromText;
using store_support::jsonText;
using store_support::parseJsonColumn;

namespace {

nlohmann::json actorJson(const Actor& actor) {
  return {{"kind", actor.kind},
          {"id", actor.id},
          {"name", actor.name},
          {"email", actor.email},
          {"source_address", actor.source_address},
          {"user_agent", actor.user_agent}};
}

Actor actorFromJson(const nlohmann::json& json) {
  Actor actor;
  actor.kind = json.value("kind", std::string("system"));
  actor.id = json.value("id", std::string());
  actor.name = json.value("name", std::string());
  actor.email = json.value("email", std::string());
  actor.source_address = json.value("source_address", std::string());
  actor.user_agent = json.value("user_agent", std::string());
  return actor;
}

}  // namespace

Result<Id> SqliteTransaction::reserveDeployment(const DeploymentReservation& reservation) {
  VANTUS_TRY_VOID(requireWritable("reserveDeployment"));
  VANTUS_TRY_VOID(
      requireRow("SELECT 1 FROM tenants WHERE id = ?", "tenant", reservation.tenant_id));
  VANTUS_TRY(sqlite::Statement next,
             db_.prepare("SELECT max(coalesce((SELECT seq FROM sqlite_sequence "
                         "WHERE name = 'deployments'), 0), "
                         "coalesce((SELECT max(id) FROM deployments), 0), "
                         "coalesce((SELECT max(id) FROM deployment_reservations), 0)) + 1"));
  VANTUS_TRY(bool row, next.step());
  const Id id = row ? next.integer(0) : Id{1};
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO deployment_reservations (id, tenant_id, kind, rollback_of, "
                         "base_commit, actor_json, message, snapshot_json, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.bindInt(id)
      .bindInt(reservation.tenant_id)
      .bindText(deploymentKindName(reservation.kind))
      .bindOptionalInt(reservation.rollback_of)
      .bindText(reservation.base_commit)
      .bindText(jsonText(actorJson(reservation.actor)))
      .bindText(reservation.message)
      .bindText(jsonText(reservation.snapshot))
      .bindText(nowText());
  VANTUS_TRY_VOID(insert.run());
  return id;
}

Result<std::vector<DeploymentReservation>> SqliteTransaction::deploymentReservations() {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare("SELECT id, tenant_id, kind, rollback_of, base_commit, actor_json, "
                         "message, snapshot_json, created_at FROM deployment_reservations "
                         "ORDER BY id"));
  std::vector<DeploymentReservation> reservations;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return reservations;
    }
    DeploymentReservation reservation;
    reservation.id = query.integer(0);
    reservation.tenant_id = query.integer(1);
    VANTUS_TRY(reservation.kind,
               enumFromText(query.text(2), {DeploymentKind::kDeploy, DeploymentKind::kRollback},
                            deploymentKindName, "deployment kind"));
    reservation.rollback_of = query.optionalInteger(3);
    reservation.base_commit = query.text(4);
    VANTUS_TRY(nlohmann::json actor,
               parseJsonColumn(query.text(5), "deployment_reservations.actor_json"));
    reservation.actor = actorFromJson(actor);
    reservation.message = query.text(6);
    VANTUS_TRY(reservation.snapshot,
               parseJsonColumn(query.text(7), "deployment_reservations.snapshot_json"));
    reservation.created_at = query.text(8);
    reservations.push_back(std::move(reservation));
  }
}

Result<void> SqliteTransaction::deleteDeploymentReservation(Id id) {
  VANTUS_TRY_VOID(requireWritable("deleteDeploymentReservation"));
  return deleteRow("DELETE FROM deployment_reservations WHERE id = ?", "deployment reservation",
                   id);
}

Result<void> SqliteTransaction::releaseIdempotencyClaims(std::string_view target) {
  VANTUS_TRY_VOID(requireWritable("releaseIdempotencyClaims"));
  VANTUS_TRY(sqlite::Statement forget,
             db_.prepare("DELETE FROM idempotency_keys WHERE status = 0 AND target = ?"));
  forget.bindText(target);
  return forget.run();
}

}  // namespace vantus::controller
