#include "controller/store/audit_chain.h"
#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

using store_support::jsonText;
using store_support::parseJsonColumn;

namespace {

constexpr std::string_view kAuditColumns =
    "id, time, actor_kind, actor_id, actor_name, actor_email, source_address, user_agent, "
    "tenant_id, action, target, before_json, after_json, prev_hash, hash";

// A column damaged into invalid JSON reads back as a JSON string of its text: the log stays
// readable and the row's hash no longer matches, which is what a verifier must see.
nlohmann::json jsonColumn(const sqlite::Statement& row, int column) {
  if (row.isNull(column)) {
    return nlohmann::json();
  }
  std::string text = row.text(column);
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? nlohmann::json(std::move(text)) : value;
}

AuditEntry auditFromRow(const sqlite::Statement& row) {
  AuditEntry entry;
  entry.id = row.integer(0);
  entry.time = row.text(1);
  entry.actor.kind = row.text(2);
  entry.actor.id = row.text(3);
  entry.actor.name = row.text(4);
  entry.actor.email = row.text(5);
  entry.actor.source_address = row.text(6);
  entry.actor.user_agent = row.text(7);
  entry.tenant_id = row.optionalInteger(8);
  entry.action = row.text(9);
  entry.target = row.text(10);
  entry.before = jsonColumn(row, 11);
  entry.after = jsonColumn(row, 12);
  entry.prev_hash = row.text(13);
  entry.hash = row.text(14);
  return entry;
}

// The value as it will read back from its column, so the hash computed now is the hash
// a verifier computes later.
Result<nlohmann::json> asStored(const nlohmann::json& value) {
  if (value.is_null()) {
    return nlohmann::json();
  }
  return parseJsonColumn(jsonText(value), "audit value");
}

std::optional<std::string> columnText(const nlohmann::json& value) {
  if (value.is_null()) {
    return std::nullopt;
  }
  return jsonText(value);
}

}  // namespace

Result<AuditEntry> SqliteTransaction::appendAudit(const AuditEntry& entry) {
  VANTUS_TRY_VOID(requireWritable("appendAudit"));
  AuditEntry stored = withoutCredentials(entry);
  stored.id = 1;
  stored.prev_hash.clear();
  {
    VANTUS_TRY(sqlite::Statement last,
               db_.prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"));
    VANTUS_TRY(bool found, last.step());
    if (found) {
      stored.id = last.integer(0) + 1;
      stored.prev_hash = last.text(1);
    }
  }
  stored.time = nowText();
  VANTUS_TRY(stored.before, asStored(stored.before));
  VANTUS_TRY(stored.after, asStored(stored.after));
  stored.hash = auditEntryHash(stored, audit_key_);
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare(fmt::format("INSERT INTO audit_log ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                                     "?, ?, ?, ?, ?, ?, ?)",
                                     kAuditColumns)));
  insert.bindInt(stored.id)
      .bindText(stored.time)
      .bindText(stored.actor.kind)
      .bindText(stored.actor.id)
      .bindText(stored.actor.name)
      .bindText(stored.actor.email)
      .bindText(stored.actor.source_address)
      .bindText(stored.actor.user_agent)
      .bindOptionalInt(stored.tenant_id)
      .bindText(stored.action)
      .bindText(stored.target)
      .bindOptionalText(columnText(stored.before))
      .bindOptionalText(columnText(stored.after))
      .bindText(stored.prev_hash)
      .bindText(stored.hash);
  VANTUS_TRY_VOID(insert.run());
  return stored;
}

Result<std::vector<AuditEntry>> SqliteTransaction::auditEntries(const AuditFilter& filter,
                                                                Id before_id, std::size_t limit) {
  std::string where = "id < ?";
  if (filter.tenant_id) {
    where += " AND tenant_id = ?";
  }
  if (!filter.actor.empty()) {
    where += " AND (actor_email = ? OR actor_name = ?)";
  }
  if (!filter.action.empty()) {
    where += filter.action.ends_with('.') ? " AND substr(action, 1, ?) = ?" : " AND action = ?";
  }
  if (!filter.since.empty()) {
    where += " AND time >= ?";
  }
  if (!filter.until.empty()) {
    where += " AND time < ?";
  }
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM audit_log WHERE {} ORDER BY id DESC LIMIT ?",
                                     kAuditColumns, where)));
  query.bindInt(sqlBefore(before_id));
  if (filter.tenant_id) {
    query.bindInt(*filter.tenant_id);
  }
  if (!filter.actor.empty()) {
    query.bindText(filter.actor).bindText(filter.actor);
  }
  if (!filter.action.empty()) {
    if (filter.action.ends_with('.')) {
      query.bindInt(static_cast<std::int64_t>(filter.action.size()));
    }
    query.bindText(filter.action);
  }
  if (!filter.since.empty()) {
    query.bindText(filter.since);
  }
  if (!filter.until.empty()) {
    query.bindText(filter.until);
  }
  query.bindInt(sqlLimit(limit));
  std::vector<AuditEntry> entries;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      return entries;
    }
    entries.push_back(auditFromRow(query));
  }
}

}  // namespace vantus::controller
