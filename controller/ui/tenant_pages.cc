// Tenants: list and create, the overview, domains and upstream pools. A refused value
// re-renders its form (400) with the reason beside the field and what was typed kept.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>

#include "controller/model/validate.h"
#include "controller/ui/form_support.h"
#include "controller/ui/ui_pages.h"

namespace vantus::controller::ui {

void addTenantNav(ctemplate::TemplateDictionary& page, const Tenant& tenant,
                  const std::string& current) {
  ctemplate::TemplateDictionary* nav = page.AddIncludeDictionary("TENANT_NAV");
  nav->SetFilename("tenant_nav.tpl");
  nav->SetIntValue("TENANT_ID", tenant.id);
  nav->SetValue("TENANT_NAME", tplString(tenant.name));
  nav->SetValue("TENANT_SLUG", tplString(tenant.slug));
  nav->SetValue("TENANT_STATUS", tplString(std::string(tenantStatusName(tenant.status))));
  for (const char* section : {"overview", "domains", "upstreams", "policy", "clusters", "preview",
                              "deployments", "members", "settings"}) {
    if (current == section) {
      std::string name = std::string("CURRENT_") + section;
      for (char& c : name) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      nav->ShowSection(name);
    }
  }
}

// --- tenants ---

Result<void> showTenants(UiRequest& ui) {
  Id after = 0;
  if (ui.http.has_param("after")) {
    after = std::strtoll(ui.http.get_param_value("after").c_str(), nullptr, 10);
  }
  const std::string search = ui.http.get_param_value("q");
  VANTUS_TRY(Page<Tenant> tenants, ui.services.model.listTenants(ui.caller(), after, 50, search));
  ui.page(200, "Tenants", "tenants.tpl", [&](ctemplate::TemplateDictionary& page) {
    page.SetValue("SEARCH", tplString(search));
    if (tenants.items.empty()) {
      page.ShowSection(search.empty() ? "NO_TENANTS" : "NO_MATCH");
    }
    // The table only when it has rows; its rows live in its section.
    ctemplate::TemplateDictionary* table =
        tenants.items.empty() ? nullptr : page.AddSectionDictionary("HAS_TENANTS");
    for (const Tenant& tenant : tenants.items) {
      ctemplate::TemplateDictionary* row = table->AddSectionDictionary("TENANT");
      row->SetIntValue("ID", tenant.id);
      row->SetValue("SLUG", tplString(tenant.slug));
      row->SetValue("NAME", tplString(tenant.name));
      row->SetValue("STATUS", tplString(std::string(tenantStatusName(tenant.status))));
    }
    if (tenants.next) {
      page.SetValueAndShowSection(
          "NEXT_QUERY",
          tplString(fmt::format(
              "after={}{}", *tenants.next,
              search.empty() ? "" : "&q=" + httplib::detail::encode_query_param(search))),
          "HAS_NEXT");
    }
    if (ui.may("tenants:write", std::nullopt)) {
      page.ShowSection("CAN_CREATE");
    }
  });
  return ok();
}

namespace {

void newTenantPage(UiRequest& ui, const FormProblem* problem) {
  ui.page(problem ? 400 : 200, "New tenant", "tenant_new.tpl",
          [&](ctemplate::TemplateDictionary& page) {
            showProblem(page, problem, {"slug", "name"});
          });
}

}  // namespace

Result<void> showNewTenant(UiRequest& ui) {
  newTenantPage(ui, nullptr);
  return ok();
}

Result<void> createTenant(UiRequest& ui) {
  Result<Tenant> created = ui.services.model.createTenant(ui.caller(), formValue(ui.form, "slug"),
                                                          formValue(ui.form, "name"));
  if (!created && isFormError(created.error())) {
    FormProblem problem{created.error(), &ui.form};
    newTenantPage(ui, &problem);
    return ok();
  }
  VANTUS_TRY(Tenant tenant, std::move(created));
  ui.redirect(tenantPath(tenant.id));
  return ok();
}

Result<void> showTenant(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(TenantConfig config, ui.services.model.tenantConfig(ui.caller(), tenant_id));
  VANTUS_TRY(std::vector<EdgeCluster> clusters,
             ui.services.model.clustersOfTenant(ui.caller(), tenant_id));
  VANTUS_TRY(std::vector<Deployment> deployments,
             ui.services.deployments.deployments(ui.caller(), tenant_id, 0, 5));
  // What each node runs of the tenant's last deployment.
  std::vector<DeploymentNodeState> nodes;
  if (!deployments.empty()) {
    VANTUS_TRY(nodes, ui.services.fleet.deploymentNodes(ui.caller(), deployments.front().id));
  }
  ui.page(200, config.tenant.name, "tenant.tpl", [&](ctemplate::TemplateDictionary& page) {
    addTenantNav(page, config.tenant, "overview");
    for (const Domain& domain : config.domains) {
      page.AddSectionDictionary("DOMAIN")->SetValue("NAME", tplString(domain.name));
    }
    for (const UpstreamPool& pool : config.pools) {
      ctemplate::TemplateDictionary* row = page.AddSectionDictionary("POOL");
      row->SetValue("NAME", tplString(pool.name));
      row->SetValue("TARGETS", pool.targets.size() == 1
                                   ? std::string("1 target")
                                   : fmt::format("{} targets", pool.targets.size()));
    }
    for (const EdgeCluster& cluster : clusters) {
      page.AddSectionDictionary("CLUSTER")->SetValue("NAME", tplString(cluster.name));
    }
    for (const Deployment& deployment : deployments) {
      ctemplate::TemplateDictionary* row = page.AddSectionDictionary("DEPLOYMENT");
      row->SetIntValue("TENANT_ID", tenant_id);
      row->SetIntValue("ID", deployment.id);
      row->SetValue("STATUS", tplString(std::string(deploymentStatusName(deployment.status))));
      row->SetValue("MESSAGE", tplString(deployment.message));
      row->SetValue("CREATED_AT", tplString(deployment.created_at));
    }
    if (!deployments.empty()) {
      ctemplate::TemplateDictionary* last = page.AddSectionDictionary("LAST_DEPLOYMENT");
      last->SetIntValue("TENANT_ID", tenant_id);
      last->SetIntValue("ID", deployments.front().id);
      ctemplate::TemplateDictionary* table =
          nodes.empty() ? nullptr : last->AddSectionDictionary("HAS_NODES");
      if (nodes.empty()) {
        last->ShowSection("NO_NODES");
      }
      for (const DeploymentNodeState& node : nodes) {
        ctemplate::TemplateDictionary* row = table->AddSectionDictionary("NODE");
        row->SetValue("CLUSTER", tplString(node.cluster));
        row->SetValue("NODE", tplString(node.node));
        row->SetValue("STATE", tplString(node.state));
        row->SetIntValue("VERSION", static_cast<long>(node.version));
      }
    }
  });
  return ok();
}

// --- domains ---

namespace {

constexpr std::array<std::string_view, 2> kTlsVersions{"TLSv1.2", "TLSv1.3"};

void addDomainSwitches(ctemplate::TemplateDictionary& row, const Domain& domain) {
  for (const auto& [section, on] :
       {std::pair{"PRIMARY_ON", domain.is_primary}, std::pair{"TLS_ON", domain.tls_enabled},
        std::pair{"FORCE_HTTPS_ON", domain.force_https}, std::pair{"HSTS_ON", domain.hsts}}) {
    if (on) {
      row.ShowSection(section);
    }
  }
  for (std::string_view version : kTlsVersions) {
    ctemplate::TemplateDictionary* option = row.AddSectionDictionary("TLS_VERSION");
    option->SetValue("VALUE", tplString(std::string(version)));
    if (version == domain.min_tls_version) {
      option->ShowSection("SELECTED");
    }
  }
}

std::string domainSummary(const Domain& domain) {
  std::vector<std::string> parts;
  if (domain.is_primary) {
    parts.push_back("primary");
  }
  parts.push_back(domain.tls_enabled ? fmt::format("TLS ({} and up)", domain.min_tls_version)
                                     : "plain HTTP");
  if (domain.force_https) {
    parts.push_back("force HTTPS");
  }
  if (domain.hsts) {
    parts.push_back("HSTS");
  }
  return fmt::format("{}", fmt::join(parts, " · "));
}

// The switches of a domain form over `domain`.
Result<Domain> domainOfForm(const FormFields& form, Domain domain) {
  domain.is_primary = checked(form, "primary");
  domain.tls_enabled = checked(form, "tls");
  domain.force_https = checked(form, "force_https");
  domain.hsts = checked(form, "hsts");
  if (std::string version = formValue(form, "min_tls_version"); !version.empty()) {
    VANTUS_TRY(domain.min_tls_version, parseMinTlsVersion(version, "min_tls_version"));
  }
  return domain;
}

Result<void> domainsPage(UiRequest& ui, Id tenant_id, const FormProblem* problem) {
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  VANTUS_TRY(std::vector<Domain> domains, ui.services.model.domains(ui.caller(), tenant_id));
  const bool may_edit = ui.may("config:write", tenant_id);
  ui.page(problem ? 400 : 200, "Domains · " + tenant.name, "domains.tpl",
          [&](ctemplate::TemplateDictionary& page) {
            addTenantNav(page, tenant, "domains");
            page.SetIntValue("TENANT_ID", tenant_id);
            // The table only when it has rows; its rows live in its section.
            ctemplate::TemplateDictionary* table =
                domains.empty() ? nullptr : page.AddSectionDictionary("HAS_DOMAINS");
            if (domains.empty()) {
              page.ShowSection("NO_DOMAINS");
            }
            for (const Domain& domain : domains) {
              ctemplate::TemplateDictionary* row = table->AddSectionDictionary("DOMAIN");
              row->SetIntValue("TENANT_ID", tenant_id);
              row->SetIntValue("ID", domain.id);
              row->SetValue("NAME", tplString(domain.name));
              row->SetValue("FLAGS", tplString(domainSummary(domain)));
              addDomainSwitches(*row, domain);
              row->SetValue("CSRF", tplString(ui.session->csrf_token));
              if (may_edit) {
                row->ShowSection("CAN_EDIT");
              }
            }
            if (may_edit) {
              addDomainSwitches(*page.AddSectionDictionary("CAN_EDIT"), Domain{});
            }
            showProblem(page, problem, {"name"});
          });
  return ok();
}

}  // namespace

Result<void> showDomains(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  return domainsPage(ui, tenant_id, nullptr);
}

Result<void> addDomain(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  Result<Domain> added = [&]() -> Result<Domain> {
    Domain domain;
    VANTUS_TRY(domain.name, parseDomainName(formValue(ui.form, "name")));
    VANTUS_TRY(domain, domainOfForm(ui.form, std::move(domain)));
    return ui.services.model.addDomain(ui.caller(), tenant_id, std::move(domain));
  }();
  if (!added && isFormError(added.error())) {
    FormProblem problem{added.error(), &ui.form};
    return domainsPage(ui, tenant_id, &problem);
  }
  VANTUS_TRY_VOID(added);
  ui.redirect(tenantPath(tenant_id, "/domains"));
  return ok();
}

Result<void> updateDomain(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Id domain_id, ui.pathId(2));
  Result<Domain> updated = [&]() -> Result<Domain> {
    VANTUS_TRY(Domain current, ui.services.model.domain(ui.caller(), tenant_id, domain_id));
    VANTUS_TRY(Domain domain, domainOfForm(ui.form, std::move(current)));
    return ui.services.model.updateDomain(ui.caller(), tenant_id, domain_id, std::move(domain));
  }();
  if (!updated && isFormError(updated.error())) {
    FormProblem problem{updated.error(), &ui.form};
    return domainsPage(ui, tenant_id, &problem);
  }
  VANTUS_TRY_VOID(updated);
  ui.redirect(tenantPath(tenant_id, "/domains"));
  return ok();
}

