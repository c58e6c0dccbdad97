// The `stepline` subcommands. Each parses its own arguments (argv[0] is the subcommand name)
// and returns the process exit code.
#pragma once

namespace stepline::cli {

int run_main(int argc, char** argv);       // stepline run: one execution, start to end
int validate_main(int argc, char** argv);  // stepline validate: definition diagnostics
int jsonata_main(int argc, char** argv);   // stepline jsonata: evaluate one expression
int serve_main(int argc, char** argv);     // stepline serve: the AWS API over HTTP
int bench_main(int argc, char** argv);     // stepline bench: throughput of a workload
int graph_main(int argc, char** argv);     // stepline graph: a definition drawn as svg/dot/mermaid

}  // namespace stepline::cli
