#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <ctime>
#include <iostream>

#include "common/core/time.h"
#include "controller/app/cli_support.h"

namespace vantus::controller::cli {

namespace {

std::string ago(std::int64_t unix_seconds) {
  if (unix_seconds == 0) {
    return "never";
  }
  const std::int64_t seconds = static_cast<std::int64_t>(std::time(nullptr)) - unix_seconds;
  return seconds < 120 ? fmt::format("{} s ago", seconds) : fmt::format("{} min ago", seconds / 60);
}

}  // namespace

void addFleetCommands(CLI::App& root, CommonOptions& options) {
  static std::string cluster_name;
  static int ttl_minutes = 60;
  static Id deployment_id = 0;

  CLI::App* cluster = root.get_subcommand("cluster");
  auto* token = cluster->add_subcommand(
      "enroll-token", "Make a one-time token with which one node joins the cluster");
  addCommonOptions(*token, options);
  token->add_option("--cluster", cluster_name, "Cluster name")->required();
  token->add_option("--ttl-minutes", ttl_minutes, "How long the token can be used (1..10080)")
      ->capture_default_str();
  token->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(EnrollmentToken made,
                 app.fleet().createEnrollmentToken(cluster_name, std::chrono::minutes(ttl_minutes),
                                                   commandLineActor()));
      std::cout << fmt::format(
          "{}\n(one node of cluster {} can enrol with it until {}; shown once)\n"
          "On the node: vantus-agent enroll --controller <URL> --token <token> --pin {} "
          "--state-dir /var/lib/vantus-agent --name <node>\n",
          made.token, made.cluster, formatRfc3339Utc(made.expires_at),
          app.signingKey().publicKey().fingerprint());
      return ok();
    });
  });

  auto* node = root.add_subcommand("node", "Edge nodes: what they run and whether they answer");
  node->require_subcommand(1);
  auto* list = node->add_subcommand("list", "List nodes with liveness, version and last result");
  addCommonOptions(*list, options);
  list->add_option("--cluster", cluster_name, "Only this cluster");
  list->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(
          std::vector<NodeStatus> nodes,
          app.fleet().nodes(cluster_name.empty() ? std::nullopt : std::optional(cluster_name)));
      if (nodes.empty()) {
        std::cout << "no nodes yet: make a token with `cluster enroll-token`\n";
      }
      for (const NodeStatus& each : nodes) {
        const EdgeNode& n = each.node;
        std::cout << fmt::format(
            "{}/{}  {}  version {}  seen {}  last {}{}{}{}{}\n", n.cluster, n.name, each.liveness,
            n.applied_version, ago(n.last_seen_unix), n.last_result.empty() ? "-" : n.last_result,
            n.nginx_version.empty() ? "" : "  " + n.nginx_version, n.drift ? "  DRIFT" : "",
            n.expired ? "  EXPIRED" : "", n.last_reason.empty() ? "" : "\n    " + n.last_reason);
      }
      return ok();
    });
  });

  auto* deployment = root.add_subcommand("deployment", "One deployment, node by node");
  deployment->require_subcommand(1);
  auto* show = deployment->add_subcommand(
      "show", "Per node of every cluster it released to: pending, applied, failed (with why)");
  addCommonOptions(*show, options);
  show->add_option("id", deployment_id, "Deployment id")->required();
  show->callback([&options] {
    runWithApp(options, [](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(std::vector<DeploymentNodeState> states,
                 app.fleet().deploymentNodes(deployment_id));
      if (states.empty()) {
        std::cout << fmt::format("deployment {} reached no node (no release or no nodes)\n",
                                 deployment_id);
      }
      for (const DeploymentNodeState& state : states) {
        std::cout << fmt::format("{}/{}  release {}  {}{}\n", state.cluster, state.node,
                                 state.version, state.state,
                                 state.reason.empty() ? "" : "  " + state.reason);
        if (!state.nginx_output.empty()) {
          std::cout << "    nginx: " << state.nginx_output << "\n";
        }
      }
      return ok();
    });
  });
}

}  // namespace vantus::controller::cli
