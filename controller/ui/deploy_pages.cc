// Preview and deploy, the deployment history, one deployment (diff, releases, what each node
// runs) and rollback with a confirmation page.
#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "controller/ui/nginx_highlight.h"
#include "controller/ui/ui_pages.h"

namespace vantus::controller::ui {

namespace {

// The kind of one line of a unified diff; a file's header lines (diff, index, mode, ---/+++)
// come before its first hunk.
std::string lineKind(std::string_view line, bool in_hunk) {
  if (line.starts_with("diff ")) {
    return "file";
  }
  if (line.starts_with("@@")) {
    return "hunk";
  }
  if (!in_hunk) {
    return "file";
  }
  if (line.starts_with("+")) {
    return "add";
  }
  if (line.starts_with("-")) {
    return "del";
  }
  return "ctx";
}

// Where nginx's message points: the last "<path>.conf:<line>" in it.
std::optional<FileLine> nginxErrorLocation(std::string_view message) {
  const std::size_t suffix = message.rfind(".conf:");
  if (suffix == std::string_view::npos) {
    return std::nullopt;
  }
  const std::size_t path_start = message.find_last_of(" \t\n", suffix) + 1;
  FileLine location{std::string(message.substr(path_start, suffix + 5 - path_start)), 0};
  const std::string_view digits = message.substr(suffix + 6);
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), location.line);
  if (error != std::errc() || location.line <= 0) {
    return std::nullopt;
  }
  return location;
}

std::string deploymentPath(Id tenant_id, Id deployment_id) {
  return fmt::format("/tenants/{}/deployments/{}", tenant_id, deployment_id);
}

// The deployment, refused as missing when it is another tenant's (its URL names the tenant).
Result<Deployment> deploymentOfTenant(UiRequest& ui, Id tenant_id, Id deployment_id) {
  VANTUS_TRY(Deployment deployment, ui.services.deployments.deployment(ui.caller(), deployment_id));
  if (deployment.tenant_id != tenant_id) {
    return fail(ErrorCode::kNotFound, fmt::format("deployment {} not found", deployment_id));
  }
  return deployment;
}

}  // namespace

namespace {

void addRun(ctemplate::TemplateDictionary& row, const std::string& kind, const std::string& text) {
  if (text.empty()) {
    return;
  }
  ctemplate::TemplateDictionary* run = row.AddSectionDictionary("RUN");
  if (kind.empty()) {
    run->SetValueAndShowSection("TEXT", tplString(text), "PLAIN");
    return;
  }
  ctemplate::TemplateDictionary* styled = run->AddSectionDictionary("STYLED");
  styled->SetValue("CLASS", tplString("tok-" + kind));
  styled->SetValue("TEXT", tplString(text));
}

}  // namespace

void addDiffLines(ctemplate::TemplateDictionary& page, const std::string& diff,
                  const std::optional<FileLine>& marked) {
  // Line numbers of each side, restarted by every hunk header ("@@ -old,n +new,m @@").
  long old_line = 0;
  long new_line = 0;
  bool in_hunk = false;
  std::string_view new_path;
  std::size_t start = 0;
  while (start < diff.size()) {
    std::size_t end = diff.find('\n', start);
    if (end == std::string::npos) {
      end = diff.size();
    }
    const std::string line = diff.substr(start, end - start);
    if (line.starts_with("diff ")) {
      in_hunk = false;
    } else if (!in_hunk && line.starts_with("+++ b/")) {
      new_path = std::string_view(diff).substr(start + 6, end - start - 6);
    } else if (line.starts_with("@@")) {
      in_hunk = true;
    }
    const std::string kind = lineKind(line, in_hunk);
    ctemplate::TemplateDictionary* row = page.AddSectionDictionary("DIFF_LINE");
    row->SetValue("KIND", tplString(kind));
    if (kind == "ctx" || kind == "add" || kind == "del") {
      // The diff's own first column, then the nginx line highlighted.
      addRun(*row, "", line.substr(0, 1));
      for (const HighlightRun& run : highlightNginxLine(std::string_view(line).substr(1))) {
        addRun(*row, run.kind, run.text);
      }
    } else {
      addRun(*row, "", line);
    }
    if (kind == "hunk") {
      std::sscanf(line.c_str(), "@@ -%ld%*[^+]+%ld", &old_line, &new_line);
    } else if (kind == "ctx" || kind == "del" || kind == "add") {
      if (kind != "add") {
        row->SetIntValue("OLD", old_line++);
      }
      if (kind != "del") {
        if (marked && marked->line == new_line && marked->path == new_path) {
          row->ShowSection("OFFENDING");
        }
        row->SetIntValue("NEW", new_line++);
      }
    }
    start = end + 1;
  }
  if (diff.empty()) {
    page.ShowSection("NO_DIFF");
  }
}

