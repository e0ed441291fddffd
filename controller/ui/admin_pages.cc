// A tenant's members and settings, and the audit log.
#include <fmt/format.h>

#include "controller/auth/rights.h"
#include "controller/model/validate.h"
#include "controller/ui/form_support.h"
#include "controller/ui/ui_pages.h"

namespace vantus::controller::ui {

namespace {

constexpr TenantRole kRoles[] = {TenantRole::kOwner, TenantRole::kAdmin, TenantRole::kOperator,
                                 TenantRole::kViewer};

}  // namespace

// --- members ---

namespace {

// What the members page says once after an invitation: that it was e-mailed, or its link.
struct InvitationNotice {
  std::string email;
  std::string url;  // "" when it was e-mailed
  std::string valid_for;
};

Result<void> membersPage(UiRequest& ui, Id tenant_id, const InvitationNotice* notice,
                         const Error* error, const std::string& typed_email) {
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  VANTUS_TRY(std::vector<Membership> members, ui.services.users.members(ui.caller(), tenant_id));
  const bool may_edit = ui.may("tenants:write", tenant_id);
  const int status =
      error == nullptr ? 200 : (error->code == ErrorCode::kAlreadyExists ? 409 : 400);
  ui.page(status, "Members · " + tenant.name, "members.tpl",
          [&](ctemplate::TemplateDictionary& page) {
            addTenantNav(page, tenant, "members");
            for (const Membership& member : members) {
              ctemplate::TemplateDictionary* row = page.AddSectionDictionary("MEMBER");
              row->SetValue("EMAIL", tplString(member.email));
              row->SetValue("ROLE", tplString(std::string(tenantRoleName(member.role))));
              if (!member.has_password) {
                row->ShowSection("INVITED");
              }
              if (!may_edit) {
                continue;
              }
              ctemplate::TemplateDictionary* edit = row->AddSectionDictionary("CAN_EDIT");
              edit->SetIntValue("TENANT_ID", tenant_id);
              edit->SetIntValue("USER_ID", member.user_id);
              edit->SetValue("EMAIL", tplString(member.email));
              edit->SetValue("CSRF", tplString(ui.session->csrf_token));
              for (TenantRole role : kRoles) {
                ctemplate::TemplateDictionary* option = edit->AddSectionDictionary("OPTION");
                option->SetValue("VALUE", tplString(std::string(tenantRoleName(role))));
                if (role == member.role) {
                  option->ShowSection("SELECTED");
                }
              }
              if (!member.has_password) {
                edit->ShowSection("CAN_REINVITE");
              }
            }
            if (members.empty()) {
              page.ShowSection("NO_MEMBERS");
            }
            if (may_edit) {
              ctemplate::TemplateDictionary* add = page.AddSectionDictionary("CAN_ADD");
              add->SetIntValue("TENANT_ID", tenant_id);
              add->SetValue("TYPED_EMAIL", tplString(typed_email));
              for (TenantRole role : kRoles) {
                add->AddSectionDictionary("ROLE_OPTION")
                    ->SetValue("VALUE", tplString(std::string(tenantRoleName(role))));
              }
            }
            if (notice) {
              ctemplate::TemplateDictionary* shown = page.AddSectionDictionary("INVITED_NOTICE");
              shown->SetValue("EMAIL", tplString(notice->email));
              shown->SetValue("VALID_FOR", tplString(notice->valid_for));
              if (notice->url.empty()) {
                shown->ShowSection("EMAILED");
              } else {
                shown->SetValueAndShowSection("URL", tplString(notice->url), "SHOW_LINK");
              }
            }
            if (error) {
              page.SetValueAndShowSection("ERROR", tplString(error->describe()), "HAS_ERROR");
            }
          });
  return ok();
}

// An invitation's link exists only in this answer (no-store) when it was not e-mailed.
Result<void> answerInvitation(UiRequest& ui, Id tenant_id, const Invitation& invitation) {
  if (!invitation.invited) {
    ui.redirect(tenantPath(tenant_id, "/members"));
    return ok();
  }
  InvitationNotice notice{invitation.membership.email,
                          invitation.emailed
                              ? std::string()
                              : fmt::format("{}/invitations/{}", ui.siteUrl(), invitation.token),
                          ui.services.invitation_valid_for};
  return membersPage(ui, tenant_id, &notice, nullptr, "");
}

}  // namespace

Result<void> showMembers(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  return membersPage(ui, tenant_id, nullptr, nullptr, "");
}

Result<void> addMember(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  const std::string email = formValue(ui.form, "email");
  VANTUS_TRY(TenantRole role, parseTenantRole(formValue(ui.form, "role")));
  Result<Invitation> added = ui.services.users.inviteMember(ui.caller(), tenant_id, email, role);
  if (!added && (added.error().code == ErrorCode::kInvalidInput ||
                 added.error().code == ErrorCode::kAlreadyExists)) {
    return membersPage(ui, tenant_id, nullptr, &added.error(), email);
  }
  VANTUS_TRY(Invitation invitation, std::move(added));
  return answerInvitation(ui, tenant_id, invitation);
}

Result<void> reinviteMember(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Id user_id, ui.pathId(2));
  VANTUS_TRY(Invitation invitation,
             ui.services.users.resendInvitation(ui.caller(), tenant_id, user_id));
  return answerInvitation(ui, tenant_id, invitation);
}

