#include "controller/app/cli.h"

int main(int argc, char** argv) { return vantus::controller::runCli(argc, argv); }
