// API tokens (each user manages their own; a token never mints more than it holds) and the
// audit log.
#include <fmt/format.h>

#include <algorithm>

#include "common/core/time.h"
#include "controller/api/api_handler.h"
#include "controller/service/model_service.h"

namespace vantus::controller::api {

using nlohmann::json;

namespace {

constexpr std::int64_t kMaxTokenDays = 3650;

json optionalInt(const std::optional<std::int64_t>& value) {
  return value ? json(*value) : json(nullptr);
}

json tokenJson(const ApiToken& token) {
  return {
      {"id", token.id},
      {"name", token.name},
      {"prefix", token.prefix},
      {"scopes", token.scopes},
      {"tenant_id", optionalInt(token.tenant_id)},
      {"expires_at", token.expires_at ? json(formatRfc3339Utc(*token.expires_at)) : json(nullptr)},
      {"revoked", token.revoked},
      {"created_at", token.created_at},
      {"last_used_at", token.last_used_at.empty() ? json(nullptr) : json(token.last_used_at)},
      {"last_used_address", token.last_used_address}};
}

Result<void> createToken(RequestContext& context) {
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY_VOID(onlyFields(body, {"name", "scopes", "tenant_id", "expires_in_days"}));
  VANTUS_TRY(std::string name, stringField(body, "name", true));
  if (!body.contains("scopes") || !body["scopes"].is_array() || body["scopes"].empty()) {
    return fail(ErrorCode::kInvalidInput, "scopes must be a non-empty list", "scopes");
  }
  std::string csv;
  for (const json& scope : body["scopes"]) {
    if (!scope.is_string()) {
      return fail(ErrorCode::kInvalidInput, "scopes must be strings", "scopes");
    }
    csv += (csv.empty() ? "" : ",") + scope.get<std::string>();
  }
  VANTUS_TRY(std::vector<std::string> scopes, parseScopes(csv));
  const ApiToken& own = context.principal.token;
  for (const std::string& scope : scopes) {
    if (std::find(own.scopes.begin(), own.scopes.end(), scope) == own.scopes.end()) {
      return fail(ErrorCode::kPermissionDenied,
                  fmt::format("this token does not hold {:?}, so it cannot grant it", scope),
                  "scopes");
    }
  }
  std::optional<Id> tenant_id = own.tenant_id;
  if (body.contains("tenant_id") && !body["tenant_id"].is_null()) {
    VANTUS_TRY(Id wanted, idField(body, "tenant_id"));
    // Only a tenant the caller can see: one of its own, or any for a platform admin.
    const auto& roles = context.principal.memberships;
    const bool member = std::any_of(roles.begin(), roles.end(),
                                    [&](const Membership& m) { return m.tenant_id == wanted; });
    if ((own.tenant_id && *own.tenant_id != wanted) ||
        (!context.principal.user.is_platform_admin && !member) ||
        !context.services.model.tenant(wanted)) {
      return fail(ErrorCode::kNotFound, fmt::format("tenant {} not found", wanted), "tenant_id");
    }
    tenant_id = wanted;
  }
  std::optional<std::int64_t> expires_at = own.expires_at;
  if (body.contains("expires_in_days")) {
    if (!body["expires_in_days"].is_number_integer() ||
        body["expires_in_days"].get<std::int64_t>() < 1 ||
        body["expires_in_days"].get<std::int64_t>() > kMaxTokenDays) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("expires_in_days must be 1..{}", kMaxTokenDays), "expires_in_days");
    }
    std::int64_t wanted =
        context.services.clock() + body["expires_in_days"].get<std::int64_t>() * 86400;
    expires_at = own.expires_at ? std::min(*own.expires_at, wanted) : wanted;
  }
  VANTUS_TRY(IssuedToken issued, context.services.tokens.create(
                                     context.actor(), NewToken{context.principal.user.email, name,
                                                               scopes, tenant_id, expires_at}));
  json out = tokenJson(issued.record);
  out["token"] = issued.token;
  context.response.set_header("Cache-Control", "no-store");
  context.response.set_header("Location", fmt::format("/api/v1/tokens/{}", issued.record.id));
  sendJson(context.response, 201, out);
  return ok();
}

// The caller's own tokens; a token bound to a tenant sees only those bound to the same tenant.
Result<std::vector<ApiToken>> ownTokens(Transaction& tx, const Principal& principal) {
  VANTUS_TRY(std::vector<ApiToken> tokens, tx.apiTokensOfUser(principal.user.id));
  if (principal.token.tenant_id) {
    std::erase_if(tokens,
                  [&](const ApiToken& t) { return t.tenant_id != principal.token.tenant_id; });
  }
  return tokens;
}

Result<void> listTokens(RequestContext& context) {
  VANTUS_TRY(std::vector<ApiToken> tokens,
             readValue<std::vector<ApiToken>>(context.services.store, [&](Transaction& tx) {
               return ownTokens(tx, context.principal);
             }));
  json items = json::array();
  for (const ApiToken& token : tokens) {
    items.push_back(tokenJson(token));
  }
  sendJson(context.response, 200, {{"items", items}, {"next_cursor", nullptr}});
  return ok();
}

