#include "agent/app/agent_cli.h"

#include <fmt/format.h>
#include <systemd/sd-daemon.h>

#include <CLI/CLI.hpp>
#include <ctime>
#include <iostream>
#include <thread>

#include "agent/app/agent_runtime.h"
#include "agent/app/enroll.h"
#include "agent/apply/bundle_delivery.h"
#include "agent/apply/release_dirs.h"
#include "agent/run/agent_loop.h"
#include "common/core/files.h"
#include "common/core/time.h"
#include "common/log/log.h"
#include "common/process/termination_signal.h"
#include "common/release/node_report.h"

namespace vantus::agent {
namespace {

std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

// CLI11's App::exit() prints nothing for a RuntimeError, so the message goes out here.
[[noreturn]] void failWith(const Error& error) {
  std::cerr << fmt::format("vantus-agent: {}\n", error.describe());
  throw CLI::RuntimeError(1);
}

template <typename T>
T orFail(Result<T> result) {
  if (!result) {
    failWith(result.error());
  }
  return std::move(result).value();
}

void runAgent(const std::string& config_file) {
  blockTerminationSignals();
  auto runtime = orFail(AgentRuntime::open(config_file));
  log::setLevel(runtime->config().log_level);
  const Enrollment& enrollment = runtime->enrollment();
  log::info("agent.starting", {{"node", enrollment.node},
                               {"cluster", enrollment.cluster},
                               {"controller", runtime->config().controller_url},
                               {"state_dir", runtime->layout().root.string()}});
  if (auto reconciled = runtime->applier().reconcile(); !reconciled) {
    // What serves stays; the loop applies the desired release as soon as it can.
    log::error("agent.reconcile_failed", {{"error", reconciled.error().describe()}});
  }
  SupervisedNginx* supervisor = runtime->supervisor();
  if (supervisor != nullptr) {
    supervisor->supervise();
  }
  AgentLoop loop(
      runtime->config(),
      AgentIdentity{enrollment, runtime->nodeKey(), runtime->keyring(), runtime->nginx().version()},
      runtime->controller(), runtime->applier(), now,
      [supervisor] { return supervisor != nullptr ? supervisor->restarts() : 0; });
  std::thread worker([&loop] { loop.run([] { sd_notify(0, "WATCHDOG=1"); }); });
  sd_notify(0, "READY=1");
  const int signal = waitForTerminationSignal();
  log::info("agent.stopping", {{"signal", signal}});
  sd_notify(0, "STOPPING=1");
  loop.stop();
  worker.join();
}

void applyBundleFile(const std::string& config_file, const std::string& bundle_file) {
  auto runtime = orFail(AgentRuntime::open(config_file));
  log::setLevel(runtime->config().log_level);
  Applier& applier = runtime->applier();
  if (auto reconciled = applier.reconcile(); !reconciled) {
    log::error("agent.reconcile_failed", {{"error", reconciled.error().describe()}});
  }
  const std::string bytes = orFail(readFile(bundle_file, 256u << 20));
  BundleDelivery delivery(applier, runtime->keyring(), runtime->enrollment(), runtime->nodeKey(),
                          now);
  Delivery delivered = delivery.deliver(bytes);
  // The running agent delivers it at its next contact with the controller.
  (void)applier.setUndeliveredReceipt(std::move(delivered.receipt));
  const ApplyOutcome& outcome = delivered.outcome;
  std::cout << fmt::format("{}: version {}{}\nserving version {}\n",
                           release::applyResultName(outcome.result), outcome.version,
                           outcome.reason.empty() ? "" : " — " + outcome.reason,
                           outcome.serving_version);
  if (!outcome.nginx_output.empty()) {
    std::cout << "nginx said:\n" << outcome.nginx_output << "\n";
  }
  if (outcome.result != release::ApplyResult::kApplied) {
    throw CLI::RuntimeError(1);
  }
}

// What differs under current/ from the serving release, checked against its kept bundle
// (verified as of when it was applied).
std::string driftOf(const AgentLayout& layout, const AgentState& state) {
  if (state.digest.empty()) {
    return "-";
  }
  auto keyring = loadKeyringDir(layout.keyring);
  if (!keyring) {
    return "cannot tell: " + keyring.error().describe();
  }
  auto kept = loadKeptBundle(layout, state, *keyring);
  if (!kept) {
    return "cannot tell: " + kept.error().describe();
  }
  auto report = servingDrift(ReleaseDirs(layout.releases, layout.current, {}), state,
                             kept->verified.manifest);
  if (!report) {
    return "cannot tell: " + report.error().describe();
  }
  return report->describe();
}

// How often the agent brought back the nginx it owns, or who owns it instead.
std::string nginxRestartsOf(const AgentConfig& config, const AgentLayout& layout) {
  if (!config.start_nginx) {
    return "- (nginx.start is false: systemd owns nginx and restarts it)";
  }
  auto restarts = loadNginxRestarts(layout.nginx_restarts);
  if (!restarts) {
    return "cannot tell: " + restarts.error().describe();
  }
  std::string text = std::to_string(restarts->count);
  if (restarts->count > 0) {
    text += " (last at " + formatRfc3339Utc(restarts->last_at) + ")";
  }
  if (!restarts->last_error.empty()) {
    text += "\n  last attempt failed: " + restarts->last_error;
  }
  return text;
}

void printStatus(const std::string& config_file) {
  auto config = orFail(loadAgentConfig(config_file));
  const AgentLayout layout = agentLayout(config.state_dir);
  auto enrollment = loadEnrollment(layout.enrollment);
  const AgentState state = orFail(loadAgentState(layout.state));
  std::error_code error;
  const auto current = std::filesystem::read_symlink(layout.current, error);
  const std::int64_t time = now();
  auto when = [](std::int64_t at) { return at > 0 ? formatRfc3339Utc(at) : std::string("never"); };
  std::cout << fmt::format("node:            {}\n",
                           enrollment ? enrollment->node : "(not enrolled)");
  std::cout << fmt::format("cluster:         {}\n", enrollment ? enrollment->cluster : "-");
  std::cout << fmt::format("controller:      {}\n", config.controller_url);
  std::cout << fmt::format("serving version: {}{}\n", state.version,
                           state.version == 0 ? " (nothing applied yet)" : "");
  std::cout << fmt::format("digest:          {}\n", state.digest.empty() ? "-" : state.digest);
  std::cout << fmt::format("since:           {}\n", when(state.applied_at));
  std::cout << fmt::format("expires:         {}{}\n", when(state.expires_at),
                           state.version > 0 && state.expires_at <= time
                               ? "  EXPIRED: still serving, waiting for a re-signed release"
                               : "");
  std::cout << fmt::format("current:         {}\n", error ? "(none)" : current.string());
  std::cout << fmt::format("last result:     {} at {}{}\n",
                           state.last_result.empty() ? "-" : state.last_result,
                           when(state.last_result_at),
                           state.last_reason.empty() ? "" : "\n  reason: " + state.last_reason);
  std::cout << fmt::format("receipt pending: {}\n",
                           state.undelivered_receipt.empty() ? "no" : "yes (not yet delivered)");
  std::cout << fmt::format("drift:           {}\n", driftOf(layout, state));
  std::cout << fmt::format("nginx restarts:  {}\n", nginxRestartsOf(config, layout));
}

}  // namespace

int runAgentCli(int argc, char** argv) {
  CLI::App app{"vantus-agent: applies signed Vantus releases to the nginx on this host"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "vantus-agent 0.1.0");

  EnrollOptions enroll;
  auto* enroll_command = app.add_subcommand(
      "enroll", "Make this node's key and register it with the controller (once per node)");
  enroll_command->add_option("--controller", enroll.controller_url, "Controller base URL")
      ->required();
  enroll_command->add_option("--token", enroll.token, "One-time enrolment token")->required();
  enroll_command
      ->add_option("--pin", enroll.pin,
                   "Fingerprint of the controller's signing key (SHA256:…), as `init` printed it")
      ->required();
  enroll_command->add_option("--state-dir", enroll.state_dir, "Agent state dir")->required();
  enroll_command->add_option("--name", enroll.name, "This node's name in its cluster")->required();
  enroll_command->add_option("--ca-file", enroll.ca_file,
                             "CA bundle that verifies the controller's certificate");
  enroll_command->add_flag("--allow-plain-http", enroll.allow_plain_http,
                           "Allow http:// to a non-loopback controller (insecure)");
  enroll_command->callback([&enroll] {
    EnrollReport report = orFail(enrollNode(enroll));
    std::cout << fmt::format(
        "Enrolled node {} in cluster {}\n  node key:   {}\n  controller: {} (pinned {})\n"
        "Next: point /etc/vantus/agent.yaml at state_dir {} and start vantus-agent run\n",
        report.node, report.cluster, report.node_key_fingerprint, enroll.controller_url, enroll.pin,
        enroll.state_dir);
  });

  std::string config_file = "/etc/vantus/agent.yaml";
  auto* run_command = app.add_subcommand("run", "Poll, verify and apply releases until stopped");
  run_command->add_option("--config", config_file, "Agent config (YAML)")->capture_default_str();
  run_command->callback([&config_file] { runAgent(config_file); });

  std::string bundle_file;
  auto* apply_command = app.add_subcommand(
      "apply", "Verify and apply a bundle from a file (offline delivery; same checks)");
  apply_command->add_option("--config", config_file, "Agent config (YAML)")->capture_default_str();
  apply_command->add_option("--bundle", bundle_file, "Signed bundle file")->required();
  apply_command->callback([&] { applyBundleFile(config_file, bundle_file); });

  auto* status_command =
      app.add_subcommand("status", "What serves, since when, the last result and expiry");
  status_command->add_option("--config", config_file, "Agent config (YAML)")->capture_default_str();
  status_command->callback([&config_file] { printStatus(config_file); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}

}  // namespace vantus::agent