Result<void> saveMember(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Id user_id, ui.pathId(2));
  VANTUS_TRY(TenantRole role, parseTenantRole(formValue(ui.form, "role")));
  std::optional<std::string> email;
  if (const std::string typed = formValue(ui.form, "email"); !typed.empty()) {
    email = typed;
  }
  VANTUS_TRY_VOID(ui.services.users.putMember(ui.caller(), tenant_id, user_id, role, email));
  ui.redirect(tenantPath(tenant_id, "/members"));
  return ok();
}

Result<void> removeMember(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Id user_id, ui.pathId(2));
  VANTUS_TRY_VOID(ui.services.users.removeMember(ui.caller(), tenant_id, user_id));
  ui.redirect(tenantPath(tenant_id, "/members"));
  return ok();
}

// --- settings ---

namespace {

Result<void> settingsPage(UiRequest& ui, Id tenant_id, const std::string& error, int status) {
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  // Deleting a tenant is its owners' and the platform admins' (docs/rbac.md).
  const bool may_delete = ui.caller().principal.user.is_platform_admin ||
                          roleOn(ui.caller().principal, tenant_id) == TenantRole::kOwner;
  ui.page(status, "Settings · " + tenant.name, "settings.tpl",
          [&](ctemplate::TemplateDictionary& page) {
            addTenantNav(page, tenant, "settings");
            page.SetIntValue("TENANT_ID", tenant_id);
            page.SetValue("SLUG", tplString(tenant.slug));
            page.SetValue("STATUS", tplString(std::string(tenantStatusName(tenant.status))));
            if (ui.may("tenants:write", tenant_id)) {
              ctemplate::TemplateDictionary* edit = page.AddSectionDictionary("CAN_EDIT");
              for (TenantStatus status :
                   {TenantStatus::kActive, TenantStatus::kSuspended, TenantStatus::kArchived}) {
                ctemplate::TemplateDictionary* option = edit->AddSectionDictionary("OPTION");
                option->SetValue("VALUE", tplString(std::string(tenantStatusName(status))));
                if (status == tenant.status) {
                  option->ShowSection("SELECTED");
                }
              }
            }
            if (may_delete) {
              page.ShowSection("CAN_DELETE");
            }
            if (!error.empty()) {
              page.SetValueAndShowSection("ERROR", tplString(error), "HAS_ERROR");
            }
          });
  return ok();
}

}  // namespace

Result<void> showSettings(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  return settingsPage(ui, tenant_id, "", 200);
}

Result<void> saveSettings(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  TenantUpdate update;
  VANTUS_TRY(update.status, parseTenantStatus(formValue(ui.form, "status")));
  VANTUS_TRY_VOID(ui.services.model.updateTenant(ui.caller(), tenant_id, update));
  ui.redirect(tenantPath(tenant_id, "/settings"));
  return ok();
}