// One of the caller's own live tokens; others' and revoked ones do not exist here.
Result<ApiToken> ownTokenOfPath(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  VANTUS_TRY(std::vector<ApiToken> tokens,
             readValue<std::vector<ApiToken>>(context.services.store, [&](Transaction& tx) {
               return ownTokens(tx, context.principal);
             }));
  for (const ApiToken& token : tokens) {
    if (token.id == id && !token.revoked) return token;
  }
  return fail(ErrorCode::kNotFound, fmt::format("API token {} not found", id));
}

Result<void> getToken(RequestContext& context) {
  VANTUS_TRY(ApiToken token, ownTokenOfPath(context));
  sendJson(context.response, 200, tokenJson(token));
  return ok();
}

Result<void> patchToken(RequestContext& context) {
  VANTUS_TRY(ApiToken current, ownTokenOfPath(context));
  VANTUS_TRY_VOID(checkIfMatch(context.request, tokenJson(current)));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY_VOID(onlyFields(body, {"name"}));
  VANTUS_TRY(std::string name, stringField(body, "name", true));
  VANTUS_TRY_VOID(validTokenName(name));
  VANTUS_TRY_VOID(context.services.store.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY_VOID(tx.renameApiToken(current.id, name));
    return appendAuditRow(tx, context.actor(), current.tenant_id, "api_token.update",
                          fmt::format("api_token:{}", current.id),
                          {{"prefix", current.prefix}, {"name", current.name}},
                          {{"prefix", current.prefix}, {"name", name}});
  }));
  VANTUS_TRY(ApiToken after, ownTokenOfPath(context));
  sendJson(context.response, 200, tokenJson(after));
  return ok();
}

Result<void> revokeToken(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  const Principal& principal = context.principal;
  VANTUS_TRY_VOID(context.services.store.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(std::vector<ApiToken> tokens, ownTokens(tx, principal));
    auto found =
        std::find_if(tokens.begin(), tokens.end(), [id](const ApiToken& t) { return t.id == id; });
    if (found == tokens.end() || found->revoked) {
      return fail(ErrorCode::kNotFound, fmt::format("API token {} not found", id));
    }
    VANTUS_TRY_VOID(checkIfMatch(context.request, tokenJson(*found)));
    VANTUS_TRY_VOID(tx.revokeApiToken(id));
    return appendAuditRow(tx, context.actor(), found->tenant_id, "api_token.revoke",
                          fmt::format("api_token:{}", id),
                          {{"prefix", found->prefix}, {"revoked", false}},
                          {{"prefix", found->prefix}, {"revoked", true}});
  }));
  context.response.status = 204;
  return ok();
}

json auditJson(const AuditEntry& entry) {
  return {{"id", entry.id},
          {"time", entry.time},
          {"actor",
           {{"kind", entry.actor.kind},
            {"id", entry.actor.id},
            {"name", entry.actor.name},
            {"source_address", entry.actor.source_address},
            {"user_agent", entry.actor.user_agent}}},
          {"tenant_id", optionalInt(entry.tenant_id)},
          {"action", entry.action},
          {"target", entry.target},
          {"before", entry.before},
          {"after", entry.after},
          {"prev_hash", entry.prev_hash},
          {"hash", entry.hash}};
}

// Newest first. Filters: ?tenant_id= (tenant roles may read their own), ?actor= (email or
// name), ?action= (exact, or a family ending in "."), ?since= / ?until= (RFC 3339 UTC,
// inclusive / exclusive); ?cursor= continues below the last id of the previous page.
Result<void> listAudit(RequestContext& context) {
  const httplib::Request& request = context.request;
  AuditFilter filter;
  if (request.has_param("tenant_id")) {
    VANTUS_TRY(Id id, parseCursor(request.get_param_value("tenant_id")));
    filter.tenant_id = id;
  }
  VANTUS_TRY_VOID(context.require("audit:read", filter.tenant_id));
  filter.actor = request.get_param_value("actor");
  filter.action = request.get_param_value("action");
  for (auto [name, value] :
       {std::pair{"since", &filter.since}, std::pair{"until", &filter.until}}) {
    *value = request.get_param_value(name);
    if (!value->empty() && !parseRfc3339Utc(*value)) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("{} must be an RFC 3339 UTC time such as 2026-11-26T09:30:00Z", name),
                  name);
    }
  }
  VANTUS_TRY(PageRequest page, pageOf(request, 50));
  const Id before = page.cursor;
  const std::size_t limit = page.limit;
  VANTUS_TRY(std::vector<AuditEntry> rows,
             readValue<std::vector<AuditEntry>>(context.services.store, [&](Transaction& tx) {
               return tx.auditEntries(filter, before, limit);
             }));
  json items = json::array();
  for (const AuditEntry& row : rows) {
    items.push_back(auditJson(row));
  }
  json next =
      rows.size() == limit && !rows.empty() ? json(std::to_string(rows.back().id)) : json(nullptr);
  sendJson(context.response, 200, {{"items", items}, {"next_cursor", next}});
  return ok();
}

}  // namespace

void addAdminRoutes(httplib::Server& server, ApiServices& services) {
  server.Post("/api/v1/tokens", guarded(services, createToken));
  server.Get("/api/v1/tokens", guarded(services, listTokens));
  server.Get(R"(/api/v1/tokens/(\d+))", guarded(services, getToken));
  server.Patch(R"(/api/v1/tokens/(\d+))", guarded(services, patchToken));
  server.Delete(R"(/api/v1/tokens/(\d+))", guarded(services, revokeToken));
  server.Get("/api/v1/audit", guarded(services, listAudit));
}

}  // namespace vantus::controller::api
