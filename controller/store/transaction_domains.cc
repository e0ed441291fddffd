#include <string>
#include <vector>

#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

using store_support::conflict;
using store_support::notFound;

namespace {

constexpr std::string_view kDomainColumns =
    "id, tenant_id, name, is_primary, tls_enabled, force_https, hsts, min_tls_version, "
    "created_at";

Domain domainFromRow(const sqlite::Statement& row) {
  Domain domain;
  domain.id = row.integer(0);
  domain.tenant_id = row.integer(1);
  domain.name = row.text(2);
  domain.is_primary = row.boolean(3);
  domain.tls_enabled = row.boolean(4);
  domain.force_https = row.boolean(5);
  domain.hsts = row.boolean(6);
  domain.min_tls_version = row.text(7);
  domain.created_at = row.text(8);
  return domain;
}

// Deliberately silent about which tenant holds the name: tenants must not learn about
// each other.
Unexpected nameTaken(Error error, std::string_view name) {
  return conflict(std::move(error), fmt::format("domain \"{}\" is already in use", name), "name");
}

Result<void> refuseCapture(SqliteTransaction& tx, const Domain& domain) {
  VANTUS_TRY(std::optional<Id> claimant, tx.domainClaimant(domain.name, domain.tenant_id));
  if (claimant) {
    // The other tenant is not named: tenants do not learn of each other.
    return fail(ErrorCode::kAlreadyExists,
                fmt::format("domain \"{}\" overlaps a domain in use elsewhere (the same name, a "
                            "wildcard covering it, or a name under it): choose another name",
                            domain.name),
                "name");
  }
  return ok();
}

}  // namespace

Result<Domain> SqliteTransaction::insertDomain(const Domain& domain) {
  VANTUS_TRY_VOID(requireWritable("insertDomain"));
  VANTUS_TRY_VOID(requireRow("SELECT 1 FROM tenants WHERE id = ?", "tenant", domain.tenant_id));
  VANTUS_TRY_VOID(refuseCapture(*this, domain));
  const std::string now = nowText();
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO domains (tenant_id, name, is_primary, tls_enabled, "
                         "force_https, hsts, min_tls_version, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.bindInt(domain.tenant_id)
      .bindText(domain.name)
      .bindBool(domain.is_primary)
      .bindBool(domain.tls_enabled)
      .bindBool(domain.force_https)
      .bindBool(domain.hsts)
      .bindText(domain.min_tls_version)
      .bindText(now);
  if (Result<void> done = insert.run(); !done) {
    return nameTaken(std::move(done).error(), domain.name);
  }
  Domain created = domain;
  created.id = db_.lastInsertRowid();
  created.created_at = now;
  return created;
}

Result<Domain> SqliteTransaction::domain(Id id) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM domains WHERE id = ?", kDomainColumns)));
  query.bindInt(id);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return notFound("domain", id);
  }
  return domainFromRow(query);
}

Result<std::vector<Domain>> SqliteTransaction::domainsOfTenant(Id tenant_id) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM domains WHERE tenant_id = ? ORDER BY name",
                                     kDomainColumns)));
  query.bindInt(tenant_id);
  std::vector<Domain> domains;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return domains;
    }
    domains.push_back(domainFromRow(query));
  }
}

Result<Domain> SqliteTransaction::updateDomain(const Domain& domain) {
  VANTUS_TRY_VOID(requireWritable("updateDomain"));
  VANTUS_TRY_VOID(refuseCapture(*this, domain));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE domains SET name = ?, is_primary = ?, tls_enabled = ?, "
                         "force_https = ?, hsts = ?, min_tls_version = ? WHERE id = ?"));
  update.bindText(domain.name)
      .bindBool(domain.is_primary)
      .bindBool(domain.tls_enabled)
      .bindBool(domain.force_https)
      .bindBool(domain.hsts)
      .bindText(domain.min_tls_version)
      .bindInt(domain.id);
  if (Result<void> done = update.run(); !done) {
    return nameTaken(std::move(done).error(), domain.name);
  }
  if (db_.changes() == 0) {
    return notFound("domain", domain.id);
  }
  return this->domain(domain.id);
}

Result<void> SqliteTransaction::deleteDomain(Id id) {
  VANTUS_TRY_VOID(requireWritable("deleteDomain"));
  return deleteRow("DELETE FROM domains WHERE id = ?", "domain", id);
}

Result<std::optional<Id>> SqliteTransaction::domainClaimant(std::string_view name, Id tenant_id) {
  // A wildcard "*.S" matches every name ending in ".S", at any depth, as nginx does. The
  // names that could cover `name` are `name` itself and "*." + each of its proper suffixes:
  // a handful of index lookups, whatever the table's size.
  const bool wildcard = name.starts_with("*.");
  const std::string_view base = wildcard ? name.substr(2) : name;
  std::vector<std::string> covering = {std::string(name)};
  for (std::size_t dot = base.find('.'); dot != std::string_view::npos;
       dot = base.find('.', dot + 1)) {
    covering.push_back("*." + std::string(base.substr(dot + 1)));
  }
  std::string sql = "SELECT tenant_id FROM domains WHERE tenant_id != ? AND name IN (?";
  for (std::size_t i = 1; i < covering.size(); ++i) {
    sql += ", ?";
  }
  sql += ")";
  if (wildcard) {
    // Names under a new wildcard: a scan, but adding a wildcard is rare. Names hold only
    // [a-z0-9.-] and a leading "*.", none of them a LIKE metacharacter.
    sql += " UNION ALL SELECT tenant_id FROM domains WHERE tenant_id != ? AND name LIKE ?";
  }
  VANTUS_TRY(sqlite::Statement query, db_.prepare(sql + " LIMIT 1"));
  query.bindInt(tenant_id);
  for (const std::string& candidate : covering) {
    query.bindText(candidate);
  }
  if (wildcard) {
    query.bindInt(tenant_id).bindText("%." + std::string(base));
  }
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return std::optional<Id>();
  }
  return std::optional<Id>(query.integer(0));
}

}  // namespace vantus::controller
