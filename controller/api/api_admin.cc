// API tokens (each user manages their own; a token never mints more than it holds) and the
// audit log.
#include <fmt/format.h>

#include <algorithm>

#include "common/core/time.h"
#include "controller/api/api_handler.h"
#include "controller/service/audit_service.h"

namespace vantus::controller::api {

using nlohmann::json;

namespace {

constexpr std::int64_t kMaxTokenDays = 3650;
constexpr std::size_t kMaxScopes = 64;

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
  VANTUS_TRY(ObjectReader fields,
             ObjectReader::open(body, "", {"name", "scopes", "tenant_id", "expires_in_days"}));
  TokenRequest request;
  VANTUS_TRY(request.name, fields.string("name"));
  VANTUS_TRY(const json* scopes, fields.array("scopes", kMaxScopes));
  if (scopes == nullptr || scopes->empty()) {
    return fail(ErrorCode::kInvalidInput, "scopes must be a non-empty list", "scopes");
  }
  std::string csv;
  for (const json& scope : *scopes) {
    if (!scope.is_string()) {
      return fail(ErrorCode::kInvalidInput, "scopes must be strings", "scopes");
    }
    csv += (csv.empty() ? "" : ",") + scope.get<std::string>();
  }
  VANTUS_TRY(request.scopes, parseScopes(csv));
  if (fields.has("tenant_id") && !fields.find("tenant_id")->is_null()) {
    VANTUS_TRY(request.tenant_id, fields.positiveId("tenant_id"));
  }
  if (fields.has("expires_in_days")) {
    VANTUS_TRY(std::int64_t days, fields.integer("expires_in_days"));
    if (days < 1 || days > kMaxTokenDays) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("expires_in_days must be 1..{}", kMaxTokenDays), "expires_in_days");
    }
    request.expires_at = context.services.clock() + days * 86400;
  }
  Result<IssuedToken> made = context.services.tokens.create(context.caller, request);
  if (!made && made.error().field == "expires_at") {
    return fail(made.error().code, made.error().message, "expires_in_days");  // the API's name
  }
  VANTUS_TRY(IssuedToken issued, std::move(made));
  json out = tokenJson(issued.record);
  out["token"] = issued.token;
  context.response.set_header("Cache-Control", "no-store");
  context.response.set_header("Location", fmt::format("/api/v1/tokens/{}", issued.record.id));
  sendJson(context.response, 201, out);
  return ok();
}

Result<void> listTokens(RequestContext& context) {
  VANTUS_TRY(std::vector<ApiToken> tokens, context.services.tokens.list(context.caller));
  json items = json::array();
  for (const ApiToken& token : tokens) {
    items.push_back(tokenJson(token));
  }
  sendJson(context.response, 200, {{"items", items}, {"next_cursor", nullptr}});
  return ok();
}

Result<ApiToken> tokenOfPath(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  return context.services.tokens.token(context.caller, id);
}

Result<void> getToken(RequestContext& context) {
  VANTUS_TRY(ApiToken token, tokenOfPath(context));
  sendJson(context.response, 200, tokenJson(token));
  return ok();
}

Result<void> patchToken(RequestContext& context) {
  VANTUS_TRY(ApiToken current, tokenOfPath(context));
  VANTUS_TRY_VOID(checkIfMatch(context.request, tokenJson(current)));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(body, "", {"name"}));
  VANTUS_TRY(std::string name, fields.string("name"));
  VANTUS_TRY(ApiToken after, context.services.tokens.rename(context.caller, current.id, name));
  sendJson(context.response, 200, tokenJson(after));
  return ok();
}

Result<void> revokeToken(RequestContext& context) {
  VANTUS_TRY(ApiToken current, tokenOfPath(context));
  VANTUS_TRY_VOID(checkIfMatch(context.request, tokenJson(current)));
  VANTUS_TRY_VOID(context.services.tokens.revoke(context.caller, current.id));
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
  filter.actor = request.get_param_value("actor");
  filter.action = request.get_param_value("action");
  filter.since = request.get_param_value("since");
  filter.until = request.get_param_value("until");
  VANTUS_TRY(PageRequest page, pageOf(request, 50));
  VANTUS_TRY(Page<AuditEntry> rows,
             context.services.audit.entries(context.caller, filter, page.cursor, page.limit));
  json items = json::array();
  for (const AuditEntry& row : rows.items) {
    items.push_back(auditJson(row));
  }
  sendJson(context.response, 200, {{"items", items}, {"next_cursor", cursorJson(rows.next)}});
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
