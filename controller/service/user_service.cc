#include "controller/service/user_service.h"

#include <fmt/format.h>

#include "common/log/log.h"
#include "controller/auth/access.h"
#include "controller/auth/one_time_links.h"
#include "controller/mail/link_mail.h"
#include "controller/model/validate.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

using nlohmann::json;

namespace {

json userAudit(const User& user) {
  return {{"email", user.email},
          {"platform_admin", user.is_platform_admin},
          {"disabled", user.disabled}};
}

json memberAudit(const Membership& membership) {
  return {{"user_id", membership.user_id},
          {"email", membership.email},
          {"role", tenantRoleName(membership.role)}};
}

// Which link an invitation made and until when it works (never the token).
void addLinkAudit(json& audit, const PasswordReset& link) {
  audit["link"] = link.id;
  audit["expires_at"] = link.expires_at;
}

std::string userTarget(Id id) { return fmt::format("user:{}", id); }

std::string memberTarget(Id tenant_id, Id user_id) {
  return fmt::format("member:{}:{}", tenant_id, user_id);
}

// Run after the change, inside its transaction: rolls it back when no enabled platform admin
// would be left.
Result<void> keepsAPlatformAdmin(Transaction& tx, std::string_view field) {
  VANTUS_TRY(std::size_t admins, tx.countActivePlatformAdmins());
  if (admins == 0) {
    return fail(ErrorCode::kConflict,
                "this would leave the platform without an enabled platform admin; make another "
                "user a platform admin first",
                std::string(field));
  }
  return ok();
}

Result<std::optional<Membership>> findMember(Transaction& tx, Id tenant_id, Id user_id) {
  VANTUS_TRY(std::vector<Membership> members, tx.membershipsOfTenant(tenant_id));
  for (Membership& member : members) {
    if (member.user_id == user_id) {
      return std::optional<Membership>(std::move(member));
    }
  }
  return std::optional<Membership>();
}

Result<void> mayTouchOwnerRole(std::optional<TenantRole> acting_role) {
  if (acting_role && *acting_role != TenantRole::kOwner) {
    return fail(ErrorCode::kPermissionDenied,
                "only an owner of the tenant or a platform admin grants, changes or removes the "
                "owner role",
                "role");
  }
  return ok();
}

}  // namespace

Result<User> UserService::createUser(const Caller& caller, std::string_view email,
                                     bool platform_admin) {
  VANTUS_TRY_VOID(authorize(caller.principal, "users:admin", std::nullopt));
  VANTUS_TRY(std::string normalised, parseEmail(email));
  return writeValue<User>(store_, [&](Transaction& tx) -> Result<User> {
    User user;
    user.email = normalised;
    user.is_platform_admin = platform_admin;
    VANTUS_TRY(User created, tx.insertUser(user));
    VANTUS_TRY_VOID(recordWrite(tx, caller, std::nullopt, "user.create", userTarget(created.id),
                                nullptr, userAudit(created)));
    return created;
  });
}

Result<User> UserService::user(const Caller& caller, Id id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "users:admin", std::nullopt));
  return readValue<User>(store_, [&](Transaction& tx) { return tx.user(id); });
}

Result<Page<User>> UserService::users(const Caller& caller, Id after_id, std::size_t limit) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "users:admin", std::nullopt));
  // One more than asked tells whether a next page exists.
  VANTUS_TRY(std::vector<User> users, readValue<std::vector<User>>(store_, [&](Transaction& tx) {
               return tx.listUsers(after_id, limit + 1);
             }));
  Page<User> page;
  if (users.size() > limit) {
    users.resize(limit);
    page.next = users.empty() ? std::nullopt : std::optional<Id>(users.back().id);
  }
  page.items = std::move(users);
  return page;
}

Result<User> UserService::updateUser(const Caller& caller, Id id, const UserUpdate& update) {
  VANTUS_TRY_VOID(authorize(caller.principal, "users:admin", std::nullopt));
  return writeValue<User>(store_, [&](Transaction& tx) -> Result<User> {
    VANTUS_TRY(User before, tx.user(id));
    User wanted = before;
    wanted.is_platform_admin = update.platform_admin.value_or(before.is_platform_admin);
    wanted.disabled = update.disabled.value_or(before.disabled);
    VANTUS_TRY(User after, tx.updateUser(wanted));
    VANTUS_TRY_VOID(keepsAPlatformAdmin(tx, update.disabled ? "disabled" : "platform_admin"));
    if (after.is_platform_admin != before.is_platform_admin || after.disabled != before.disabled) {
      VANTUS_TRY_VOID(tx.deleteSessionsOfUser(id));
    }
    VANTUS_TRY_VOID(recordWrite(tx, caller, std::nullopt, "user.update", userTarget(id),
                                userAudit(before), userAudit(after)));
    return after;
  });
}

