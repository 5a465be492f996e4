// Forwards to the command layer, which never exits the process itself (so it can be tested).
#include "nestvirt/commands/cli.h"

int main(int argc, char** argv) { return nestvirt::commands::run_cli(argc, argv); }
