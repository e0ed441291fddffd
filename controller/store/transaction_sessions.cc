#include <fmt/format.h>

#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

namespace {

constexpr std::string_view kSessionColumns =
    "id, user_id, id_hash, created_at, last_seen_at, address, user_agent";

SessionRecord sessionFromRow(const sqlite::Statement& row) {
  SessionRecord session;
  session.id = row.integer(0);
  session.user_id = row.integer(1);
  session.id_hash = row.text(2);
  session.created_at = row.integer(3);
  session.last_seen_at = row.integer(4);
  session.address = row.text(5);
  session.user_agent = row.text(6);
  return session;
}

}  // namespace

Result<SessionRecord> SqliteTransaction::insertSession(const SessionRecord& session) {
  VANTUS_TRY_VOID(requireWritable("insertSession"));
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO sessions (user_id, id_hash, created_at, last_seen_at, "
                         "address, user_agent) VALUES (?, ?, ?, ?, ?, ?)"));
  insert.bindInt(session.user_id)
      .bindText(session.id_hash)
      .bindInt(session.created_at)
      .bindInt(session.last_seen_at)
      .bindText(session.address)
      .bindText(session.user_agent);
  VANTUS_TRY_VOID(insert.run());
  SessionRecord created = session;
  created.id = db_.lastInsertRowid();
  return created;
}

Result<SessionRecord> SqliteTransaction::sessionByHash(std::string_view id_hash) {
  VANTUS_TRY(
      sqlite::Statement query,
      db_.prepare(fmt::format("SELECT {} FROM sessions WHERE id_hash = ?", kSessionColumns)));
  query.bindText(id_hash);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return fail(ErrorCode::kNotFound, "session not found");
  }
  return sessionFromRow(query);
}

Result<std::vector<SessionRecord>> SqliteTransaction::sessionsOfUser(Id user_id) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM sessions WHERE user_id = ? ORDER BY id",
                                     kSessionColumns)));
  query.bindInt(user_id);
  std::vector<SessionRecord> sessions;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      break;
    }
    sessions.push_back(sessionFromRow(query));
  }
  return sessions;
}

Result<void> SqliteTransaction::touchSession(Id id, std::int64_t last_seen_at) {
  VANTUS_TRY_VOID(requireWritable("touchSession"));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE sessions SET last_seen_at = ? WHERE id = ?"));
  update.bindInt(last_seen_at).bindInt(id);
  return update.run();
}

Result<void> SqliteTransaction::deleteSession(Id id) {
  VANTUS_TRY_VOID(requireWritable("deleteSession"));
  VANTUS_TRY(sqlite::Statement remove, db_.prepare("DELETE FROM sessions WHERE id = ?"));
  remove.bindInt(id);
  return remove.run();
}

Result<void> SqliteTransaction::deleteSessionsOfUser(Id user_id) {
  VANTUS_TRY_VOID(requireWritable("deleteSessionsOfUser"));
  VANTUS_TRY(sqlite::Statement remove, db_.prepare("DELETE FROM sessions WHERE user_id = ?"));
  remove.bindInt(user_id);
  return remove.run();
}

Result<PasswordReset> SqliteTransaction::insertPasswordReset(const PasswordReset& reset) {
  VANTUS_TRY_VOID(requireWritable("insertPasswordReset"));
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO password_resets (user_id, token_hash, created_at, "
                         "expires_at, used, purpose, tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  insert.bindInt(reset.user_id)
      .bindText(reset.token_hash)
      .bindInt(reset.created_at)
      .bindInt(reset.expires_at)
      .bindBool(reset.used)
      .bindText(reset.purpose == LinkPurpose::kInvitation ? "invitation" : "reset")
      .bindOptionalInt(reset.tenant_id);
  VANTUS_TRY_VOID(insert.run());
  PasswordReset created = reset;
  created.id = db_.lastInsertRowid();
  return created;
}

Result<PasswordReset> SqliteTransaction::passwordResetByHash(std::string_view token_hash) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare("SELECT id, user_id, token_hash, created_at, expires_at, used, purpose, "
                         "tenant_id FROM password_resets WHERE token_hash = ?"));
  query.bindText(token_hash);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return fail(ErrorCode::kNotFound, "password link not found");
  }
  PasswordReset reset;
  reset.id = query.integer(0);
  reset.user_id = query.integer(1);
  reset.token_hash = query.text(2);
  reset.created_at = query.integer(3);
  reset.expires_at = query.integer(4);
  reset.used = query.boolean(5);
  reset.purpose =
      query.text(6) == "invitation" ? LinkPurpose::kInvitation : LinkPurpose::kPasswordReset;
  reset.tenant_id = query.optionalInteger(7);
  return reset;
}

Result<void> SqliteTransaction::markPasswordResetUsed(Id id) {
  VANTUS_TRY_VOID(requireWritable("markPasswordResetUsed"));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE password_resets SET used = 1 WHERE id = ?"));
  update.bindInt(id);
  return update.run();
}

}  // namespace vantus::controller
