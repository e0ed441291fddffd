#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "controller/app/cli_support.h"
#include "controller/model/parse_json.h"
#include "controller/model/validate.h"

namespace vantus::controller::cli {

namespace {

void addTenantCommands(CLI::App& root, CommonOptions& options) {
  auto* tenant = root.add_subcommand("tenant", "Create, list and change tenants");
  tenant->require_subcommand(1);

  static std::string slug, name, status;
  auto* create = tenant->add_subcommand("create", "Create a tenant");
  addCommonOptions(*create, options);
  create->add_option("--slug", slug, "Identifier: [a-z0-9-], 1..63")->required();
  create->add_option("--name", name, "Display name")->required();
  create->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant created, app.model().createTenant(commandLineActor(), slug, name));
      std::cout << fmt::format("tenant {} created (id {})\n", created.slug, created.id);
      return ok();
    });
  });

  auto* list = tenant->add_subcommand("list", "List tenants");
  addCommonOptions(*list, options);
  list->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(std::vector<Tenant> tenants, app.model().listTenants(0, 10000));
      for (const Tenant& tenant : tenants) {
        std::cout << fmt::format("{}\t{}\t{}\t{}\n", tenant.id, tenant.slug,
                                 tenantStatusName(tenant.status), tenant.name);
      }
      return ok();
    });
  });

  auto* update = tenant->add_subcommand("update", "Rename, suspend, archive or reactivate");
  addCommonOptions(*update, options);
  update->add_option("--slug", slug, "Tenant")->required();
  update->add_option("--name", name, "New display name");
  update->add_option("--status", status, "active, suspended or archived");
  update->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant tenant, tenantBySlug(app, slug));
      TenantUpdate change;
      if (!name.empty()) change.name = name;
      if (!status.empty()) {
        VANTUS_TRY(change.status, parseTenantStatus(status));
      }
      VANTUS_TRY(Tenant after, app.model().updateTenant(commandLineActor(), tenant.id, change));
      std::cout << fmt::format("tenant {} is {} (deploy to apply)\n", after.slug,
                               tenantStatusName(after.status));
      return ok();
    });
  });

  auto* remove = tenant->add_subcommand("delete", "Delete a tenant that is on no cluster");
  addCommonOptions(*remove, options);
  remove->add_option("--slug", slug, "Tenant")->required();
  remove->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant tenant, tenantBySlug(app, slug));
      VANTUS_TRY_VOID(app.model().deleteTenant(commandLineActor(), tenant.id));
      std::cout << fmt::format("tenant {} deleted\n", tenant.slug);
      return ok();
    });
  });

  auto* show = tenant->add_subcommand("show", "Print a tenant's draft model as JSON");
  addCommonOptions(*show, options);
  show->add_option("--slug", slug, "Tenant")->required();
  show->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant tenant, tenantBySlug(app, slug));
      VANTUS_TRY(TenantConfig config, app.model().tenantConfig(tenant.id));
      nlohmann::json out = {{"id", tenant.id},
                            {"slug", tenant.slug},
                            {"name", tenant.name},
                            {"status", tenantStatusName(tenant.status)},
                            {"domains", nlohmann::json::array()},
                            {"upstream_pools", nlohmann::json::array()},
                            {"edge_policy", toJson(config.policy)}};
      for (const Domain& domain : config.domains) out["domains"].push_back(toJson(domain));
      for (const UpstreamPool& pool : config.pools) out["upstream_pools"].push_back(toJson(pool));
      std::cout << out.dump(2) << "\n";
      return ok();
    });
  });
}

void addDomainCommands(CLI::App& root, CommonOptions& options) {
  auto* domain = root.add_subcommand("domain", "Add or remove a tenant's domains");
  domain->require_subcommand(1);
  static std::string tenant, name;
  static bool tls = false, force_https = false, hsts = false;

  auto* add = domain->add_subcommand("add", "Add a domain to a tenant");
  addCommonOptions(*add, options);
  add->add_option("--tenant", tenant, "Tenant slug")->required();
  add->add_option("--name", name, "Host name, e.g. www.example.com or *.example.com")->required();
  add->add_flag("--tls", tls, "Serve it over TLS");
  add->add_flag("--force-https", force_https, "Redirect HTTP to HTTPS (needs --tls)");
  add->add_flag("--hsts", hsts, "Send Strict-Transport-Security (needs --tls)");
  add->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, tenant));
      VANTUS_TRY(Domain parsed, parseDomainJson({{"name", name},
                                                 {"tls_enabled", tls},
                                                 {"force_https", force_https},
                                                 {"hsts", hsts}}));
      VANTUS_TRY(Domain created, app.model().addDomain(commandLineActor(), owner.id, parsed));
      std::cout << fmt::format("domain {} added to {} (id {})\n", created.name, owner.slug,
                               created.id);
      return ok();
    });
  });

  auto* remove = domain->add_subcommand("remove", "Remove a domain from a tenant");
  addCommonOptions(*remove, options);
  remove->add_option("--tenant", tenant, "Tenant slug")->required();
  remove->add_option("--name", name, "Host name")->required();
  remove->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, tenant));
      VANTUS_TRY(std::vector<Domain> domains, app.model().domains(owner.id));
      for (const Domain& existing : domains) {
        if (existing.name == name) {
          VANTUS_TRY_VOID(app.model().deleteDomain(commandLineActor(), existing.id));
          std::cout << fmt::format("domain {} removed from {}\n", name, owner.slug);
          return ok();
        }
      }
      return fail(ErrorCode::kNotFound,
                  fmt::format("tenant {} has no domain \"{}\"", owner.slug, name), "name");
    });
  });
}