namespace {

// The preview; `refused` is why the last Deploy did not happen (nginx's words for a refused
// pre-check), shown beside the button with the typed message kept.
Result<void> previewPage(UiRequest& ui, Id tenant_id, const Error* refused) {
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  Result<DeploymentPreview> preview = ui.services.deployments.preview(ui.caller(), tenant_id);
  if (!preview && preview.error().code != ErrorCode::kFailedPrecondition) {
    return fail(preview.error());
  }
  // nginx -t on what Deploy would publish; not worth running when nothing would change.
  Result<std::optional<std::string>> precheck = std::optional<std::string>();
  if (preview && !preview->diff.empty()) {
    precheck = ui.services.deployments.precheckDrafts(ui.caller(), tenant_id);
  }
  ui.page(
      refused ? 409 : 200, "Preview · " + tenant.name, "preview.tpl",
      [&](ctemplate::TemplateDictionary& page) {
        addTenantNav(page, tenant, "preview");
        page.SetIntValue("TENANT_ID", tenant_id);
        if (refused) {
          page.SetValueAndShowSection("REFUSED", tplString(refused->message), "WAS_REFUSED");
          page.SetValue("TYPED_MESSAGE", tplString(formValue(ui.form, "message")));
        }
        if (!preview) {
          page.SetValueAndShowSection("REASON", tplString(preview.error().describe()),
                                      "CANNOT_DEPLOY");
          return;
        }
        for (const std::string& cluster : preview->clusters) {
          page.AddSectionDictionary("CLUSTER")->SetValue("NAME", tplString(cluster));
        }
        for (const std::string& warning : preview->warnings) {
          page.AddSectionDictionary("WARNING")->SetValue("TEXT", tplString(warning));
        }
        if (preview->diff.empty()) {
          addDiffLines(page, preview->diff);
          page.SetValueAndShowSection(
              "REASON", "Nothing would change: the drafts are what is deployed.", "CANNOT_DEPLOY");
          return;
        }
        std::optional<FileLine> offending;
        if (precheck && *precheck) {
          offending = nginxErrorLocation(**precheck);
        } else if (refused) {
          offending = nginxErrorLocation(refused->message);
        }
        if (!precheck) {
          page.SetValueAndShowSection("PRECHECK_ERROR", tplString(precheck.error().describe()),
                                      "PRECHECK_UNKNOWN");
        } else if (*precheck) {
          page.SetValueAndShowSection("NGINX_REFUSAL", tplString(**precheck), "PRECHECK_REFUSED");
        } else {
          page.ShowSection("PRECHECK_PASSED");
        }
        if (offending) {
          page.ShowSection("HAS_OFFENDING");
        }
        addDiffLines(page, preview->diff, offending);
        if (ui.may("deploy", tenant_id)) {
          page.ShowSection(precheck && *precheck ? "DEPLOY_BLOCKED" : "CAN_DEPLOY");
        }
      });
  return ok();
}

}  // namespace

Result<void> showPreview(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  return previewPage(ui, tenant_id, nullptr);
}

Result<void> deploy(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  std::string message = formValue(ui.form, "message");
  if (message.empty()) {
    message = "deployed from the web UI";
  }
  Result<DeploymentOutcome> outcome =
      ui.services.deployments.deploy(ui.caller(), tenant_id, message);
  if (!outcome && outcome.error().code == ErrorCode::kFailedPrecondition) {
    return previewPage(ui, tenant_id, &outcome.error());
  }
  VANTUS_TRY_VOID(outcome);
  ui.redirect(deploymentPath(tenant_id, outcome->deployment.id));
  return ok();
}

