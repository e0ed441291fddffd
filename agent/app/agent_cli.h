#pragma once
// vantus-agent's command line: enroll, run, apply, status. Returns the process exit code.
namespace vantus::agent {

int runAgentCli(int argc, char** argv);

}  // namespace vantus::agent
