// Scaffolding until the graph renderer lands: `stepline graph` says it is not available yet.
#include "cli/commands/commands.hpp"

#include <cstdio>

namespace stepline::cli {

int graph_main(int, char**) {
  std::fprintf(stderr, "stepline graph: not available yet\n");
  return 2;
}

}  // namespace stepline::cli