Result<void> showDeployments(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  Id before = 0;
  if (ui.http.has_param("before")) {
    before = std::strtoll(ui.http.get_param_value("before").c_str(), nullptr, 10);
  }
  constexpr std::size_t kPageSize = 25;
  VANTUS_TRY(std::vector<Deployment> deployments,
             ui.services.deployments.deployments(ui.caller(), tenant_id, before, kPageSize));
  std::vector<std::vector<Release>> releases;
  for (const Deployment& deployment : deployments) {
    VANTUS_TRY(std::vector<Release> of,
               ui.services.deployments.releasesOf(ui.caller(), deployment.id));
    releases.push_back(std::move(of));
  }
  ui.page(200, "Deployments · " + tenant.name, "deployments.tpl",
          [&](ctemplate::TemplateDictionary& page) {
            addTenantNav(page, tenant, "deployments");
            for (std::size_t i = 0; i < deployments.size(); ++i) {
              const Deployment& deployment = deployments[i];
              ctemplate::TemplateDictionary* row = page.AddSectionDictionary("DEPLOYMENT");
              row->SetIntValue("TENANT_ID", tenant_id);
              row->SetIntValue("ID", deployment.id);
              row->SetValue("KIND", tplString(std::string(deploymentKindName(deployment.kind))));
              row->SetValue("STATUS",
                            tplString(std::string(deploymentStatusName(deployment.status))));
              row->SetValue("ACTOR", tplString(deployment.actor_name));
              row->SetValue("MESSAGE", tplString(deployment.message));
              row->SetValue("CREATED_AT", tplString(deployment.created_at));
              for (const Release& release : releases[i]) {
                ctemplate::TemplateDictionary* item = row->AddSectionDictionary("RELEASE");
                item->SetValue("CLUSTER", tplString(release.cluster));
                item->SetIntValue("VERSION", static_cast<long>(release.version));
              }
            }
            if (deployments.empty()) {
              page.ShowSection("NO_DEPLOYMENTS");
            }
            if (deployments.size() == kPageSize) {
              page.SetIntValue("TENANT_ID", tenant_id);
              page.SetIntValue("BEFORE", deployments.back().id);
              page.ShowSection("HAS_OLDER");
            }
          });
  return ok();
}

Result<void> showDeployment(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Id deployment_id, ui.pathId(2));
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  VANTUS_TRY(Deployment deployment, deploymentOfTenant(ui, tenant_id, deployment_id));
  VANTUS_TRY(std::vector<Release> releases,
             ui.services.deployments.releasesOf(ui.caller(), deployment_id));
  VANTUS_TRY(std::vector<DeploymentNodeState> nodes,
             ui.services.fleet.deploymentNodes(ui.caller(), deployment_id));
  // Against the tenant's deployment before this one, or the one ?against= names.
  std::optional<Id> against;
  if (ui.http.has_param("against")) {
    const Id id = std::strtoll(ui.http.get_param_value("against").c_str(), nullptr, 10);
    VANTUS_TRY(Deployment other, deploymentOfTenant(ui, tenant_id, id));
    against = other.id;
  } else {
    VANTUS_TRY(std::vector<Deployment> older,
               ui.services.deployments.deployments(ui.caller(), tenant_id, deployment_id, 1));
    if (!older.empty()) {
      against = older.front().id;
    }
  }
  std::string diff;
  if (against) {
    VANTUS_TRY(diff, ui.services.deployments.diff(ui.caller(), deployment_id, *against));
  }
  // The selector of what to compare with: the tenant's other recent deployments.
  constexpr std::size_t kChoices = 50;
  VANTUS_TRY(std::vector<Deployment> others,
             ui.services.deployments.deployments(ui.caller(), tenant_id, 0, kChoices));
  ui.page(
      200, fmt::format("Deployment {} · {}", deployment_id, tenant.name), "deployment.tpl",
      [&](ctemplate::TemplateDictionary& page) {
        addTenantNav(page, tenant, "deployments");
        page.SetIntValue("TENANT_ID", tenant_id);
        page.SetIntValue("ID", deployment.id);
        page.SetValue("KIND", tplString(std::string(deploymentKindName(deployment.kind))));
        page.SetValue("STATUS", tplString(std::string(deploymentStatusName(deployment.status))));
        page.SetValue("STATUS_DETAIL", tplString(deployment.status_detail));
        page.SetValue("ACTOR", tplString(deployment.actor_name));
        page.SetValue("MESSAGE", tplString(deployment.message));
        page.SetValue("CREATED_AT", tplString(deployment.created_at));
        page.SetValue("COMMIT", tplString(deployment.commit_id));
        if (deployment.rollback_of) {
          page.SetIntValue("ROLLBACK_OF", *deployment.rollback_of);
          page.ShowSection("IS_ROLLBACK");
        }
        for (const Release& release : releases) {
          ctemplate::TemplateDictionary* row = page.AddSectionDictionary("RELEASE");
          row->SetValue("CLUSTER", tplString(release.cluster));
          row->SetIntValue("VERSION", static_cast<long>(release.version));
        }
        if (nodes.empty()) {
          page.ShowSection("NO_NODES");
        }
        for (const DeploymentNodeState& node : nodes) {
          ctemplate::TemplateDictionary* row = page.AddSectionDictionary("NODE");
          row->SetValue("CLUSTER", tplString(node.cluster));
          row->SetValue("NODE", tplString(node.node));
          row->SetValue("STATE", tplString(node.state));
          row->SetValue("REASON", tplString(node.reason));
          if (!node.nginx_output.empty()) {
            row->SetValueAndShowSection("NGINX_OUTPUT", tplString(node.nginx_output), "HAS_OUTPUT");
          }
          row->SetValue("RECEIPT", tplString(node.receipt_check));
        }

        for (const Deployment& other : others) {
          if (other.id == deployment_id || other.status == DeploymentStatus::kFailed) {
            continue;
          }
          ctemplate::TemplateDictionary* option = page.AddSectionDictionary("OTHER");
          option->SetIntValue("OTHER_ID", other.id);
          option->SetValue("OTHER_MESSAGE", tplString(other.message));
          if (against == other.id) {
            option->ShowSection("SELECTED");
          }
          page.ShowSection("CAN_COMPARE");  // no empty selector on a first deployment
        }
        if (against) {
          page.SetIntValue("AGAINST", *against);
          page.ShowSection("HAS_AGAINST");
          addDiffLines(page, diff);
        } else {
          page.ShowSection("FIRST_DEPLOYMENT");
        }
        if (deployment.status != DeploymentStatus::kFailed && ui.may("deploy", tenant_id)) {
          page.ShowSection("CAN_ROLL_BACK");
        }
      });
  return ok();
}

