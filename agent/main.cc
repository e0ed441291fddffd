#include "agent/app/agent_cli.h"

int main(int argc, char** argv) { return vantus::agent::runAgentCli(argc, argv); }
