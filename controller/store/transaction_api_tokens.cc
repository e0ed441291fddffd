#include <fmt/format.h>

#include "controller/store/sqlite_transaction.h"
#include "controller/store/store_support.h"

namespace vantus::controller {

using store_support::conflict;
using store_support::notFound;

namespace {

constexpr std::string_view kTokenColumns =
    "id, user_id, name, prefix, secret_hash, scopes, tenant_id, expires_at, revoked, created_at, "
    "last_used_at, last_used_address";

std::string joinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& scope : scopes) {
    out += (out.empty() ? "" : ",") + scope;
  }
  return out;
}

std::vector<std::string> splitScopes(std::string_view text) {
  std::vector<std::string> scopes;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    scopes.emplace_back(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return scopes;
}

ApiToken tokenFromRow(const sqlite::Statement& row) {
  ApiToken token;
  token.id = row.integer(0);
  token.user_id = row.integer(1);
  token.name = row.text(2);
  token.prefix = row.text(3);
  token.secret_hash = row.text(4);
  token.scopes = splitScopes(row.text(5));
  token.tenant_id = row.optionalInteger(6);
  token.expires_at = row.optionalInteger(7);
  token.revoked = row.boolean(8);
  token.created_at = row.text(9);
  token.last_used_at = row.text(10);
  token.last_used_address = row.text(11);
  return token;
}

}  // namespace

Result<ApiToken> SqliteTransaction::insertApiToken(const ApiToken& token) {
  VANTUS_TRY_VOID(requireWritable("insertApiToken"));
  VANTUS_TRY_VOID(requireRow("SELECT 1 FROM users WHERE id = ?", "user", token.user_id));
  if (token.tenant_id) {
    VANTUS_TRY_VOID(requireRow("SELECT 1 FROM tenants WHERE id = ?", "tenant", *token.tenant_id));
  }
  const std::string now = nowText();
  VANTUS_TRY(sqlite::Statement insert,
             db_.prepare("INSERT INTO api_tokens (user_id, name, prefix, secret_hash, scopes, "
                         "tenant_id, expires_at, revoked, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.bindInt(token.user_id)
      .bindText(token.name)
      .bindText(token.prefix)
      .bindText(token.secret_hash)
      .bindText(joinScopes(token.scopes))
      .bindOptionalInt(token.tenant_id)
      .bindOptionalInt(token.expires_at)
      .bindBool(token.revoked)
      .bindText(now);
  if (Result<void> done = insert.run(); !done) {
    return conflict(std::move(done).error(), "an API token with this prefix already exists",
                    "prefix");
  }
  ApiToken created = token;
  created.id = db_.lastInsertRowid();
  created.created_at = now;
  return created;
}

Result<ApiToken> SqliteTransaction::apiTokenByPrefix(std::string_view prefix) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM api_tokens WHERE prefix = ?", kTokenColumns)));
  query.bindText(prefix);
  VANTUS_TRY(bool found, query.step());
  if (!found) {
    return fail(ErrorCode::kNotFound, "API token not found");
  }
  return tokenFromRow(query);
}

Result<std::vector<ApiToken>> SqliteTransaction::apiTokensOfUser(Id user_id) {
  VANTUS_TRY(sqlite::Statement query,
             db_.prepare(fmt::format("SELECT {} FROM api_tokens WHERE user_id = ? ORDER BY id",
                                     kTokenColumns)));
  query.bindInt(user_id);
  std::vector<ApiToken> tokens;
  while (true) {
    VANTUS_TRY(bool row, query.step());
    if (!row) {
      break;
    }
    tokens.push_back(tokenFromRow(query));
  }
  return tokens;
}

Result<void> SqliteTransaction::revokeApiToken(Id id) {
  VANTUS_TRY_VOID(requireWritable("revokeApiToken"));
  VANTUS_TRY_VOID(requireRow("SELECT 1 FROM api_tokens WHERE id = ?", "API token", id));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE api_tokens SET revoked = 1 WHERE id = ?"));
  update.bindInt(id);
  return update.run();
}

Result<void> SqliteTransaction::renameApiToken(Id id, std::string_view name) {
  VANTUS_TRY_VOID(requireWritable("renameApiToken"));
  VANTUS_TRY(sqlite::Statement update, db_.prepare("UPDATE api_tokens SET name = ? WHERE id = ?"));
  update.bindText(name).bindInt(id);
  VANTUS_TRY_VOID(update.run());
  if (db_.changes() == 0) {
    return notFound("API token", id);
  }
  return ok();
}

Result<void> SqliteTransaction::touchApiToken(Id id, std::string_view address) {
  VANTUS_TRY_VOID(requireWritable("touchApiToken"));
  VANTUS_TRY(sqlite::Statement update,
             db_.prepare("UPDATE api_tokens SET last_used_at = ?, last_used_address = ? "
                         "WHERE id = ?"));
  update.bindText(nowText()).bindText(address).bindInt(id);
  return update.run();
}

}  // namespace vantus::controller
