#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "controller/api/api_support.h"
#include "controller/app/cli_support.h"
#include "controller/model/parse_json.h"
#include "controller/model/validate.h"

namespace vantus::controller::cli {

namespace {

struct TenantOptions {
  std::string slug;
  std::string name;
  std::string status;
  bool json = false;
};

void addTenantCommands(CLI::App& root, CommonOptions& options) {
  auto* tenant = root.add_subcommand("tenant", "Create, list and change tenants");
  tenant->require_subcommand(1);

  auto create_options = std::make_shared<TenantOptions>();
  auto* create = tenant->add_subcommand("create", "Create a tenant");
  addCommonOptions(*create, options);
  create->add_option("--slug", create_options->slug, "Identifier: [a-z0-9-], 1..63")->required();
  create->add_option("--name", create_options->name, "Display name")->required();
  create->callback([&options, create_options] {
    runWithApp(options, [create_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant created,
                 app.model().createTenant(cliCaller(), create_options->slug, create_options->name));
      std::cout << fmt::format("tenant {} created (id {})\n", created.slug, created.id);
      return ok();
    });
  });

  auto list_options = std::make_shared<TenantOptions>();
  auto* list = tenant->add_subcommand("list", "List tenants");
  addCommonOptions(*list, options);
  list->add_flag("--json", list_options->json, "Print a JSON array");
  list->callback([&options, list_options] {
    runWithApp(options, [list_options](ControllerApp& app) -> Result<void> {
      nlohmann::json all = nlohmann::json::array();
      std::optional<Id> cursor = 0;
      while (cursor) {
        VANTUS_TRY(Page<Tenant> page, app.model().listTenants(cliCaller(), *cursor, 500));
        for (const Tenant& each : page.items) {
          if (list_options->json) {
            all.push_back(api::tenantJson(each));
          } else {
            std::cout << fmt::format("{}\t{}\t{}\t{}\n", each.id, each.slug,
                                     tenantStatusName(each.status), printable(each.name));
          }
        }
        cursor = page.next;
      }
      if (list_options->json) {
        std::cout << all.dump(2) << "\n";
      }
      return ok();
    });
  });

  auto update_options = std::make_shared<TenantOptions>();
  auto* update = tenant->add_subcommand("update", "Rename, suspend, archive or reactivate");
  addCommonOptions(*update, options);
  update->add_option("--slug", update_options->slug, "Tenant")->required();
  update->add_option("--name", update_options->name, "New display name");
  update->add_option("--status", update_options->status, "active, suspended or archived");
  update->callback([&options, update_options] {
    runWithApp(options, [update_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant tenant, tenantBySlug(app, update_options->slug));
      TenantUpdate change;
      if (!update_options->name.empty()) {
        change.name = update_options->name;
      }
      if (!update_options->status.empty()) {
        VANTUS_TRY(change.status, parseTenantStatus(update_options->status));
      }
      VANTUS_TRY(Tenant after, app.model().updateTenant(cliCaller(), tenant.id, change));
      // Only the status reaches the edges; the display name lives in the controller alone.
      const bool status_changed = after.status != tenant.status;
      std::cout << fmt::format("tenant {} is {}{}\n", after.slug, tenantStatusName(after.status),
                               status_changed ? " (deploy to apply)" : "");
      return ok();
    });
  });

  auto delete_options = std::make_shared<TenantOptions>();
  auto* remove = tenant->add_subcommand("delete", "Delete a tenant that is on no cluster");
  addCommonOptions(*remove, options);
  remove->add_option("--slug", delete_options->slug, "Tenant")->required();
  remove->callback([&options, delete_options] {
    runWithApp(options, [delete_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant tenant, tenantBySlug(app, delete_options->slug));
      VANTUS_TRY_VOID(app.model().deleteTenant(cliCaller(), tenant.id));
      std::cout << fmt::format("tenant {} deleted\n", tenant.slug);
      return ok();
    });
  });

  auto show_options = std::make_shared<TenantOptions>();
  auto* show = tenant->add_subcommand("show", "Print a tenant's draft model as JSON");
  addCommonOptions(*show, options);
  show->add_option("--slug", show_options->slug, "Tenant")->required();
  show->callback([&options, show_options] {
    runWithApp(options, [show_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant tenant, tenantBySlug(app, show_options->slug));
      VANTUS_TRY(TenantConfig config, app.model().tenantConfig(cliCaller(), tenant.id));
      nlohmann::json out = api::tenantJson(tenant);
      out["domains"] = nlohmann::json::array();
      out["upstream_pools"] = nlohmann::json::array();
      out["edge_policy"] = toJson(config.policy);
      for (const Domain& domain : config.domains) {
        out["domains"].push_back(toJson(domain));
      }
      for (const UpstreamPool& pool : config.pools) {
        out["upstream_pools"].push_back(toJson(pool));
      }
      std::cout << out.dump(2) << "\n";
      return ok();
    });
  });
}