Result<void> deleteDomain(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Id domain_id, ui.pathId(2));
  VANTUS_TRY_VOID(ui.services.model.deleteDomain(ui.caller(), tenant_id, domain_id));
  ui.redirect(tenantPath(tenant_id, "/domains"));
  return ok();
}

// --- upstream pools ---

namespace {

Result<void> upstreamsPage(UiRequest& ui, Id tenant_id, const FormProblem* problem) {
  VANTUS_TRY(Tenant tenant, ui.services.model.tenant(ui.caller(), tenant_id));
  VANTUS_TRY(std::vector<UpstreamPool> pools, ui.services.model.pools(ui.caller(), tenant_id));
  const bool may_edit = ui.may("config:write", tenant_id);
  ui.page(problem ? 400 : 200, "Upstreams · " + tenant.name, "upstreams.tpl",
          [&](ctemplate::TemplateDictionary& page) {
            addTenantNav(page, tenant, "upstreams");
            page.SetIntValue("TENANT_ID", tenant_id);
            for (const UpstreamPool& pool : pools) {
              ctemplate::TemplateDictionary* row = page.AddSectionDictionary("POOL");
              row->SetIntValue("TENANT_ID", tenant_id);
              row->SetIntValue("ID", pool.id);
              row->SetValue("NAME", tplString(pool.name));
              row->SetValue("CSRF", tplString(ui.session->csrf_token));
              if (may_edit) {
                row->ShowSection("CAN_EDIT");
              }
              for (const UpstreamTarget& target : pool.targets) {
                ctemplate::TemplateDictionary* item = row->AddSectionDictionary("TARGET");
                item->SetValue("HOST", tplString(target.host));
                item->SetIntValue("PORT", target.port);
                item->SetIntValue("WEIGHT", target.weight);
                if (target.backup) {
                  item->ShowSection("BACKUP");
                }
              }
            }
            if (pools.empty()) {
              page.ShowSection("NO_POOLS");
            }
            if (may_edit) {
              page.ShowSection("CAN_EDIT");
            }
            page.SetValue("TYPED_WEIGHT", "1");
            showProblem(page, problem, {"pool_name", "host", "port", "weight"});
          });
  return ok();
}

// The pool of the form: one target; a pool of that name already there gets it added.
Result<UpstreamPool> poolOfForm(UiRequest& ui, Id tenant_id,
                                std::optional<UpstreamPool>& existing) {
  UpstreamPool pool;
  VANTUS_TRY(pool.name, parsePoolName(formValue(ui.form, "pool_name"), "pool_name"));
  UpstreamTarget target;
  VANTUS_TRY(target.host, parseUpstreamHost(formValue(ui.form, "host")));
  VANTUS_TRY(std::int64_t port, ui.formInteger("port", 1, 65535));
  VANTUS_TRY(target.port, parsePort(port));
  const std::string weight_text = formValue(ui.form, "weight");
  if (!weight_text.empty()) {
    VANTUS_TRY(std::int64_t weight, ui.formInteger("weight", 1, 100));
    VANTUS_TRY(target.weight, parseWeight(weight));
  }
  target.backup = checked(ui.form, "backup");
  VANTUS_TRY(std::vector<UpstreamPool> pools, ui.services.model.pools(ui.caller(), tenant_id));
  for (const UpstreamPool& candidate : pools) {
    if (candidate.name == pool.name) {
      existing = candidate;
      pool = candidate;
    }
  }
  pool.targets.push_back(target);
  return pool;
}

}  // namespace

