#include "cli/commands/commands.hpp"

#include <cstdio>

namespace stepline::cli {

// Placeholder until the command is written; it refuses rather than pretending to work.
int run_main(int, char**) {
  std::fprintf(stderr, "stepline run: not available yet\n");
  return 2;
}

}  // namespace stepline::cli
