#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "common/core/time.h"
#include "controller/app/cli_support.h"

namespace vantus::controller::cli {

namespace {

void printOutcome(ControllerApp& app, const DeploymentOutcome& outcome) {
  const Deployment& deployment = outcome.deployment;
  std::cout << fmt::format("deployment {} {}: commit {}\n", deployment.id,
                           deploymentStatusName(deployment.status), deployment.commit_id);
  auto clusters = app.model().clusters();
  for (const Release& release : outcome.releases) {
    std::string name = std::to_string(release.cluster_id);
    if (clusters) {
      for (const EdgeCluster& cluster : *clusters) {
        if (cluster.id == release.cluster_id) name = cluster.name;
      }
    }
    std::cout << fmt::format("  cluster {}: release {} (expires {})\n", name, release.version,
                             formatRfc3339Utc(release.expires_at));
  }
}

}  // namespace

void addDeployCommands(CLI::App& root, CommonOptions& options) {
  static std::string tenant, message;
  static Id deployment_id = 0, against_id = 0;
  static std::size_t limit = 20;

  auto* deploy = root.add_subcommand(
      "deploy", "Render, pre-check, commit and release a tenant's drafts to its clusters");
  addCommonOptions(*deploy, options);
  deploy->add_option("--tenant", tenant, "Tenant slug")->required();
  deploy->add_option("--message", message, "Why (goes into the signed commit)");
  deploy->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, tenant));
      VANTUS_TRY(DeploymentOutcome outcome,
                 app.deployments().deploy(localOperator(commandLineActor()), owner.id, message));
      printOutcome(app, outcome);
      return ok();
    });
  });

  auto* preview = root.add_subcommand("preview", "Show what deploying a tenant would change");
  addCommonOptions(*preview, options);
  preview->add_option("--tenant", tenant, "Tenant slug")->required();
  preview->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, tenant));
      VANTUS_TRY(DeploymentPreview result,
                 app.deployments().preview(localOperator(commandLineActor()), owner.id));
      if (result.diff.empty()) {
        std::cout << fmt::format("nothing to deploy: {} matches what is deployed\n", owner.slug);
      }
      std::cout << result.diff;
      return ok();
    });
  });

  auto* rollback =
      root.add_subcommand("rollback", "Restore a tenant to one of its past deployments");
  addCommonOptions(*rollback, options);
  rollback->add_option("--tenant", tenant, "Tenant slug")->required();
  rollback->add_option("--deployment", deployment_id, "Deployment id to restore")->required();
  rollback->add_option("--message", message, "Why");
  rollback->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, tenant));
      VANTUS_TRY(DeploymentOutcome outcome,
                 app.deployments().rollback(localOperator(commandLineActor()), owner.id,
                                            deployment_id, message));
      printOutcome(app, outcome);
      return ok();
    });
  });

  auto* diff = root.add_subcommand("diff", "Unified diff of a tenant between two deployments");
  addCommonOptions(*diff, options);
  diff->add_option("--deployment", deployment_id, "The newer deployment")->required();
  diff->add_option("--against", against_id, "The older deployment")->required();
  diff->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(std::string text, app.deployments().diff(localOperator(commandLineActor()),
                                                          deployment_id, against_id));
      std::cout << text;
      return ok();
    });
  });

  auto* log = root.add_subcommand("log", "A tenant's deployments, newest first");
  addCommonOptions(*log, options);
  log->add_option("--tenant", tenant, "Tenant slug")->required();
  log->add_option("--limit", limit, "How many")->capture_default_str();
  log->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, tenant));
      VANTUS_TRY(
          std::vector<Deployment> list,
          app.deployments().deployments(localOperator(commandLineActor()), owner.id, 0, limit));
      for (const Deployment& each : list) {
        std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\n", each.id, each.created_at,
                                 deploymentKindName(each.kind), deploymentStatusName(each.status),
                                 each.commit_id.substr(0, 12), each.actor_name, each.message);
      }
      return ok();
    });
  });
}

}  // namespace vantus::controller::cli