Result<void> deploymentNodesJson(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Id deployment_id, ui.pathId(2));
  VANTUS_TRY(Deployment deployment, deploymentOfTenant(ui, tenant_id, deployment_id));
  VANTUS_TRY(std::vector<DeploymentNodeState> nodes,
             ui.services.fleet.deploymentNodes(ui.caller(), deployment.id));
  nlohmann::json rows = nlohmann::json::array();
  for (const DeploymentNodeState& node : nodes) {
    rows.push_back({{"cluster", node.cluster},
                    {"version", node.version},
                    {"node", node.node},
                    {"state", node.state},
                    {"reason", node.reason},
                    {"nginx_output", node.nginx_output},
                    {"receipt", node.receipt_check}});
  }
  ui.response.status = 200;
  ui.response.set_content(nlohmann::json{{"nodes", rows}}.dump(), "application/json");
  return ok();
}

Result<void> showRollbackConfirm(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Id deployment_id, ui.pathId(2));
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  VANTUS_TRY(Deployment deployment, deploymentOfTenant(ui, tenant_id, deployment_id));
  ui.page(200, "Roll back · " + tenant.name, "rollback.tpl",
          [&](ctemplate::TemplateDictionary& page) {
            addTenantNav(page, tenant, "deployments");
            page.SetIntValue("TENANT_ID", tenant_id);
            page.SetIntValue("ID", deployment.id);
            page.SetValue("MESSAGE", tplString(deployment.message));
            page.SetValue("CREATED_AT", tplString(deployment.created_at));
          });
  return ok();
}

Result<void> rollback(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Id deployment_id, ui.pathId(2));
  std::string message = formValue(ui.form, "message");
  if (message.empty()) {
    message = fmt::format("rollback to deployment {} from the web UI", deployment_id);
  }
  VANTUS_TRY(DeploymentOutcome outcome,
             ui.services.deployments.rollback(ui.caller(), tenant_id, deployment_id, message));
  ui.redirect(deploymentPath(tenant_id, outcome.deployment.id));
  return ok();
}

}  // namespace vantus::controller::ui
