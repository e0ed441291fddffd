#pragma once
// Shared plumbing of the CLI commands: opening the state dir, the actor of a command-line
// call, reading JSON arguments and printing errors the same way everywhere.
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "common/core/result.h"
#include "controller/app/controller_app.h"
#include "controller/auth/caller.h"

namespace CLI {
class App;
}

namespace vantus::controller::cli {

struct CommonOptions {
  std::filesystem::path state_dir;
  std::filesystem::path data_dir;
};

// The operator at the terminal: kind "cli", named after the Unix user.
Actor commandLineActor();
// What every command acts as: the local operator (a platform admin holding every scope, who
// goes through the same service checks as any other caller), named commandLineActor().
const Caller& cliCaller();

// `text` safe to print on a terminal: control characters and bidirectional overrides (which
// could rewrite what the operator sees) are shown escaped, e.g. "\x1b" or "\u202e".
std::string printable(std::string_view text);

// "-" reads stdin, "@path" reads a file, anything else is the JSON text itself.
Result<nlohmann::json> readJsonArgument(const std::string& argument);

// Prints "error: <message>" (and the field) to stderr; returns the process exit code.
int reportError(const Error& error);

// Opens the app and runs `command`; maps an error to exit code 1.
int withApp(const CommonOptions& options,
            const std::function<Result<void>(ControllerApp& app)>& command);

// withApp for a CLI11 callback: a failure ends the parse with its exit code.
void runWithApp(const CommonOptions& options,
                const std::function<Result<void>(ControllerApp& app)>& command);

// Adds --state-dir (required) and --data-dir to `command`.
void addCommonOptions(CLI::App& command, CommonOptions& options);

Result<Tenant> tenantBySlug(ControllerApp& app, const std::string& slug);

void addModelCommands(CLI::App& root, CommonOptions& options);
void addDeployCommands(CLI::App& root, CommonOptions& options);
void addTokenCommands(CLI::App& root, CommonOptions& options);
void addAuditCommands(CLI::App& root, CommonOptions& options);
void addUserCommands(CLI::App& root, CommonOptions& options);
// Needs the `cluster` command of addModelCommands.
void addFleetCommands(CLI::App& root, CommonOptions& options);

}  // namespace vantus::controller::cli