void addPoolAndPolicyCommands(CLI::App& root, CommonOptions& options) {
  static std::string tenant, json_argument;
  auto* pool = root.add_subcommand("pool", "Create or replace a tenant's upstream pool");
  pool->require_subcommand(1);
  auto* set = pool->add_subcommand("set", "Create the pool, or replace the one of that name");
  addCommonOptions(*set, options);
  set->add_option("--tenant", tenant, "Tenant slug")->required();
  set->add_option(
         "--json", json_argument,
         R"(Pool as JSON ('-' = stdin, '@file'): {"name":"web","targets":[{"host":"10.0.0.5","port":8080}]})")
      ->required();
  set->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, tenant));
      VANTUS_TRY(nlohmann::json json, readJsonArgument(json_argument));
      VANTUS_TRY(UpstreamPool parsed, parseUpstreamPoolJson(json));
      VANTUS_TRY(std::vector<UpstreamPool> pools, app.model().pools(owner.id));
      for (const UpstreamPool& existing : pools) {
        if (existing.name == parsed.name) {
          VANTUS_TRY_VOID(app.model().updatePool(commandLineActor(), existing.id, parsed));
          std::cout << fmt::format("pool {} of {} replaced\n", parsed.name, owner.slug);
          return ok();
        }
      }
      VANTUS_TRY(UpstreamPool created, app.model().addPool(commandLineActor(), owner.id, parsed));
      std::cout << fmt::format("pool {} added to {} (id {})\n", created.name, owner.slug,
                               created.id);
      return ok();
    });
  });

  auto* policy = root.add_subcommand("policy", "Set a tenant's edge policy");
  policy->require_subcommand(1);
  auto* put = policy->add_subcommand("set", "Replace the edge policy (absent fields: defaults)");
  addCommonOptions(*put, options);
  put->add_option("--tenant", tenant, "Tenant slug")->required();
  put->add_option(
         "--json", json_argument,
         R"(Policy as JSON ('-' = stdin, '@file'): {"headers":{"X-Frame-Options":"DENY"},"rate_limit":{"rps":50,"burst":100}})")
      ->required();
  put->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, tenant));
      VANTUS_TRY(nlohmann::json json, readJsonArgument(json_argument));
      VANTUS_TRY(EdgePolicy parsed, parseEdgePolicyJson(json));
      VANTUS_TRY_VOID(app.model().putPolicy(commandLineActor(), owner.id, parsed));
      std::cout << fmt::format("edge policy of {} replaced\n", owner.slug);
      return ok();
    });
  });
}

void addClusterCommands(CLI::App& root, CommonOptions& options) {
  static std::string name, tenant;
  auto* cluster = root.add_subcommand("cluster", "Create and list edge clusters");
  cluster->require_subcommand(1);
  auto* create = cluster->add_subcommand("create", "Create an edge cluster");
  addCommonOptions(*create, options);
  create->add_option("--name", name, "Cluster name: [a-z0-9-], 1..63")->required();
  create->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(EdgeCluster created, app.model().createCluster(commandLineActor(), name));
      std::cout << fmt::format("cluster {} created (id {})\n", created.name, created.id);
      return ok();
    });
  });
  auto* list = cluster->add_subcommand("list", "List edge clusters");
  addCommonOptions(*list, options);
  list->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(std::vector<EdgeCluster> clusters, app.model().clusters());
      for (const EdgeCluster& each : clusters) {
        std::cout << fmt::format("{}\t{}\n", each.id, each.name);
      }
      return ok();
    });
  });

  for (const bool assigning : {true, false}) {
    auto* command = root.add_subcommand(
        assigning ? "assign" : "unassign",
        assigning ? "Put a tenant on an edge cluster" : "Take a tenant off an edge cluster");
    addCommonOptions(*command, options);
    command->add_option("--tenant", tenant, "Tenant slug")->required();
    command->add_option("--cluster", name, "Cluster name")->required();
    command->callback([&options, assigning] {
      runWithApp(options, [assigning](ControllerApp& app) -> Result<void> {
        VANTUS_TRY(Tenant owner, tenantBySlug(app, tenant));
        VANTUS_TRY(EdgeCluster target, app.model().clusterByName(name));
        if (assigning) {
          VANTUS_TRY_VOID(app.model().assign(commandLineActor(), owner.id, target.id));
        } else {
          VANTUS_TRY_VOID(app.model().unassign(commandLineActor(), owner.id, target.id));
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