Result<void> showUpstreams(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  return upstreamsPage(ui, tenant_id, nullptr);
}

Result<void> savePool(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  Result<UpstreamPool> saved = [&]() -> Result<UpstreamPool> {
    std::optional<UpstreamPool> existing;
    VANTUS_TRY(UpstreamPool pool, poolOfForm(ui, tenant_id, existing));
    if (existing) {
      return ui.services.model.updatePool(ui.caller(), tenant_id, existing->id, std::move(pool));
    }
    return ui.services.model.addPool(ui.caller(), tenant_id, std::move(pool));
  }();
  if (!saved && isFormError(saved.error())) {
    FormProblem problem{saved.error(), &ui.form};
    return upstreamsPage(ui, tenant_id, &problem);
  }
  VANTUS_TRY_VOID(saved);
  ui.redirect(tenantPath(tenant_id, "/upstreams"));
  return ok();
}

Result<void> deletePool(UiRequest& ui) {
  VANTUS_TRY(Id tenant_id, ui.pathId(1));
  VANTUS_TRY(Id pool_id, ui.pathId(2));
  VANTUS_TRY_VOID(ui.services.model.deletePool(ui.caller(), tenant_id, pool_id));
  ui.redirect(tenantPath(tenant_id, "/upstreams"));
  return ok();
}

}  // namespace vantus::controller::ui