struct DomainOptions {
  std::string tenant;
  std::string name;
  bool tls = false;
  bool force_https = false;
  bool hsts = false;
};

void addDomainCommands(CLI::App& root, CommonOptions& options) {
  auto* domain = root.add_subcommand("domain", "Add or remove a tenant's domains");
  domain->require_subcommand(1);

  auto add_options = std::make_shared<DomainOptions>();
  auto* add = domain->add_subcommand("add", "Add a domain to a tenant");
  addCommonOptions(*add, options);
  add->add_option("--tenant", add_options->tenant, "Tenant slug")->required();
  add->add_option("--name", add_options->name, "Host name, e.g. www.example.com or *.example.com")
      ->required();
  add->add_flag("--tls", add_options->tls, "Serve it over TLS");
  add->add_flag("--force-https", add_options->force_https, "Redirect HTTP to HTTPS (needs --tls)");
  add->add_flag("--hsts", add_options->hsts, "Send Strict-Transport-Security (needs --tls)");
  add->callback([&options, add_options] {
    runWithApp(options, [add_options](ControllerApp& app) -> Result<void> {
      const DomainOptions& wanted = *add_options;
      VANTUS_TRY(Tenant owner, tenantBySlug(app, wanted.tenant));
      VANTUS_TRY(Domain parsed, parseDomainJson({{"name", wanted.name},
                                                 {"tls_enabled", wanted.tls},
                                                 {"force_https", wanted.force_https},
                                                 {"hsts", wanted.hsts}}));
      VANTUS_TRY(Domain created, app.model().addDomain(cliCaller(), owner.id, parsed));
      std::cout << fmt::format("domain {} added to {} (id {})\n", created.name, owner.slug,
                               created.id);
      return ok();
    });
  });

  auto remove_options = std::make_shared<DomainOptions>();
  auto* remove = domain->add_subcommand("remove", "Remove a domain from a tenant");
  addCommonOptions(*remove, options);
  remove->add_option("--tenant", remove_options->tenant, "Tenant slug")->required();
  remove->add_option("--name", remove_options->name, "Host name")->required();
  remove->callback([&options, remove_options] {
    runWithApp(options, [remove_options](ControllerApp& app) -> Result<void> {
      const std::string& name = remove_options->name;
      VANTUS_TRY(Tenant owner, tenantBySlug(app, remove_options->tenant));
      VANTUS_TRY(std::vector<Domain> domains, app.model().domains(cliCaller(), owner.id));
      for (const Domain& existing : domains) {
        if (existing.name == name) {
          VANTUS_TRY_VOID(app.model().deleteDomain(cliCaller(), owner.id, existing.id));
          std::cout << fmt::format("domain {} removed from {}\n", name, owner.slug);
          return ok();
        }
      }
      return fail(ErrorCode::kNotFound,
                  fmt::format("tenant {} has no domain \"{}\"", owner.slug, name), "name");
    });
  });
}

struct JsonArgumentOptions {
  std::string tenant;
  std::string json_argument;
};

void addPoolAndPolicyCommands(CLI::App& root, CommonOptions& options) {
  auto* pool = root.add_subcommand("pool", "Create or replace a tenant's upstream pool");
  pool->require_subcommand(1);
  auto pool_options = std::make_shared<JsonArgumentOptions>();
  auto* set = pool->add_subcommand("set", "Create the pool, or replace the one of that name");
  addCommonOptions(*set, options);
  set->add_option("--tenant", pool_options->tenant, "Tenant slug")->required();
  set->add_option(
         "--json", pool_options->json_argument,
         R"(Pool as JSON ('-' = stdin, '@file'): {"name":"web","targets":[{"host":"10.0.0.5","port":8080}]})")
      ->required();
  set->callback([&options, pool_options] {
    runWithApp(options, [pool_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, pool_options->tenant));
      VANTUS_TRY(nlohmann::json json, readJsonArgument(pool_options->json_argument));
      VANTUS_TRY(UpstreamPool parsed, parseUpstreamPoolJson(json));
      VANTUS_TRY(std::vector<UpstreamPool> pools, app.model().pools(cliCaller(), owner.id));
      for (const UpstreamPool& existing : pools) {
        if (existing.name == parsed.name) {
          VANTUS_TRY_VOID(app.model().updatePool(cliCaller(), owner.id, existing.id, parsed));
          std::cout << fmt::format("pool {} of {} replaced\n", parsed.name, owner.slug);
          return ok();
        }
      }
      VANTUS_TRY(UpstreamPool created, app.model().addPool(cliCaller(), owner.id, parsed));
      std::cout << fmt::format("pool {} added to {} (id {})\n", created.name, owner.slug,
                               created.id);
      return ok();
    });
  });

  auto* policy = root.add_subcommand("policy", "Set a tenant's edge policy");
  policy->require_subcommand(1);
  auto policy_options = std::make_shared<JsonArgumentOptions>();
  auto* put = policy->add_subcommand("set", "Replace the edge policy (absent fields: defaults)");
  addCommonOptions(*put, options);
  put->add_option("--tenant", policy_options->tenant, "Tenant slug")->required();
  put->add_option(
         "--json", policy_options->json_argument,
         R"(Policy as JSON ('-' = stdin, '@file'): {"headers":{"X-Frame-Options":"DENY"},"rate_limit":{"rps":50,"burst":100}})")
      ->required();
  put->callback([&options, policy_options] {
    runWithApp(options, [policy_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, policy_options->tenant));
      VANTUS_TRY(nlohmann::json json, readJsonArgument(policy_options->json_argument));
      VANTUS_TRY(EdgePolicy parsed, parseEdgePolicyJson(json));
      VANTUS_TRY_VOID(app.model().putPolicy(cliCaller(), owner.id, parsed));
      std::cout << fmt::format("edge policy of {} replaced\n", owner.slug);
      return ok();
    });
  });
}

