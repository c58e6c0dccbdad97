// `stepline`: one binary, one subcommand per job.
#include "cli/commands/commands.hpp"

#include <cstdio>
#include <cstring>
#include <exception>

namespace {

struct Command {
  const char* name;
  int (*main)(int, char**);
  const char* summary;
};

constexpr Command kCommands[] = {
    {"run", stepline::cli::run_main, "run one execution of a state machine definition"},
    {"validate", stepline::cli::validate_main, "check definitions as AWS does"},
    {"jsonata", stepline::cli::jsonata_main, "evaluate a JSONata expression"},
    {"serve", stepline::cli::serve_main, "serve the AWS Step Functions API over HTTP"},
    {"bench", stepline::cli::bench_main, "measure throughput on a benchmark workload"},
    {"graph", stepline::cli::graph_main, "draw a definition as a graph (svg, dot, mermaid)"},
};

int usage(FILE* out) {
  std::fprintf(out, "usage: stepline <command> [options]\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.summary);
  std::fprintf(out, "\nRun `stepline <command> --help` for the options of one command.\n");
  return out == stdout ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage(stderr);
  if (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) return usage(stdout);
  for (const Command& c : kCommands) {
    if (std::strcmp(argv[1], c.name) == 0) {
      try {
        return c.main(argc - 1, argv + 1);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "stepline %s: %s\n", c.name, e.what());
        return 2;
      }
    }
  }
  std::fprintf(stderr, "stepline: unknown command '%s'\n\n", argv[1]);
  return usage(stderr);
}
