// The `stepline` subcommands. Each parses its own arguments (argv[0] is the subcommand name)
// and returns the process exit code.
#pragma once

namespace stepline::cli {

int run_main(int argc, char** argv);       // stepline run: one execution, start to end
int validate_main(int argc, char** argv);  // stepline validate: definition diagnostics
int jsonata_main(int argc, char** argv);   // stepline jsonata: evaluate one expression

}  // namespace stepline::cli