struct ClusterOptions {
  std::string name;
  std::string tenant;
  bool json = false;
};

void addClusterCommands(CLI::App& root, CommonOptions& options) {
  auto* cluster = root.add_subcommand("cluster", "Create and list edge clusters");
  cluster->require_subcommand(1);
  auto create_options = std::make_shared<ClusterOptions>();
  auto* create = cluster->add_subcommand("create", "Create an edge cluster");
  addCommonOptions(*create, options);
  create->add_option("--name", create_options->name, "Cluster name: [a-z0-9-], 1..63")->required();
  create->callback([&options, create_options] {
    runWithApp(options, [create_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(EdgeCluster created, app.model().createCluster(cliCaller(), create_options->name));
      std::cout << fmt::format("cluster {} created (id {})\n", created.name, created.id);
      return ok();
    });
  });
  auto list_options = std::make_shared<ClusterOptions>();
  auto* list = cluster->add_subcommand("list", "List edge clusters");
  addCommonOptions(*list, options);
  list->add_flag("--json", list_options->json, "Print a JSON array");
  list->callback([&options, list_options] {
    runWithApp(options, [list_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(std::vector<EdgeCluster> clusters, app.model().clusters(cliCaller()));
      nlohmann::json all = nlohmann::json::array();
      for (const EdgeCluster& each : clusters) {
        if (list_options->json) {
          all.push_back({{"id", each.id}, {"name", each.name}, {"created_at", each.created_at}});
        } else {
          std::cout << fmt::format("{}\t{}\n", each.id, each.name);
        }
      }
      if (list_options->json) {
        std::cout << all.dump(2) << "\n";
      }
      return ok();
    });
  });

  for (const bool assigning : {true, false}) {
    auto assign_options = std::make_shared<ClusterOptions>();
    auto* command = root.add_subcommand(
        assigning ? "assign" : "unassign",
        assigning ? "Put a tenant on an edge cluster" : "Take a tenant off an edge cluster");
    addCommonOptions(*command, options);
    command->add_option("--tenant", assign_options->tenant, "Tenant slug")->required();
    command->add_option("--cluster", assign_options->name, "Cluster name")->required();
    command->callback([&options, assigning, assign_options] {
      runWithApp(options, [assigning, assign_options](ControllerApp& app) -> Result<void> {
        VANTUS_TRY(Tenant owner, tenantBySlug(app, assign_options->tenant));
        VANTUS_TRY(EdgeCluster target,
                   app.model().clusterByName(cliCaller(), assign_options->name));
        if (assigning) {
          VANTUS_TRY_VOID(app.model().assign(cliCaller(), owner.id, target.id));
        } else {
          VANTUS_TRY_VOID(app.model().unassign(cliCaller(), owner.id, target.id));
        }
        std::cout << fmt::format("tenant {} {} cluster {} (deploy to apply)\n", owner.slug,
                                 assigning ? "assigned to" : "unassigned from", target.name);
        return ok();
      });
    });
  }
}

}  // namespace

void addModelCommands(CLI::App& root, CommonOptions& options) {
  addTenantCommands(root, options);
  addDomainCommands(root, options);
  addPoolAndPolicyCommands(root, options);
  addClusterCommands(root, options);
}

}  // namespace vantus::controller::cli