Result<void> UserService::deleteUser(const Caller& caller, Id id) {
  VANTUS_TRY_VOID(authorize(caller.principal, "users:admin", std::nullopt));
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(User before, tx.user(id));
    VANTUS_TRY_VOID(tx.deleteUser(id));
    VANTUS_TRY_VOID(keepsAPlatformAdmin(tx, "id"));
    return recordWrite(tx, caller, std::nullopt, "user.delete", userTarget(id), userAudit(before),
                       nullptr);
  });
}

Result<std::vector<Membership>> UserService::members(const Caller& caller, Id tenant_id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "tenants:read", tenant_id));
  return readValue<std::vector<Membership>>(
      store_, [&](Transaction& tx) -> Result<std::vector<Membership>> {
        VANTUS_TRY_VOID(tx.tenant(tenant_id));
        return tx.membershipsOfTenant(tenant_id);
      });
}

Result<Membership> UserService::member(const Caller& caller, Id tenant_id, Id user_id) const {
  VANTUS_TRY_VOID(authorize(caller.principal, "tenants:read", tenant_id));
  return readValue<Membership>(store_, [&](Transaction& tx) -> Result<Membership> {
    VANTUS_TRY(std::optional<Membership> found, findMember(tx, tenant_id, user_id));
    if (!found) {
      return fail(ErrorCode::kNotFound,
                  fmt::format("user {} is not a member of tenant {}", user_id, tenant_id));
    }
    return *found;
  });
}

Result<PutMemberResult> UserService::putMember(const Caller& caller, Id tenant_id, Id user_id,
                                               TenantRole role,
                                               const std::optional<std::string>& email) {
  VANTUS_TRY(std::optional<TenantRole> acting_role,
             authorizedRole(caller.principal, "tenants:write", tenant_id));
  std::optional<std::string> named_email;
  if (email) {
    VANTUS_TRY(named_email, parseEmail(*email));
  }
  return writeValue<PutMemberResult>(store_, [&](Transaction& tx) -> Result<PutMemberResult> {
    VANTUS_TRY_VOID(tx.tenant(tenant_id));
    auto unknown_user = [&] {
      return fail(ErrorCode::kNotFound, fmt::format("user {} not found", user_id), "user_id");
    };
    Result<User> user = tx.user(user_id);
    if (!user) {
      if (user.error().code == ErrorCode::kNotFound) {
        return unknown_user();
      }
      return fail(user.error());
    }
    VANTUS_TRY(std::optional<Membership> before, findMember(tx, tenant_id, user_id));
    if ((!before && acting_role && named_email != user->email) ||
        (named_email && named_email != user->email)) {
      return unknown_user();
    }
    if (role == TenantRole::kOwner || (before && before->role == TenantRole::kOwner)) {
      VANTUS_TRY_VOID(mayTouchOwnerRole(acting_role));
    }
    VANTUS_TRY_VOID(tx.putMembership(Membership{user_id, tenant_id, role}));
    if (!before || before->role != role) {
      VANTUS_TRY_VOID(tx.deleteSessionsOfUser(user_id));
    }
    VANTUS_TRY(std::optional<Membership> after, findMember(tx, tenant_id, user_id));
    VANTUS_TRY_VOID(recordWrite(tx, caller, tenant_id, before ? "member.update" : "member.create",
                                memberTarget(tenant_id, user_id),
                                before ? memberAudit(*before) : json(nullptr),
                                memberAudit(*after)));
    return PutMemberResult{*after, !before};
  });
}

Result<void> UserService::removeMember(const Caller& caller, Id tenant_id, Id user_id) {
  VANTUS_TRY(std::optional<TenantRole> acting_role,
             authorizedRole(caller.principal, "tenants:write", tenant_id));
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(std::optional<Membership> before, findMember(tx, tenant_id, user_id));
    if (!before) {
      return fail(ErrorCode::kNotFound,
                  fmt::format("user {} is not a member of tenant {}", user_id, tenant_id));
    }
    if (before->role == TenantRole::kOwner) {
      VANTUS_TRY_VOID(mayTouchOwnerRole(acting_role));
    }
    VANTUS_TRY_VOID(tx.deleteMembership(user_id, tenant_id));
    VANTUS_TRY_VOID(tx.deleteSessionsOfUser(user_id));
    return recordWrite(tx, caller, tenant_id, "member.delete", memberTarget(tenant_id, user_id),
                       memberAudit(*before), nullptr);
  });
}

