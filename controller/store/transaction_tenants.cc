#include <limits>

#include "common/core/time.h"
#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

using store_support::conflict;
using store_support::enumFromText;
using store_support::notFound;

namespace {

constexpr std::string_view kTenantColumns = "id, slug, name, status, created_at, updated_at";

// Slugs and domain names are stored in lower case; names are compared through SQLite's
// ASCII-only lower().
std::string lowerAscii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

Result<Tenant> tenantFromRow(const sqlite::Statement& row) {
  Tenant tenant;
  tenant.id = row.integer(0);
  tenant.slug = row.text(1);
  tenant.name = row.text(2);
  VANTUS_TRY(tenant.status, enumFromText(row.text(3),
                                         {TenantStatus::kActive, TenantStatus::kSuspended,
                                          TenantStatus::kArchived},
                                         tenantStatusName, "tenant status"));
  tenant.created_at = row.text(4);
  tenant.updated_at = row.text(5);
  return tenant;
}

Unexpected slugTaken(Error error, std::string_view slug) {
  return conflict(std::move(error), fmt::format("a tenant with slug \"{}\" already exists", slug),
                  "slug");
}

}  // namespace

std::int64_t sqlLimit(std::size_t limit) {
  constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(limit > kMax ? kMax : limit);
}

std::int64_t sqlBefore(Id before_id) {
  return before_id == 0 ? std::numeric_limits<std::int64_t>::max() : before_id;
}

Result<void> SqliteTransaction::requireWritable(std::string_view operation) const {
  if (access_ == Access::kReadOnly) {
    return fail(
        ErrorCode::kFailedPrecondition,
        fmt::format("{} needs a write transaction (Store::write), not Store::read", operation));
  }
  return ok();
}

Result<void> SqliteTransaction::requireRow(std::string_view sql, std::string_view kind, Id id) {
  VANTUS_TRY(sqlite::Statement query, db_.prepare(sql));
  query.bindInt(id);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return notFound(kind, id);
  }
  return ok();
}

Result<void> SqliteTransaction::deleteRow(std::string_view sql, std::string_view kind, Id id) {
  VANTUS_TRY(sqlite::Statement erase, db_.prepare(sql));
  erase.bindInt(id);
  VANTUS_TRY_VOID(erase.run());
  if (db_.changes() == 0) {
    return notFound(kind, id);
  }
  return ok();
}

std::string SqliteTransaction::nowText() const { return formatRfc3339Utc(now_); }

Result<Tenant> SqliteTransaction::insertTenant(const Tenant& tenant) {
  VANTUS_TRY_VOID(requireWritable("insertTenant"));
  const std::string now = nowText();
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO tenants (slug, name, status, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?)"));
  insert.bindText(tenant.slug)
      .bindText(tenant.name)
      .bindText(tenantStatusName(tenant.status))
      .bindText(now)
      .bindText(now);
  if (Result<void> done = insert.run(); !done) {
    return slugTaken(std::move(done).error(), tenant.slug);
  }
  Tenant created = tenant;
  created.id = db_.lastInsertRowid();
  created.created_at = now;
  created.updated_at = now;
  return created;
}

Result<Tenant> SqliteTransaction::tenant(Id id) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM tenants WHERE id = ?", kTenantColumns)));
  query.bindInt(id);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return notFound("tenant", id);
  }
  return tenantFromRow(query);
}

Result<Tenant> SqliteTransaction::tenantBySlug(std::string_view slug) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM tenants WHERE slug = ?", kTenantColumns)));
  query.bindText(slug);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return fail(ErrorCode::kNotFound, fmt::format("tenant \"{}\" not found", slug));
  }
  return tenantFromRow(query);
}

Result<std::vector<Tenant>> SqliteTransaction::listTenants(Id after_id, std::size_t limit,
                                                           std::string_view containing) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format(
                 "SELECT {} FROM tenants WHERE id > ?1 AND (?2 = '' OR instr(slug, ?2) > 0 OR "
                 "instr(lower(name), ?2) > 0 OR EXISTS (SELECT 1 FROM domains WHERE "
                 "domains.tenant_id = tenants.id AND instr(domains.name, ?2) > 0)) "
                 "ORDER BY id LIMIT ?3",
                 kTenantColumns)));
  query.bindInt(after_id).bindText(lowerAscii(containing)).bindInt(sqlLimit(limit));
  std::vector<Tenant> tenants;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return tenants;
    }
    VANTUS_TRY(Tenant tenant, tenantFromRow(query));
    tenants.push_back(std::move(tenant));
  }
}

Result<Tenant> SqliteTransaction::updateTenant(const Tenant& tenant) {
  VANTUS_TRY_VOID(requireWritable("updateTenant"));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE tenants SET name = ?, status = ?, updated_at = ? WHERE id = ?"));
  update.bindText(tenant.name)
      .bindText(tenantStatusName(tenant.status))
      .bindText(nowText())
      .bindInt(tenant.id);
  VANTUS_TRY_VOID(update.run());
  if (db_.changes() == 0) {
    return notFound("tenant", tenant.id);
  }
  return this->tenant(tenant.id);
}

Result<void> SqliteTransaction::deleteTenant(Id id) {
  VANTUS_TRY_VOID(requireWritable("deleteTenant"));
  return deleteRow("DELETE FROM tenants WHERE id = ?", "tenant", id);
}

Result<TenantConfig> SqliteTransaction::tenantConfig(Id tenant_id) {
  TenantConfig config;
  VANTUS_TRY(config.tenant, tenant(tenant_id));
  VANTUS_TRY(config.domains, domainsOfTenant(tenant_id));
  VANTUS_TRY(config.pools, poolsOfTenant(tenant_id));
  VANTUS_TRY(config.policy, policyOfTenant(tenant_id));
  return config;
}

}  // namespace vantus::controller
