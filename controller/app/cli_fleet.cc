#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <ctime>
#include <iostream>
#include <memory>

#include "common/core/time.h"
#include "controller/api/api_support.h"
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

struct FleetOptions {
  std::string cluster_name;
  int ttl_minutes = 60;
  Id deployment_id = 0;
  bool json = false;
};

void addFleetCommands(CLI::App& root, CommonOptions& options) {
  CLI::App* cluster = root.get_subcommand("cluster");
  auto token_options = std::make_shared<FleetOptions>();
  auto* token = cluster->add_subcommand(
      "enroll-token", "Make a one-time token with which one node joins the cluster");
  addCommonOptions(*token, options);
  token->add_option("--cluster", token_options->cluster_name, "Cluster name")->required();
  token
      ->add_option("--ttl-minutes", token_options->ttl_minutes,
                   "How long the token can be used (1..10080)")
      ->capture_default_str();
  token->callback([&options, token_options] {
    runWithApp(options, [token_options](ControllerApp& app) -> Result<void> {
      VANTUS_TRY(EnrollmentToken made, app.fleet().createEnrollmentToken(
                                           cliCaller(), token_options->cluster_name,
                                           std::chrono::minutes(token_options->ttl_minutes)));
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
  auto list_options = std::make_shared<FleetOptions>();
  auto* list = node->add_subcommand("list", "List nodes with liveness, version and last result");
  addCommonOptions(*list, options);
  list->add_option("--cluster", list_options->cluster_name, "Only this cluster");
  list->add_flag("--json", list_options->json, "Print a JSON array");
  list->callback([&options, list_options] {
    runWithApp(options, [list_options](ControllerApp& app) -> Result<void> {
      const std::string& cluster_name = list_options->cluster_name;
      VANTUS_TRY(
          std::vector<NodeStatus> nodes,
          app.fleet().nodes(cliCaller(),
                            cluster_name.empty() ? std::nullopt : std::optional(cluster_name)));
      if (list_options->json) {
        nlohmann::json all = nlohmann::json::array();
        for (const NodeStatus& each : nodes) {
          all.push_back(api::nodeJson(each));
        }
        std::cout << all.dump(2) << "\n";
        return ok();
      }
      if (nodes.empty()) {
        std::cout << "no nodes yet: make a token with `cluster enroll-token`\n";
      }
      for (const NodeStatus& each : nodes) {
        const EdgeNode& n = each.node;
        std::cout << fmt::format("{}/{}  {}  version {}  seen {}  last {}{}{}{}{}{}\n", n.cluster,
                                 n.name, each.liveness, n.applied_version, ago(n.last_seen_unix),
                                 n.last_result.empty() ? "-" : printable(n.last_result),
                                 n.nginx_version.empty() ? "" : "  " + printable(n.nginx_version),
                                 n.drained ? "  DRAINED" : "", n.drift ? "  DRIFT" : "",
                                 n.expired ? "  EXPIRED" : "",
                                 n.last_reason.empty() ? "" : "\n    " + printable(n.last_reason));
      }
      return ok();
    });
  });

  auto* deployment = root.add_subcommand("deployment", "One deployment, node by node");
  deployment->require_subcommand(1);
  auto show_options = std::make_shared<FleetOptions>();
  auto* show = deployment->add_subcommand(
      "show", "Per node of every cluster it released to: pending, applied, failed (with why)");
  addCommonOptions(*show, options);
  show->add_option("id", show_options->deployment_id, "Deployment id")->required();
  show->callback([&options, show_options] {
    runWithApp(options, [show_options](ControllerApp& app) -> Result<void> {
      const Id deployment_id = show_options->deployment_id;
      VANTUS_TRY(std::vector<DeploymentNodeState> states,
                 app.fleet().deploymentNodes(cliCaller(), deployment_id));
      if (states.empty()) {
        std::cout << fmt::format("deployment {} reached no node (no release or no nodes)\n",
                                 deployment_id);
      }
      for (const DeploymentNodeState& state : states) {
        std::cout << fmt::format("{}/{}  release {}  {}{}\n", state.cluster, state.node,
                                 state.version, state.state,
                                 state.reason.empty() ? "" : "  " + printable(state.reason));
        if (!state.nginx_output.empty()) {
          std::cout << "    nginx: " << printable(state.nginx_output) << "\n";
        }
      }
      return ok();
    });
  });
}

}  // namespace vantus::controller::cli
