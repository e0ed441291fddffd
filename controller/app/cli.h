#pragma once
// The `vantus-controller` command line: init, serve, and a thin operator CLI over the
// services (tenants, domains, pools, policies, clusters, deploy, preview, diff, rollback,
// log). Each command opens the state dir, calls one service method and prints the result.
namespace vantus::controller {

int runCli(int argc, char** argv);

}  // namespace vantus::controller