void UserService::deliver(Invitation& invitation, const Caller& caller,
                          const std::string& tenant_name, std::string token) {
  if (invitations_.link_mail != nullptr) {
    Result<void> queued = invitations_.link_mail->sendInvitation(invitation.membership.email,
                                                                 tenant_name, caller.actor.name,
                                                                 token, invitations_.valid_seconds);
    if (queued) {
      invitation.emailed = true;
      return;
    }
    log::warn("mail.not_queued",
              {{"to", invitation.membership.email}, {"error", queued.error().describe()}});
  }
  invitation.token = std::move(token);
}

Result<Invitation> UserService::inviteMember(const Caller& caller, Id tenant_id,
                                             std::string_view email, TenantRole role) {
  VANTUS_TRY(std::optional<TenantRole> acting_role,
             authorizedRole(caller.principal, "tenants:write", tenant_id));
  VANTUS_TRY(std::string normalised, parseEmail(email));
  if (role == TenantRole::kOwner) {
    VANTUS_TRY_VOID(mayTouchOwnerRole(acting_role));
  }
  const std::int64_t now = invitations_.clock();
  std::string tenant_name;
  std::string token;
  VANTUS_TRY(Invitation invitation,
             writeValue<Invitation>(store_, [&](Transaction& tx) -> Result<Invitation> {
               VANTUS_TRY(Tenant tenant, tx.tenant(tenant_id));
               tenant_name = tenant.name;
               Result<User> found = tx.userByEmail(normalised);
               if (!found && found.error().code != ErrorCode::kNotFound) {
                 return fail(found.error());
               }
               User user;
               if (found) {
                 user = std::move(*found);
                 VANTUS_TRY(std::optional<Membership> before, findMember(tx, tenant_id, user.id));
                 if (before) {
                   return fail(ErrorCode::kAlreadyExists,
                               fmt::format("{} is already a member of this tenant (as {}): "
                                           "change the role in the table",
                                           normalised, tenantRoleName(before->role)),
                               "email");
                 }
               } else {
                 user.email = normalised;
                 VANTUS_TRY(user, tx.insertUser(user));
               }
               VANTUS_TRY_VOID(tx.putMembership(Membership{user.id, tenant_id, role}));
               VANTUS_TRY_VOID(tx.deleteSessionsOfUser(user.id));
               VANTUS_TRY(std::optional<Membership> after, findMember(tx, tenant_id, user.id));
               Invitation made{*after, user.password_hash.empty()};
               json audit = memberAudit(*after);
               if (made.invited) {
                 VANTUS_TRY(IssuedLink link,
                            insertOneTimeLink(tx, user.id, LinkPurpose::kInvitation, tenant_id, now,
                                              invitations_.valid_seconds));
                 token = std::move(link.token);
                 audit["new_user"] = !found;
                 addLinkAudit(audit, link.record);
               }
               VANTUS_TRY_VOID(recordWrite(tx, caller, tenant_id,
                                           made.invited ? "member.invite" : "member.create",
                                           memberTarget(tenant_id, user.id), nullptr, audit));
               return made;
             }));
  if (invitation.invited) {
    deliver(invitation, caller, tenant_name, std::move(token));
  }
  return invitation;
}

Result<Invitation> UserService::resendInvitation(const Caller& caller, Id tenant_id, Id user_id) {
  VANTUS_TRY_VOID(authorize(caller.principal, "tenants:write", tenant_id));
  const std::int64_t now = invitations_.clock();
  std::string tenant_name;
  std::string token;
  VANTUS_TRY(Invitation invitation,
             writeValue<Invitation>(store_, [&](Transaction& tx) -> Result<Invitation> {
               VANTUS_TRY(Tenant tenant, tx.tenant(tenant_id));
               tenant_name = tenant.name;
               VANTUS_TRY(std::optional<Membership> member, findMember(tx, tenant_id, user_id));
               if (!member) {
                 return fail(ErrorCode::kNotFound, fmt::format("user {} is not a member of "
                                                               "tenant {}",
                                                               user_id, tenant_id));
               }
               if (member->has_password) {
                 return fail(ErrorCode::kFailedPrecondition,
                             fmt::format("{} has set a password already: they sign in, or use "
                                         "\"Forgot password?\" on the sign-in page",
                                         member->email));
               }
               VANTUS_TRY(IssuedLink link,
                          insertOneTimeLink(tx, user_id, LinkPurpose::kInvitation, tenant_id, now,
                                            invitations_.valid_seconds));
               token = std::move(link.token);
               json audit = memberAudit(*member);
               addLinkAudit(audit, link.record);
               VANTUS_TRY_VOID(recordWrite(tx, caller, tenant_id, "member.reinvite",
                                           memberTarget(tenant_id, user_id), nullptr, audit));
               return Invitation{*member, true};
             }));
  deliver(invitation, caller, tenant_name, std::move(token));
  return invitation;
}

}  // namespace vantus::controller