Result<void> deleteTenant(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  if (formValue(ui.form, "confirm_slug") != tenant.slug) {
    return settingsPage(ui, tenant_id,
                        fmt::format("Type the slug {:?} to delete the tenant.", tenant.slug), 400);
  }
  Result<void> deleted = ui.services.model.deleteTenant(ui.caller(), tenant_id);
  if (!deleted && deleted.error().code == ErrorCode::kFailedPrecondition) {
    return settingsPage(ui, tenant_id, deleted.error().message, 409);
  }
  VANTUS_TRY_VOID(deleted);
  ui.redirect("/tenants");
  return ok();
}

// --- audit ---

Result<void> showAudit(UiRequest& ui) {
  AuditFilter filter;
  auto param = [&](const char* name) {
    return ui.http.has_param(name) ? ui.http.get_param_value(name) : std::string();
  };
  const std::string tenant_text = param("tenant");
  if (!tenant_text.empty()) {
    const Id tenant_id = std::strtoll(tenant_text.c_str(), nullptr, 10);
    if (tenant_id <= 0) {
      return fail(ErrorCode::kInvalidInput, fmt::format("{:?} is not a tenant id", tenant_text),
                  "tenant");
    }
    filter.tenant_id = tenant_id;
  }
  filter.actor = param("actor");
  filter.action = param("action");
  filter.since = param("since");
  filter.until = param("until");
  const Id before = std::strtoll(param("before").c_str(), nullptr, 10);
  constexpr std::size_t kPageSize = 50;
  VANTUS_TRY(Page<AuditEntry> entries,
             ui.services.audit.entries(ui.caller(), filter, std::max<Id>(0, before), kPageSize));
  // The chain is verified for platform admins only (it covers every tenant's rows).
  std::optional<std::string> chain;
  if (ui.may("audit:read", std::nullopt)) {
    VANTUS_TRY(std::optional<Id> broken, ui.services.audit.firstBrokenLink(ui.caller()));
    chain = broken ? fmt::format(
                         "The chain breaks at row {}: that row or the one before it was "
                         "changed or removed.",
                         *broken)
                   : std::string("Every row verifies against its hash and its predecessor.");
  }
  ui.page(200, "Audit log", "audit.tpl", [&](ctemplate::TemplateDictionary& page) {
    page.SetValue("TENANT", tplString(tenant_text));
    page.SetValue("ACTOR", tplString(filter.actor));
    page.SetValue("ACTION", tplString(filter.action));
    page.SetValue("SINCE", tplString(filter.since));
    page.SetValue("UNTIL", tplString(filter.until));
    if (chain) {
      page.SetValueAndShowSection("CHAIN", tplString(*chain), "HAS_CHAIN");
    }
    for (const AuditEntry& entry : entries.items) {
      ctemplate::TemplateDictionary* row = page.AddSectionDictionary("ENTRY");
      row->SetIntValue("ID", entry.id);
      row->SetValue("TIME", tplString(entry.time));
      row->SetValue("ACTOR", tplString(entry.actor.name));
      row->SetValue("ADDRESS", tplString(entry.actor.source_address));
      row->SetValue("ACTION", tplString(entry.action));
      row->SetValue("TARGET", tplString(entry.target));
      row->SetValue("TENANT_ID",
                    tplString(entry.tenant_id ? std::to_string(*entry.tenant_id) : ""));
    }
    if (entries.items.empty()) {
      page.ShowSection("NO_ENTRIES");
    }
    if (entries.next) {
      ctemplate::TemplateDictionary* older = page.AddSectionDictionary("HAS_OLDER");
      older->SetValue(
          "QUERY",
          tplString(fmt::format("tenant={}&actor={}&action={}&since={}&until={}&before={}",
                                httplib::detail::encode_query_param(tenant_text),
                                httplib::detail::encode_query_param(filter.actor),
                                httplib::detail::encode_query_param(filter.action),
                                httplib::detail::encode_query_param(filter.since),
                                httplib::detail::encode_query_param(filter.until), *entries.next)));
    }
  });
  return ok();
}

}  // namespace vantus::controller::ui
