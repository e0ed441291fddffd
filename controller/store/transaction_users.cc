#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

using store_support::conflict;
using store_support::enumFromText;
using store_support::notFound;

namespace {

constexpr std::string_view kUserColumns =
    "id, email, password_hash, is_platform_admin, disabled, created_at";

User userFromRow(const sqlite::Statement& row) {
  User user;
  user.id = row.integer(0);
  user.email = row.text(1);
  user.password_hash = row.text(2);
  user.is_platform_admin = row.boolean(3);
  user.disabled = row.boolean(4);
  user.created_at = row.text(5);
  return user;
}

}  // namespace

Result<User> SqliteTransaction::insertUser(const User& user) {
  VANTUS_TRY_VOID(requireWritable("insertUser"));
  const std::string now = nowText();
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO users (email, password_hash, is_platform_admin, disabled, "
                         "created_at) VALUES (?, ?, ?, ?, ?)"));
  insert.bindText(user.email)
      .bindText(user.password_hash)
      .bindBool(user.is_platform_admin)
      .bindBool(user.disabled)
      .bindText(now);
  if (Result<void> done = insert.run(); !done) {
    return conflict(std::move(done).error(),
                    fmt::format("a user with email \"{}\" already exists", user.email), "email");
  }
  User created = user;
  created.id = db_.lastInsertRowid();
  created.created_at = now;
  return created;
}

Result<User> SqliteTransaction::user(Id id) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM users WHERE id = ?", kUserColumns)));
  query.bindInt(id);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return notFound("user", id);
  }
  return userFromRow(query);
}

Result<User> SqliteTransaction::userByEmail(std::string_view email) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM users WHERE email = ?", kUserColumns)));
  query.bindText(email);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return fail(ErrorCode::kNotFound, fmt::format("user \"{}\" not found", email));
  }
  return userFromRow(query);
}

Result<std::size_t> SqliteTransaction::countUsers() {
  VANTUS_TRY(sqlite::Statement query, db_.prepare("SELECT count(*) FROM users"));
  VANTUS_TRY(bool row, query.step());
  return row ? static_cast<std::size_t>(query.integer(0)) : 0;
}

Result<std::vector<User>> SqliteTransaction::listUsers(Id after_id, std::size_t limit) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM users WHERE id > ? ORDER BY id LIMIT ?",
                                     kUserColumns)));
  query.bindInt(after_id).bindInt(static_cast<std::int64_t>(limit));
  std::vector<User> users;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return users;
    }
    users.push_back(userFromRow(query));
  }
}

Result<User> SqliteTransaction::updateUser(const User& user) {
  VANTUS_TRY_VOID(requireWritable("updateUser"));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE users SET is_platform_admin = ?, disabled = ? WHERE id = ?"));
  update.bindBool(user.is_platform_admin).bindBool(user.disabled).bindInt(user.id);
  VANTUS_TRY_VOID(update.run());
  if (db_.changes() == 0) {
    return notFound("user", user.id);
  }
  return this->user(user.id);
}

Result<void> SqliteTransaction::setPasswordHash(Id user_id, std::string_view password_hash) {
  VANTUS_TRY_VOID(requireWritable("setPasswordHash"));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE users SET password_hash = ? WHERE id = ?"));
  update.bindText(password_hash).bindInt(user_id);
  VANTUS_TRY_VOID(update.run());
  if (db_.changes() == 0) {
    return notFound("user", user_id);
  }
  return ok();
}

Result<void> SqliteTransaction::deleteUser(Id id) {
  VANTUS_TRY_VOID(requireWritable("deleteUser"));
  return deleteRow("DELETE FROM users WHERE id = ?", "user", id);
}

Result<std::size_t> SqliteTransaction::countActivePlatformAdmins() {
  VANTUS_TRY(
      sqlite::Statement query,
      db_.prepare("SELECT count(*) FROM users WHERE is_platform_admin = 1 AND disabled = 0"));
  VANTUS_TRY(bool row, query.step());
  return row ? static_cast<std::size_t>(query.integer(0)) : 0;
}

Result<void> SqliteTransaction::putMembership(const Membership& membership) {
  VANTUS_TRY_VOID(requireWritable("putMembership"));
  VANTUS_TRY_VOID(requireRow("SELECT 1 FROM users WHERE id = ?", "user", membership.user_id));
  VANTUS_TRY_VOID(requireRow("SELECT 1 FROM tenants WHERE id = ?", "tenant", membership.tenant_id));
  VANTUS_TRY(sqlite::Statement upsert,
             db_.prepare("INSERT INTO memberships (user_id, tenant_id, role, created_at) "
                         "VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (user_id, tenant_id) DO UPDATE SET role = excluded.role"));
  upsert.bindInt(membership.user_id)
      .bindInt(membership.tenant_id)
      .bindText(tenantRoleName(membership.role))
      .bindText(nowText());
  return upsert.run();
}

Result<std::vector<Membership>> SqliteTransaction::membershipsOfUser(Id user_id) {
  return memberships("m.user_id = ? ORDER BY m.tenant_id", user_id);
}

Result<std::vector<Membership>> SqliteTransaction::membershipsOfTenant(Id tenant_id) {
  return memberships("m.tenant_id = ? ORDER BY m.user_id", tenant_id);
}

Result<std::vector<Membership>> SqliteTransaction::memberships(std::string_view where, Id id) {
  VANTUS_TRY(
      sqlite::Statement query,
      db_.prepare(fmt::format("SELECT m.user_id, m.tenant_id, m.role, u.email, m.created_at, "
                              "u.password_hash <> '' "
                              "FROM memberships m JOIN users u ON u.id = m.user_id WHERE {}",
                              where)));
  query.bindInt(id);
  std::vector<Membership> memberships;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return memberships;
    }
    Membership membership;
    membership.user_id = query.integer(0);
    membership.tenant_id = query.integer(1);
    VANTUS_TRY(membership.role, enumFromText(query.text(2),
                                             {TenantRole::kOwner, TenantRole::kAdmin,
                                              TenantRole::kOperator, TenantRole::kViewer},
                                             tenantRoleName, "tenant role"));
    membership.email = query.text(3);
    membership.created_at = query.text(4);
    membership.has_password = query.boolean(5);
    memberships.push_back(std::move(membership));
  }
}

Result<void> SqliteTransaction::deleteMembership(Id user_id, Id tenant_id) {
  VANTUS_TRY_VOID(requireWritable("deleteMembership"));
  VANTUS_TRY(sqlite::Statement erase,
             db_.prepare("DELETE FROM memberships WHERE user_id = ? AND tenant_id = ?"));
  erase.bindInt(user_id).bindInt(tenant_id);
  VANTUS_TRY_VOID(erase.run());
  if (db_.changes() == 0) {
    return fail(ErrorCode::kNotFound,
                fmt::format("user {} is not a member of tenant {}", user_id, tenant_id));
  }
  return ok();
}

}  // namespace vantus::controller
