#include <fmt/format.h>

#include "controller/api/api_handler.h"
#include "controller/model/validate.h"

namespace vantus::controller::api {

using nlohmann::json;

namespace {

constexpr const char* kTenant = R"(/api/v1/tenants/(\d+))";

Result<void> createTenant(RequestContext& context) {
  VANTUS_TRY_VOID(context.require("tenants:write", std::nullopt));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY_VOID(onlyFields(body, {"slug", "name"}));
  VANTUS_TRY(std::string slug, stringField(body, "slug", true));
  VANTUS_TRY(std::string name, stringField(body, "name", true));
  VANTUS_TRY(Tenant created, context.services.model.createTenant(context.actor(), slug, name));
  context.response.set_header("Location", fmt::format("/api/v1/tenants/{}", created.id));
  sendJson(context.response, 201, tenantJson(created));
  return ok();
}

// Cursor pagination: ?cursor=<last id seen>&limit=1..500. Non-admins see their tenants only.
Result<void> listTenants(RequestContext& context) {
  VANTUS_TRY(PageRequest wanted, pageOf(context.request, 100));
  const Id cursor = wanted.cursor;
  const std::size_t limit = wanted.limit;
  std::vector<Tenant> visible;
  Id next = cursor;
  while (visible.size() < limit) {
    VANTUS_TRY(std::vector<Tenant> page, context.services.model.listTenants(next, limit));
    if (page.empty()) {
      next = 0;
      break;
    }
    for (const Tenant& tenant : page) {
      next = tenant.id;
      if (context.require("tenants:read", tenant.id)) {
        visible.push_back(tenant);
        if (visible.size() == limit) break;
      }
    }
    if (page.size() < limit && visible.size() < limit) {
      next = 0;
      break;
    }
  }
  json items = json::array();
  for (const Tenant& tenant : visible) items.push_back(tenantJson(tenant));
  sendJson(
      context.response, 200,
      {{"items", items}, {"next_cursor", next == 0 ? json(nullptr) : json(std::to_string(next))}});
  return ok();
}

Result<void> getTenant(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  VANTUS_TRY_VOID(context.require("tenants:read", id));
  VANTUS_TRY(Tenant tenant, context.services.model.tenant(id));
  sendJson(context.response, 200, tenantJson(tenant));
  return ok();
}

Result<void> patchTenant(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  VANTUS_TRY_VOID(context.require("tenants:write", id));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY_VOID(onlyFields(body, {"name", "status"}));
  VANTUS_TRY(Tenant current, context.services.model.tenant(id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, tenantJson(current)));
  TenantUpdate update;
  if (body.contains("name")) {
    VANTUS_TRY(update.name, stringField(body, "name", true));
  }
  if (body.contains("status")) {
    VANTUS_TRY(std::string status, stringField(body, "status", true));
    VANTUS_TRY(update.status, parseTenantStatus(status));
  }
  VANTUS_TRY(Tenant after, context.services.model.updateTenant(context.actor(), id, update));
  sendJson(context.response, 200, tenantJson(after));
  return ok();
}

Result<void> deleteTenant(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  VANTUS_TRY(std::optional<TenantRole> role, context.requireRole("tenants:write", id));
  if (role && *role != TenantRole::kOwner) {
    return fail(ErrorCode::kPermissionDenied,
                "deleting a tenant needs its owner role (or a platform admin)");
  }
  VANTUS_TRY(Tenant current, context.services.model.tenant(id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, tenantJson(current)));
  VANTUS_TRY_VOID(context.services.model.deleteTenant(context.actor(), id));
  context.response.status = 204;
  return ok();
}

}  // namespace

void addTenantRoutes(httplib::Server& server, ApiServices& services) {
  server.Post("/api/v1/tenants", guarded(services, createTenant));
  server.Get("/api/v1/tenants", guarded(services, listTenants));
  server.Get(kTenant, guarded(services, getTenant));
  server.Patch(kTenant, guarded(services, patchTenant));
  server.Delete(kTenant, guarded(services, deleteTenant));
}

}  // namespace vantus::controller::api
