// Sign-in, sign-out, the dashboard, the security page and the edges page.
#include <fmt/format.h>

#include "common/core/time.h"
#include "controller/ui/form_support.h"
#include "controller/ui/ui_pages.h"

namespace vantus::controller::ui {

void loginForm(UiRequest& ui, const std::string& error, const std::string& email, int status) {
  const std::string next = safeNextPath(ui.http.has_param("next") ? ui.http.get_param_value("next")
                                                                  : formValue(ui.form, "next"));
  ui.page(status, "Sign in", "login.tpl", [&](ctemplate::TemplateDictionary& page) {
    page.SetValue("EMAIL", tplString(email));
    page.SetValue("NEXT", tplString(next));
    if (ui.services.sessions.mailsLinks()) {
      page.ShowSection("CAN_RESET");
    }
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
      const std::int64_t wait = ui.services.sessions.signInWaitSeconds(email, ui.client().address);
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

namespace {

enum class ForgotState { kAsking, kSent };

void forgotPasswordPage(UiRequest& ui, ForgotState state, const std::string& email,
                        const std::string& error, int status) {
  ui.page(status, "Forgot password", "forgot.tpl", [&](ctemplate::TemplateDictionary& page) {
    page.SetValue("EMAIL", tplString(email));
    if (!ui.services.sessions.mailsLinks()) {
      page.ShowSection("NO_MAIL");
    } else if (state == ForgotState::kSent) {
      page.ShowSection("SENT");
    } else {
      page.ShowSection("CAN_REQUEST");
    }
    if (!error.empty()) {
      page.SetValueAndShowSection("ERROR", tplString(error), "HAS_ERROR");
    }
  });
}

}  // namespace

Result<void> showForgotPassword(UiRequest& ui) {
  forgotPasswordPage(ui, ForgotState::kAsking, "", "", 200);
  return ok();
}

Result<void> requestPasswordLink(UiRequest& ui) {
  const std::string email = formValue(ui.form, "email");
  Result<void> requested = ui.services.sessions.requestPasswordLink(email, ui.client());
  if (!requested) {
    if (requested.error().code == ErrorCode::kRateLimited) {
      const std::int64_t wait = std::max<std::int64_t>(
          1, ui.services.sessions.passwordLinkWaitSeconds(email, ui.http.remote_addr));
      ui.response.set_header("Retry-After", std::to_string(wait));
      forgotPasswordPage(ui, ForgotState::kAsking, email,
                         fmt::format("Too many requests. Try again in {} seconds.", wait), 429);
      return ok();
    }
    if (requested.error().code == ErrorCode::kFailedPrecondition) {
      forgotPasswordPage(ui, ForgotState::kAsking, email, "", 409);
      return ok();
    }
    return fail(requested.error());
  }
  // The same answer whether or not the email belongs to an account.
  forgotPasswordPage(ui, ForgotState::kSent, email, "", 200);
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
  // Each tenant's last deployment: a few service calls for a page of tenants.
  std::vector<std::optional<Deployment>> last;
  for (const Tenant& tenant : tenants.items) {
    VANTUS_TRY(std::vector<Deployment> recent,
               ui.services.deployments.deployments(ui.caller(), tenant.id, 0, 1));
    last.push_back(recent.empty() ? std::nullopt : std::optional<Deployment>(recent.front()));
  }
  std::optional<std::vector<NodeStatus>> nodes;
  if (ui.may("edges:read", std::nullopt)) {
    VANTUS_TRY(nodes, ui.services.fleet.nodes(ui.caller(), std::nullopt));
  }
  ui.page(200, "Dashboard", "dashboard.tpl", [&](ctemplate::TemplateDictionary& page) {
    ctemplate::TemplateDictionary* table =
        tenants.items.empty() ? nullptr : page.AddSectionDictionary("HAS_TENANTS");
    for (std::size_t i = 0; i < tenants.items.size(); ++i) {
      const Tenant& tenant = tenants.items[i];
      ctemplate::TemplateDictionary* row = table->AddSectionDictionary("TENANT");
      row->SetIntValue("ID", tenant.id);
      row->SetValue("SLUG", tplString(tenant.slug));
      row->SetValue("NAME", tplString(tenant.name));
      row->SetValue("STATUS", tplString(std::string(tenantStatusName(tenant.status))));
      if (last[i]) {
        ctemplate::TemplateDictionary* deployed = row->AddSectionDictionary("LAST_DEPLOYMENT");
        deployed->SetIntValue("TENANT_ID", tenant.id);
        deployed->SetIntValue("DEPLOYMENT_ID", last[i]->id);
        deployed->SetValue("DEPLOYMENT_STATUS",
                           tplString(std::string(deploymentStatusName(last[i]->status))));
        deployed->SetValue("DEPLOYED_AT", tplString(last[i]->created_at));
      } else {
        row->ShowSection("NEVER_DEPLOYED");
      }
    }
    if (tenants.items.empty()) {
      page.ShowSection("NO_TENANTS");
    }
    if (ui.may("tenants:write", std::nullopt)) {
      page.ShowSection("CAN_CREATE");
    }
    if (nodes) {
      int online = 0;
      int offline = 0;
      int pending = 0;
      int drifted = 0;
      ctemplate::TemplateDictionary* fleet = page.AddSectionDictionary("FLEET");
      for (const NodeStatus& node : *nodes) {
        online += node.liveness == "online";
        offline += node.liveness == "offline";
        pending += node.liveness == "pending";
        drifted += node.node.drift;
        if (node.node.last_result == "failed" || node.node.last_result == "rolled_back") {
          ctemplate::TemplateDictionary* failure = fleet->AddSectionDictionary("FAILED_NODE");
          failure->SetValue("NAME", tplString(node.node.name));
          failure->SetValue("CLUSTER", tplString(node.node.cluster));
          failure->SetValue("REASON", tplString(node.node.last_reason));
        }
      }
      fleet->SetIntValue("ONLINE", online);
      fleet->SetIntValue("OFFLINE", offline);
      fleet->SetIntValue("PENDING", pending);
      fleet->SetIntValue("DRIFTED", drifted);
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

// What an enrolment token page shows once.
struct IssuedEnrollment {
  std::string token;
  std::string cluster;
  std::string expires_at;
  std::string command;
};

void edgesPage(UiRequest& ui, const std::vector<EdgeCluster>& clusters,
               const std::vector<NodeStatus>& nodes, const std::string& error,
               const std::string& typed, int status, const IssuedEnrollment* issued = nullptr) {
  const bool may_edit = ui.may("edges:write", std::nullopt);
  ui.page(status, "Edges", "edges.tpl", [&](ctemplate::TemplateDictionary& page) {
    for (const EdgeCluster& cluster : clusters) {
      ctemplate::TemplateDictionary* row = page.AddSectionDictionary("CLUSTER");
      row->SetIntValue("ID", cluster.id);
      row->SetValue("NAME", tplString(cluster.name));
      row->SetValue("CREATED_AT", tplString(cluster.created_at));
      if (may_edit) {
        ctemplate::TemplateDictionary* edit = row->AddSectionDictionary("CAN_EDIT");
        edit->SetIntValue("ID", cluster.id);
        edit->SetValue("CSRF", tplString(ui.session->csrf_token));
      }
    }
    ctemplate::TemplateDictionary* node_table =
        nodes.empty() ? nullptr : page.AddSectionDictionary("HAS_NODES");
    for (const NodeStatus& node : nodes) {
      ctemplate::TemplateDictionary* row = node_table->AddSectionDictionary("NODE");
      row->SetValue("NAME", tplString(node.node.name));
      row->SetIntValue("CLUSTER_ID", node.node.cluster_id);
      row->SetIntValue("NODE_ID", node.node.id);
      row->SetValue("CLUSTER", tplString(node.node.cluster));
      row->SetValue("LIVENESS", tplString(node.liveness));
      row->SetIntValue("VERSION", static_cast<long>(node.node.applied_version));
      row->SetValue("LAST_SEEN", tplString(node.node.last_seen_unix > 0
                                               ? formatRfc3339Utc(node.node.last_seen_unix)
                                               : std::string("never")));
      row->SetValue("LAST_RESULT", tplString(node.node.last_result));
      if (node.node.drift) {
        row->ShowSection("DRIFT");
      }
      if (node.node.drained) {
        row->ShowSection("DRAINED");
      }
      if (may_edit) {
        ctemplate::TemplateDictionary* edit = row->AddSectionDictionary("CAN_EDIT");
        edit->SetIntValue("CLUSTER_ID", node.node.cluster_id);
        edit->SetIntValue("NODE_ID", node.node.id);
        edit->SetValue("CSRF", tplString(ui.session->csrf_token));
        edit->ShowSection(node.node.drained ? "IS_DRAINED" : "NOT_DRAINED");
      }
    }
    if (nodes.empty()) {
      page.ShowSection("NO_NODES");
    }
    page.SetValue("TYPED_NAME", tplString(typed));
    if (may_edit) {
      page.ShowSection("CAN_EDIT");
    }
    if (issued) {
      ctemplate::TemplateDictionary* shown = page.AddSectionDictionary("ISSUED");
      shown->SetValue("TOKEN", tplString(issued->token));
      shown->SetValue("CLUSTER", tplString(issued->cluster));
      shown->SetValue("EXPIRES_AT", tplString(issued->expires_at));
      shown->SetValue("COMMAND", tplString(issued->command));
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

Result<void> deleteCluster(UiRequest& ui) {
  VANTUS_TRY(Id cluster_id, ui.pathId(1));
  VANTUS_TRY_VOID(ui.services.model.deleteCluster(ui.caller(), cluster_id));
  ui.redirect("/edges");
  return ok();
}

Result<void> createEnrollmentToken(UiRequest& ui) {
  VANTUS_TRY(Id cluster_id, ui.pathId(1));
  VANTUS_TRY(EdgeCluster cluster, ui.services.model.cluster(ui.caller(), cluster_id));
  constexpr std::chrono::minutes kTokenLifetime{60};
  VANTUS_TRY(EnrollmentToken made,
             ui.services.fleet.createEnrollmentToken(ui.caller(), cluster.name, kTokenLifetime));
  const std::string controller = ui.siteUrl();
  IssuedEnrollment issued{
      made.token, made.cluster, formatRfc3339Utc(made.expires_at),
      fmt::format("vantus-agent enroll --controller {} --token {} --pin {} --state-dir "
                  "/var/lib/vantus-agent --name <node>",
                  controller, made.token, ui.services.key_fingerprint)};
  VANTUS_TRY(std::vector<EdgeCluster> clusters, ui.services.model.clusters(ui.caller()));
  VANTUS_TRY(std::vector<NodeStatus> nodes, ui.services.fleet.nodes(ui.caller(), std::nullopt));
  // Answered here, not redirected: the token exists only in this response (no-store).
  edgesPage(ui, clusters, nodes, "", "", 200, &issued);
  return ok();
}

namespace {

Result<void> nodePage(UiRequest& ui, Id cluster_id, Id node_id, const FormProblem* problem) {
  VANTUS_TRY(NodeStatus status, ui.services.fleet.node(ui.caller(), cluster_id, node_id));
  VANTUS_TRY(std::vector<CheckedReceipt> receipts,
             ui.services.fleet.nodeReceipts(ui.caller(), cluster_id, node_id, 50));
  const EdgeNode& node = status.node;
  ui.page(problem ? 400 : 200, "Node " + node.name, "node.tpl",
          [&](ctemplate::TemplateDictionary& page) {
            if (receipts.empty()) {
              page.ShowSection("NO_RECEIPTS");
            }
            for (const CheckedReceipt& checked : receipts) {
              const NodeReceipt& receipt = checked.receipt;
              ctemplate::TemplateDictionary* row = page.AddSectionDictionary("RECEIPT");
              row->SetValue("RECEIVED_AT", tplString(formatRfc3339Utc(receipt.received_at)));
              row->SetIntValue("VERSION", static_cast<long>(receipt.version));
              row->SetValue("RESULT", tplString(receipt.result));
              row->SetIntValue("SERVING", static_cast<long>(receipt.serving_version));
              row->SetValue("REASON", tplString(receipt.reason));
              if (!receipt.nginx_output.empty()) {
                row->SetValueAndShowSection("NGINX_OUTPUT", tplString(receipt.nginx_output),
                                            "HAS_OUTPUT");
              }
              row->SetValue("CHECK", tplString(checked.check));
              row->ShowSection(checked.signed_at > 0 ? "VERIFIED" : "NOT_VERIFIED");
            }
            page.SetValue("NAME", tplString(node.name));
            page.SetValue("ENROLLED_NAME", tplString(node.enrolled_name));
            page.SetValue("CLUSTER", tplString(node.cluster));
            page.SetValue("LIVENESS", tplString(status.liveness));
            page.SetValue("ENROLLED_AT", tplString(node.enrolled_at));
            page.SetValue("LAST_SEEN",
                          tplString(node.last_seen_unix > 0 ? formatRfc3339Utc(node.last_seen_unix)
                                                            : std::string("never")));
            page.SetIntValue("VERSION", static_cast<long>(node.applied_version));
            page.SetValue("DIGEST", tplString(node.applied_digest));
            page.SetValue("NGINX_VERSION", tplString(node.nginx_version));
            page.SetValue("LAST_RESULT", tplString(node.last_result));
            page.SetValue("LAST_REASON", tplString(node.last_reason));
            page.SetValue("PUBLIC_KEY", tplString(node.public_key));
            page.ShowSection(node.drift ? "DRIFT" : "NO_DRIFT");
            if (node.drained) {
              page.ShowSection("DRAINED");
            }
            if (node.expired) {
              page.ShowSection("EXPIRED");
            }
            if (ui.may("edges:write", std::nullopt)) {
              ctemplate::TemplateDictionary* rename = page.AddSectionDictionary("CAN_EDIT");
              rename->SetIntValue("CLUSTER_ID", cluster_id);
              rename->SetIntValue("NODE_ID", node_id);
              rename->SetValue("CSRF", tplString(ui.session->csrf_token));
              rename->SetValue("TYPED_NAME",
                               tplString(problem ? formValue(*problem->typed, "name") : node.name));
              if (problem) {
                rename->SetValueAndShowSection("ERROR", tplString(problem->error.describe()),
                                               "HAS_ERROR");
              }
            }
          });
  return ok();
}

}  // namespace

Result<void> showNode(UiRequest& ui) {
  VANTUS_TRY(Id cluster_id, ui.pathId(1));
  VANTUS_TRY(Id node_id, ui.pathId(2));
  return nodePage(ui, cluster_id, node_id, nullptr);
}

Result<void> updateNode(UiRequest& ui) {
  VANTUS_TRY(Id cluster_id, ui.pathId(1));
  VANTUS_TRY(Id node_id, ui.pathId(2));
  NodeUpdate update;
  if (ui.form.contains("drained")) {
    update.drained = formValue(ui.form, "drained") == "yes";
  }
  if (ui.form.contains("name")) {
    update.name = formValue(ui.form, "name");
  }
  Result<NodeStatus> updated =
      ui.services.fleet.updateNode(ui.caller(), cluster_id, node_id, update);
  if (!updated && isFormError(updated.error()) && update.name) {
    FormProblem problem{updated.error(), &ui.form};
    return nodePage(ui, cluster_id, node_id, &problem);
  }
  VANTUS_TRY_VOID(updated);
  // A rename comes from the node's page and returns there; drain and undrain from the list.
  ui.redirect(update.name ? fmt::format("/edges/clusters/{}/nodes/{}", cluster_id, node_id)
                          : std::string("/edges"));
  return ok();
}

Result<void> deleteNode(UiRequest& ui) {
  VANTUS_TRY(Id cluster_id, ui.pathId(1));
  VANTUS_TRY(Id node_id, ui.pathId(2));
  VANTUS_TRY_VOID(ui.services.fleet.deleteNode(ui.caller(), cluster_id, node_id));
  ui.redirect("/edges");
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
