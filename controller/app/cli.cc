#include "controller/app/cli.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>

#include "common/log/log.h"
#include "common/process/termination_signal.h"
#include "controller/app/cli_support.h"
#include "controller/app/init_state_dir.h"
#include "controller/app/serve.h"

namespace vantus::controller {

namespace {

void addInitCommand(CLI::App& root, cli::CommonOptions& options) {
  auto* command = root.add_subcommand(
      "init", "Create a state dir: database, config repository, signing key, first admin");
  cli::addCommonOptions(*command, options);
  static std::string admin_email = "admin@vantus.local";
  command->add_option("--admin-email", admin_email, "Email (login) of the first platform admin")
      ->capture_default_str();
  command->callback([&options] {
    // init talks to a person: its banner is the output, and the routine info lines (the
    // migrations applied) would land in the middle of it. Warnings and errors still show.
    log::setLevel(log::Level::kWarn);
    auto report = initStateDir(options.state_dir, options.data_dir, admin_email);
    if (!report) {
      throw CLI::RuntimeError(cli::reportError(report.error()));
    }
    std::cout << fmt::format(
        "Initialised {}\n"
        "  signing key fingerprint: {}   (agents pin this)\n"
        "  admin login:             {}\n"
        "  admin password:          {}   (shown once; only its hash is stored)\n"
        "Next: vantus-controller serve --state-dir {}\n",
        options.state_dir.string(), report->key_fingerprint, report->admin_email,
        report->admin_password, options.state_dir.string());
  });
}

void addServeCommand(CLI::App& root, cli::CommonOptions& options) {
  auto* command = root.add_subcommand("serve", "Run the controller's HTTP server");
  cli::addCommonOptions(*command, options);
  static std::string listen;
  command->add_option("--listen", listen,
                      "Address to listen on, e.g. 127.0.0.1:8440 (default: controller.yaml)");
  command->callback([&options] {
    std::optional<HostPort> listen_override;
    if (!listen.empty()) {
      auto parsed = parseListenAddress(listen);
      if (!parsed) {
        throw CLI::RuntimeError(cli::reportError(parsed.error()));
      }
      listen_override = *parsed;
    }
    blockTerminationSignals();
    int code = cli::withApp(
        options, [&](ControllerApp& app) -> Result<void> { return serve(app, listen_override); });
    if (code != 0) {
      throw CLI::RuntimeError(code);
    }
  });
}

}  // namespace

int runCli(int argc, char** argv) {
  CLI::App root{"vantus-controller: tenants, signed nginx config history and edge releases"};
  root.require_subcommand(1);
  root.set_version_flag("--version", "vantus-controller 0.1.0");
  cli::CommonOptions options;
  options.data_dir = defaultDataDir();
  addInitCommand(root, options);
  addServeCommand(root, options);
  cli::addModelCommands(root, options);
  cli::addDeployCommands(root, options);
  cli::addTokenCommands(root, options);
  cli::addUserCommands(root, options);
  cli::addAuditCommands(root, options);
  cli::addFleetCommands(root, options);
  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return root.exit(error);
  }
  return 0;
}

}  // namespace vantus::controller
