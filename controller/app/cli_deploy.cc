#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "common/core/time.h"
#include "controller/app/cli_support.h"

namespace vantus::controller::cli {

namespace {

void printOutcome(const DeploymentOutcome& outcome) {
  const Deployment& deployment = outcome.deployment;
  std::cout << fmt::format("deployment {} {}: commit {}\n", deployment.id,
                           deploymentStatusName(deployment.status), deployment.commit_id);
  for (const Release& release : outcome.releases) {
    std::cout << fmt::format("  cluster {}: release {} (expires {})\n", release.cluster,
                             release.version, formatRfc3339Utc(release.expires_at));
  }
}

struct DeployOptions {
  std::string tenant;
  std::string message;
  Id deployment_id = 0;
  Id against_id = 0;
  std::size_t limit = 20;
};

}  // namespace

void addDeployCommands(CLI::App& root, CommonOptions& options) {
  const auto made = [] { return std::make_shared<DeployOptions>(); };

  auto deploy_options = made();
  auto* deploy = root.add_subcommand(
      "deploy", "Render, pre-check, commit and release a tenant's drafts to its clusters");
  addCommonOptions(*deploy, options);
  deploy->add_option("--tenant", deploy_options->tenant, "Tenant slug")->required();
  deploy->add_option("--message", deploy_options->message, "Why (goes into the signed commit)");
  deploy->callback([&options, deploy_options] {
    runWithApp(options, [deploy_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, deploy_options->tenant));
      VANTUS_TRY(DeploymentOutcome outcome,
                 app.deployments().deploy(cliCaller(), owner.id, deploy_options->message));
      printOutcome(outcome);
      return ok();
    });
  });

  auto preview_options = made();
  auto* preview = root.add_subcommand("preview", "Show what deploying a tenant would change");
  addCommonOptions(*preview, options);
  preview->add_option("--tenant", preview_options->tenant, "Tenant slug")->required();
  preview->callback([&options, preview_options] {
    runWithApp(options, [preview_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, preview_options->tenant));
      VANTUS_TRY(DeploymentPreview result, app.deployments().preview(cliCaller(), owner.id));
      if (result.diff.empty()) {
        std::cout << fmt::format("nothing to deploy: {} matches what is deployed\n", owner.slug);
      }
      std::cout << result.diff;
      return ok();
    });
  });

  auto rollback_options = made();
  auto* rollback =
      root.add_subcommand("rollback", "Restore a tenant to one of its past deployments");
  addCommonOptions(*rollback, options);
  rollback->add_option("--tenant", rollback_options->tenant, "Tenant slug")->required();
  rollback->add_option("--deployment", rollback_options->deployment_id, "Deployment id to restore")
      ->required();
  rollback->add_option("--message", rollback_options->message, "Why");
  rollback->callback([&options, rollback_options] {
    runWithApp(options, [rollback_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, rollback_options->tenant));
      VANTUS_TRY(DeploymentOutcome outcome,
                 app.deployments().rollback(cliCaller(), owner.id, rollback_options->deployment_id,
                                            rollback_options->message));
      printOutcome(outcome);
      return ok();
    });
  });

  auto diff_options = made();
  auto* diff = root.add_subcommand("diff", "Unified diff of a tenant between two deployments");
  addCommonOptions(*diff, options);
  diff->add_option("--deployment", diff_options->deployment_id, "The newer deployment")->required();
  diff->add_option("--against", diff_options->against_id, "The older deployment")->required();
  diff->callback([&options, diff_options] {
    runWithApp(options, [diff_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(std::string text, app.deployments().diff(cliCaller(), diff_options->deployment_id,
                                                          diff_options->against_id));
      std::cout << text;
      return ok();
    });
  });

  auto log_options = made();
  auto* log = root.add_subcommand("log", "A tenant's deployments, newest first");
  addCommonOptions(*log, options);
  log->add_option("--tenant", log_options->tenant, "Tenant slug")->required();
  log->add_option("--limit", log_options->limit, "How many")->capture_default_str();
  log->callback([&options, log_options] {
    runWithApp(options, [log_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(Tenant owner, tenantBySlug(app, log_options->tenant));
      VANTUS_TRY(std::vector<Deployment> list,
                 app.deployments().deployments(cliCaller(), owner.id, 0, log_options->limit));
      for (const Deployment& each : list) {
        std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\n", each.id, each.created_at,
                                 deploymentKindName(each.kind), deploymentStatusName(each.status),
                                 each.commit_id.substr(0, 12), printable(each.actor_name),
                                 printable(each.message));
      }
      return ok();
    });
  });
}

}  // namespace vantus::controller::cli
