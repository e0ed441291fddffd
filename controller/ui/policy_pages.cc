// A tenant's edge policy (headers, rate limit, allowlist, compression) and its cluster
// assignments.
#include <fmt/format.h>

#include <set>

#include "controller/model/validate.h"
#include "controller/ui/form_support.h"
#include "controller/ui/ui_pages.h"

namespace vantus::controller::ui {

// --- edge policy ---

namespace {

Result<void> policyPage(UiRequest& ui, Id tenant_id, const FormProblem* problem) {
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  VANTUS_TRY(EdgePolicy policy, ui.services.model.policy(ui.caller(), tenant_id));
  ui.page(problem ? 400 : 200, "Policy · " + tenant.name, "policy.tpl",
          [&](ctemplate::TemplateDictionary& page) {
            addTenantNav(page, tenant, "policy");
            page.SetIntValue("TENANT_ID", tenant_id);
            // The stored rows, then one empty row to add a header; an emptied row is removed.
            std::vector<ResponseHeader> rows = policy.headers;
            rows.push_back({});
            for (std::size_t i = 0; i < rows.size(); ++i) {
              ctemplate::TemplateDictionary* row = page.AddSectionDictionary("HEADER");
              row->SetIntValue("INDEX", static_cast<long>(i));
              row->SetValue("NAME", tplString(rows[i].name));
              row->SetValue("VALUE", tplString(rows[i].value));
            }
            if (policy.rate_limit) {
              page.SetIntValue("RPS", policy.rate_limit->requests_per_second);
              page.SetIntValue("BURST", policy.rate_limit->burst);
            }
            std::string allowlist;
            for (const std::string& cidr : policy.ip_allowlist) {
              allowlist += (allowlist.empty() ? "" : "\n") + cidr;
            }
            page.SetValue("ALLOWLIST", tplString(allowlist));
            if (policy.compression) {
              page.ShowSection("COMPRESSION_ON");
            }
            page.ShowSection(ui.may("config:write", tenant_id) ? "CAN_EDIT" : "READ_ONLY");
            showProblem(page, problem, {});
          });
  return ok();
}

Result<EdgePolicy> policyOfForm(UiRequest& ui, EdgePolicy policy) {
  const std::vector<std::string> names = valuesOf(ui.form, "header_name");
  const std::vector<std::string> values = valuesOf(ui.form, "header_value");
  policy.headers.clear();
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string value = i < values.size() ? values[i] : "";
    if (names[i].empty() && value.empty()) {
      continue;
    }
    ResponseHeader header;
    VANTUS_TRY(header.name, parseHeaderName(names[i], "header_name"));
    VANTUS_TRY(header.value, parseHeaderValue(value, "header_value"));
    policy.headers.push_back(std::move(header));
  }
  const std::string rps = formValue(ui.form, "rps");
  if (rps.empty()) {
    policy.rate_limit.reset();
  } else {
    VANTUS_TRY(std::int64_t per_second, ui.formInteger("rps", 1, 100000));
    std::int64_t burst = 0;
    if (!formValue(ui.form, "burst").empty()) {
      VANTUS_TRY(burst, ui.formInteger("burst", 0, 100000));
    }
    VANTUS_TRY(policy.rate_limit, parseRateLimit(per_second, burst));
  }
  policy.ip_allowlist.clear();
  std::string allowlist = formValue(ui.form, "allowlist");
  std::size_t start = 0;
  while (start <= allowlist.size()) {
    std::size_t end = allowlist.find_first_of("\r\n, ", start);
    std::string item = allowlist.substr(start, end == std::string::npos ? end : end - start);
    if (!item.empty()) {
      VANTUS_TRY(std::string cidr, parseCidr(item, "allowlist"));
      policy.ip_allowlist.push_back(std::move(cidr));
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  policy.compression = checked(ui.form, "compression");
  return policy;
}

}  // namespace

Result<void> showPolicy(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  return policyPage(ui, tenant_id, nullptr);
}

Result<void> savePolicy(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(EdgePolicy current, ui.services.model.policy(ui.caller(), tenant_id));
  Result<EdgePolicy> saved = [&]() -> Result<EdgePolicy> {
    VANTUS_TRY(EdgePolicy policy, policyOfForm(ui, current));
    return ui.services.model.putPolicy(ui.caller(), tenant_id, std::move(policy));
  }();
  if (!saved && isFormError(saved.error())) {
    FormProblem problem{saved.error(), &ui.form};
    return policyPage(ui, tenant_id, &problem);
  }
  VANTUS_TRY_VOID(saved);
  ui.redirect(tenantPath(tenant_id, "/policy"));
  return ok();
}

// --- cluster assignments ---

Result<void> showClusters(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  VANTUS_TRY(std::vector<EdgeCluster> assigned,
             ui.services.model.clustersOfTenant(ui.caller(), tenant_id));
  // Only platform admins list every cluster; others see the tenant's own.
  Result<std::vector<EdgeCluster>> all = ui.services.model.clusters(ui.caller());
  const std::vector<EdgeCluster>& choices = all ? *all : assigned;
  const bool may_edit = ui.may("config:write", tenant_id);
  std::set<Id> on;
  for (const EdgeCluster& cluster : assigned) {
    on.insert(cluster.id);
  }
  ui.page(200, "Clusters · " + tenant.name, "clusters.tpl",
          [&](ctemplate::TemplateDictionary& page) {
            addTenantNav(page, tenant, "clusters");
            page.SetIntValue("TENANT_ID", tenant_id);
            for (const EdgeCluster& cluster : choices) {
              ctemplate::TemplateDictionary* row = page.AddSectionDictionary("CLUSTER");
              row->SetIntValue("ID", cluster.id);
              row->SetValue("NAME", tplString(cluster.name));
              if (on.contains(cluster.id)) {
                row->ShowSection("IS_CHECKED");
              }
              if (!may_edit) {
                row->ShowSection("READ_ONLY");
              }
            }
            page.ShowSection(may_edit ? "CAN_EDIT" : "READ_ONLY");
            if (choices.empty()) {
              page.ShowSection("NO_CLUSTERS");
            }
          });
  return ok();
}

Result<void> saveClusters(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(std::vector<EdgeCluster> assigned,
             ui.services.model.clustersOfTenant(ui.caller(), tenant_id));
  std::set<Id> wanted;
  for (const std::string& value : valuesOf(ui.form, "cluster")) {
    const Id id = std::strtoll(value.c_str(), nullptr, 10);
    if (id <= 0) {
      return fail(ErrorCode::kInvalidInput, fmt::format("{:?} is not a cluster id", value),
                  "cluster");
    }
    wanted.insert(id);
  }
  for (const EdgeCluster& cluster : assigned) {
    if (!wanted.contains(cluster.id)) {
      VANTUS_TRY_VOID(ui.services.model.unassign(ui.caller(), tenant_id, cluster.id));
    }
  }
  for (Id cluster_id : wanted) {
    VANTUS_TRY_VOID(ui.services.model.assign(ui.caller(), tenant_id, cluster_id));
  }
  ui.redirect(tenantPath(tenant_id, "/clusters"));
  return ok();
}

}  // namespace vantus::controller::ui
