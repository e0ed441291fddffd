// Sign-in, sign-out, the dashboard, the security page and the edges page.
#include <fmt/format.h>

#include "common/core/time.h"
#include "controller/ui/ui_pages.h"

namespace vantus::controller::ui {

void loginForm(UiRequest& ui, const std::string& error, const std::string& email, int status) {
  const std::string next = safeNextPath(ui.http.has_param("next") ? ui.http.get_param_value("next")
                                                                  : formValue(ui.form, "next"));
  ui.page(status, "Sign in", "login.tpl", [&](ctemplate::TemplateDictionary& page) {
    page.SetValue("EMAIL", tplString(email));
    page.SetValue("NEXT", tplString(next));
    if (!error.empty()) {
      page.SetValueAndShowSection("ERROR", tplString(error), "HAS_ERROR");
    }
  });
}

Result<void> showLogin(UiRequest& ui) {
  loginForm(ui, "", "", 200);
  return ok();
}

Result<void> signIn(UiRequest& ui) {
  const std::string email = formValue(ui.form, "email");
  const std::string password = formValue(ui.form, "password");
  Result<std::string> session_id = ui.services.sessions.signIn(email, password, ui.client());
  if (!session_id) {
    if (session_id.error().code == ErrorCode::kRateLimited) {
      const std::int64_t wait = ui.services.sessions.signInWaitSeconds(email, ui.http.remote_addr);
      ui.response.set_header("Retry-After", std::to_string(std::max<std::int64_t>(1, wait)));
      loginForm(ui,
                fmt::format("Too many failed sign-ins. Try again in {} seconds.",
                            std::max<std::int64_t>(1, wait)),
                email, 429);
      return ok();
    }
    if (session_id.error().code == ErrorCode::kUnauthenticated) {
      loginForm(ui, "The email or the password is wrong.", email, 401);
      return ok();
    }
    return fail(session_id.error());
  }
  ui.response.set_header("Set-Cookie", sessionCookie(ui.services.tls, *session_id));
  ui.redirect(safeNextPath(formValue(ui.form, "next")));
  return ok();
}

Result<void> signOut(UiRequest& ui) {
  VANTUS_TRY_VOID(ui.services.sessions.signOut(*ui.session));
  ui.response.set_header("Set-Cookie", clearedSessionCookie(ui.services.tls));
  ui.redirect("/login");
  return ok();
}

Result<void> showDashboard(UiRequest& ui) {
  VANTUS_TRY(Page<Tenant> tenants, ui.services.model.listTenants(ui.caller(), 0, 20));
  ui.page(200, "Dashboard", "dashboard.tpl", [&](ctemplate::TemplateDictionary& page) {
    for (const Tenant& tenant : tenants.items) {
      ctemplate::TemplateDictionary* row = page.AddSectionDictionary("TENANT");
      row->SetIntValue("ID", tenant.id);
      row->SetValue("SLUG", tplString(tenant.slug));
      row->SetValue("NAME", tplString(tenant.name));
      row->SetValue("STATUS", tplString(std::string(tenantStatusName(tenant.status))));
    }
    if (tenants.items.empty()) {
      page.ShowSection("NO_TENANTS");
    }
    if (ui.may("tenants:write", std::nullopt)) {
      page.ShowSection("CAN_CREATE");
    }
  });
  return ok();
}

namespace {

Result<void> securityPage(UiRequest& ui, const std::string& error, int status) {
  VANTUS_TRY(std::vector<SessionRecord> sessions, ui.services.sessions.sessions(*ui.session));
  ui.page(status, "Security", "security.tpl", [&](ctemplate::TemplateDictionary& page) {
    for (const SessionRecord& session : sessions) {
      ctemplate::TemplateDictionary* row = page.AddSectionDictionary("SESSION");
      row->SetIntValue("ID", session.id);
      row->SetValue("SIGNED_IN_AT", tplString(formatRfc3339Utc(session.created_at)));
      row->SetValue("LAST_SEEN_AT", tplString(formatRfc3339Utc(session.last_seen_at)));
      row->SetValue("ADDRESS", tplString(session.address));
      row->SetValue("USER_AGENT", tplString(session.user_agent));
      if (session.id == ui.session->record.id) {
        row->ShowSection("CURRENT");
      } else {
        row->SetValueAndShowSection("CSRF", tplString(ui.session->csrf_token), "OTHER");
      }
    }
    if (!error.empty()) {
      page.SetValueAndShowSection("PASSWORD_ERROR", tplString(error), "HAS_PASSWORD_ERROR");
    }
  });
  return ok();
}

}  // namespace

Result<void> showSecurity(UiRequest& ui) { return securityPage(ui, "", 200); }

Result<void> endSession(UiRequest& ui) {
  VANTUS_TRY(Id session_id, ui.pathId(1));
  VANTUS_TRY_VOID(ui.services.sessions.endSession(*ui.session, session_id));
  ui.redirect("/settings/security");
  return ok();
}

Result<void> changePassword(UiRequest& ui) {
  const std::string new_password = formValue(ui.form, "new_password");
  Result<void> changed = ui.services.sessions.changePassword(
      *ui.session, formValue(ui.form, "current_password"), new_password);
  if (!changed) {
    const ErrorCode code = changed.error().code;
    if (code == ErrorCode::kInvalidInput || code == ErrorCode::kPermissionDenied ||
        code == ErrorCode::kRateLimited) {
      return securityPage(ui, changed.error().message, code == ErrorCode::kRateLimited ? 429 : 400);
    }
    return fail(changed.error());
  }
  // Every session ended with the old password; this browser gets a new one.
  Result<std::string> session_id =
      ui.services.sessions.signIn(ui.caller().principal.user.email, new_password, ui.client());
  if (!session_id) {
    ui.response.set_header("Set-Cookie", clearedSessionCookie(ui.services.tls));
    ui.redirect("/login?next=/settings/security");
    return ok();
  }
  ui.response.set_header("Set-Cookie", sessionCookie(ui.services.tls, *session_id));
  ui.redirect("/settings/security");
  return ok();
}

Result<void> signOutEverywhere(UiRequest& ui) {
  VANTUS_TRY_VOID(ui.services.sessions.signOutEverywhere(*ui.session));
  ui.response.set_header("Set-Cookie", clearedSessionCookie(ui.services.tls));
  ui.redirect("/login");
  return ok();
}

namespace {

void edgesPage(UiRequest& ui, const std::vector<EdgeCluster>& clusters,
               const std::vector<NodeStatus>& nodes, const std::string& error,
               const std::string& typed, int status) {
  ui.page(status, "Edges", "edges.tpl", [&](ctemplate::TemplateDictionary& page) {
    for (const EdgeCluster& cluster : clusters) {
      ctemplate::TemplateDictionary* row = page.AddSectionDictionary("CLUSTER");
      row->SetIntValue("ID", cluster.id);
      row->SetValue("NAME", tplString(cluster.name));
      row->SetValue("CREATED_AT", tplString(cluster.created_at));
    }
    for (const NodeStatus& node : nodes) {
      ctemplate::TemplateDictionary* row = page.AddSectionDictionary("NODE");
      row->SetValue("NAME", tplString(node.node.name));
      row->SetValue("LIVENESS", tplString(node.liveness));
    }
    page.SetValue("TYPED_NAME", tplString(typed));
    if (ui.may("edges:write", std::nullopt)) {
      page.ShowSection("CAN_EDIT");
    }
    if (!error.empty()) {
      page.SetValueAndShowSection("ERROR", tplString(error), "HAS_ERROR");
    }
  });
}

}  // namespace

Result<void> showEdges(UiRequest& ui) {
  VANTUS_TRY(std::vector<EdgeCluster> clusters, ui.services.model.clusters(ui.caller()));
  VANTUS_TRY(std::vector<NodeStatus> nodes, ui.services.fleet.nodes(ui.caller(), std::nullopt));
  edgesPage(ui, clusters, nodes, "", "", 200);
  return ok();
}

Result<void> createCluster(UiRequest& ui) {
  const std::string name = formValue(ui.form, "name");
  Result<EdgeCluster> created = ui.services.model.createCluster(ui.caller(), name);
  if (!created && (created.error().code == ErrorCode::kInvalidInput ||
                   created.error().code == ErrorCode::kAlreadyExists)) {
    VANTUS_TRY(std::vector<EdgeCluster> clusters, ui.services.model.clusters(ui.caller()));
    VANTUS_TRY(std::vector<NodeStatus> nodes, ui.services.fleet.nodes(ui.caller(), std::nullopt));
    edgesPage(ui, clusters, nodes, created.error().message, name, 400);
    return ok();
  }
  VANTUS_TRY_VOID(created);
  ui.redirect("/edges");
  return ok();
}

}  // namespace vantus::controller::ui
