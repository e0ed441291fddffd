// Users (platform admins manage them) and a tenant's members (user × role).
#include <fmt/format.h>

#include "controller/api/api_handler.h"
#include "controller/model/validate.h"
#include "controller/service/user_service.h"

namespace vantus::controller::api {

using nlohmann::json;

namespace {

json userJson(const User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"platform_admin", user.is_platform_admin},
          {"disabled", user.disabled},
          {"created_at", user.created_at}};
}

json memberJson(const Membership& member) {
  return {{"tenant_id", member.tenant_id},
          {"user_id", member.user_id},
          {"email", member.email},
          {"role", tenantRoleName(member.role)},
          {"created_at", member.created_at}};
}

Result<void> createUser(RequestContext& context) {
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(body, "", {"email", "platform_admin"}));
  VANTUS_TRY(std::string email, fields.string("email"));
  VANTUS_TRY(std::optional<bool> platform_admin, fields.optionalBoolean("platform_admin"));
  VANTUS_TRY(User created, context.services.users.createUser(context.caller, email,
                                                             platform_admin.value_or(false)));
  context.response.set_header("Location", fmt::format("/api/v1/users/{}", created.id));
  sendJson(context.response, 201, userJson(created));
  return ok();
}

Result<void> listUsers(RequestContext& context) {
  VANTUS_TRY(PageRequest page, pageOf(context.request, 100));
  VANTUS_TRY(Page<User> users,
             context.services.users.users(context.caller, page.cursor, page.limit));
  json items = json::array();
  for (const User& user : users.items) {
    items.push_back(userJson(user));
  }
  sendJson(context.response, 200, {{"items", items}, {"next_cursor", cursorJson(users.next)}});
  return ok();
}

Result<void> getUser(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  VANTUS_TRY(User user, context.services.users.user(context.caller, id));
  sendJson(context.response, 200, userJson(user));
  return ok();
}

Result<void> patchUser(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  UserService& users = context.services.users;
  VANTUS_TRY(User current, users.user(context.caller, id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, userJson(current)));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(body, "", {"platform_admin", "disabled"}));
  UserUpdate update;
  VANTUS_TRY(update.platform_admin, fields.optionalBoolean("platform_admin"));
  VANTUS_TRY(update.disabled, fields.optionalBoolean("disabled"));
  VANTUS_TRY(User after, users.updateUser(context.caller, id, update));
  sendJson(context.response, 200, userJson(after));
  return ok();
}

Result<void> deleteUser(RequestContext& context) {
  VANTUS_TRY(Id id, pathId(context.request, 1));
  UserService& users = context.services.users;
  VANTUS_TRY(User current, users.user(context.caller, id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, userJson(current)));
  VANTUS_TRY_VOID(users.deleteUser(context.caller, id));
  context.response.status = 204;
  return ok();
}

Result<void> listMembers(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(std::vector<Membership> members,
             context.services.users.members(context.caller, tenant_id));
  json items = json::array();
  for (const Membership& member : members) {
    items.push_back(memberJson(member));
  }
  sendJson(context.response, 200, {{"items", items}, {"next_cursor", nullptr}});
  return ok();
}

Result<void> getMember(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(Id user_id, pathId(context.request, 2));
  VANTUS_TRY(Membership member, context.services.users.member(context.caller, tenant_id, user_id));
  sendJson(context.response, 200, memberJson(member));
  return ok();
}

Result<void> putMember(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(Id user_id, pathId(context.request, 2));
  VANTUS_TRY(json body, jsonBody(context.request));
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(body, "", {"role", "email"}));
  VANTUS_TRY(std::string role_text, fields.string("role"));
  VANTUS_TRY(TenantRole role, parseTenantRole(role_text));
  std::optional<std::string> email;
  if (fields.has("email")) {
    VANTUS_TRY(email, fields.string("email"));
  }
  UserService& users = context.services.users;
  if (Result<Membership> current = users.member(context.caller, tenant_id, user_id); current) {
    VANTUS_TRY_VOID(checkIfMatch(context.request, memberJson(*current)));
  } else if (current.error().code == ErrorCode::kNotFound) {
    VANTUS_TRY_VOID(checkIfMatchOnMissing(context.request));
  } else {
    return fail(current.error());
  }
  VANTUS_TRY(PutMemberResult put, users.putMember(context.caller, tenant_id, user_id, role, email));
  sendJson(context.response, put.created ? 201 : 200, memberJson(put.membership));
  return ok();
}

Result<void> deleteMember(RequestContext& context) {
  VANTUS_TRY(Id tenant_id, pathId(context.request, 1));
  VANTUS_TRY(Id user_id, pathId(context.request, 2));
  UserService& users = context.services.users;
  VANTUS_TRY(Membership current, users.member(context.caller, tenant_id, user_id));
  VANTUS_TRY_VOID(checkIfMatch(context.request, memberJson(current)));
  VANTUS_TRY_VOID(users.removeMember(context.caller, tenant_id, user_id));
  context.response.status = 204;
  return ok();
}

}  // namespace

void addPeopleRoutes(httplib::Server& server, ApiServices& services) {
  constexpr const char* kUser = R"(/api/v1/users/(\d+))";
  constexpr const char* kMembers = R"(/api/v1/tenants/(\d+)/members)";
  constexpr const char* kMember = R"(/api/v1/tenants/(\d+)/members/(\d+))";
  server.Post("/api/v1/users", guarded(services, createUser));
  server.Get("/api/v1/users", guarded(services, listUsers));
  server.Get(kUser, guarded(services, getUser));
  server.Patch(kUser, guarded(services, patchUser));
  server.Delete(kUser, guarded(services, deleteUser));
  server.Get(kMembers, guarded(services, listMembers));
  server.Get(kMember, guarded(services, getMember));
  server.Put(kMember, guarded(services, putMember));
  server.Delete(kMember, guarded(services, deleteMember));
}

}  // namespace vantus::controller::api
