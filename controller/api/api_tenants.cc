#include <fmt/format.h>

#include "controller/api/api_handler.h"
#include "controller/model/validate.h"

namespace vantus::controller::api {

using nlohmann::json;

namespace {

constexpr const char* kTenant = R"(/api/v1/tenants/(\d+))";

Result<void> createTenant(RequestContext& context) {
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(body, "", {"slug", "name"}));
  VANTUS_TRY(std::string slug, fields.string("slug"));
  VANTUS_TRY(std::string name, fields.string("name"));
  VANTUS_TRY(Tenant created, context.services.model.createTenant(context.caller, slug, name));
  context.response.set_header("Location", fmt::format("/api/v1/tenants/{}", created.id));
  sendJson(context.response, 201, tenantJson(created));
  return ok();
}

// Cursor pagination: ?cursor=<last id seen>&limit=1..500. Non-admins see their tenants only.
Result<void> listTenants(RequestContext& context) {
  VANTUS_TRY(PageRequest wanted, pageOf(context.request, 100));
  VANTUS_TRY(Page<Tenant> page,
             context.services.model.listTenants(context.caller, wanted.cursor, wanted.limit));
  json items = json::array();
  for (const Tenant& tenant : page.items) {
    items.push_back(tenantJson(tenant));
  }
  sendJson(context.response, 200, {{"items", items}, {"next_cursor", cursorJson(page.next)}});
  return ok();
}

Result<void> getTenant(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  VANTUS_TRY(Tenant tenant, context.services.model.tenant(context.caller, id));
  sendJson(context.response, 200, tenantJson(tenant));
  return ok();
}

Result<void> patchTenant(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(body, "", {"name", "status"}));
  VANTUS_TRY(Tenant current, context.services.model.tenant(context.caller, id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, tenantJson(current)));
  TenantUpdate update;
  if (fields.has("name")) {
    VANTUS_TRY(update.name, fields.string("name"));
  }
  if (fields.has("status")) {
    VANTUS_TRY(std::string status, fields.string("status"));
    VANTUS_TRY(update.status, parseTenantStatus(status));
  }
  VANTUS_TRY(Tenant after, context.services.model.updateTenant(context.caller, id, update));
  sendJson(context.response, 200, tenantJson(after));
  return ok();
}

Result<void> deleteTenant(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  VANTUS_TRY(Tenant current, context.services.model.tenant(context.caller, id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, tenantJson(current)));
  VANTUS_TRY_VOID(context.services.model.deleteTenant(context.caller, id));
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
