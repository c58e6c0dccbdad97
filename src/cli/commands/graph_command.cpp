// `stepline graph`: a state machine definition drawn as SVG (our own layered layout), Graphviz
// dot or Mermaid, for documentation and code review.
#include "cli/commands/commands.hpp"
#include "common/json.hpp"
#include "graph/graph_model.hpp"
#include "graph/render.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace stepline::cli {

namespace {

constexpr int kUsageError = 2;
constexpr int kBadDefinition = 1;

}  // namespace

int graph_main(int argc, char** argv) {
  CLI::App app(
      "Draw a state machine definition as SVG, Graphviz dot or Mermaid.\n"
      "Exit status: 0 on success, 1 when the definition cannot be read or drawn, 2 on usage "
      "errors.",
      "stepline graph");
  std::string path;
  std::string format = "svg";
  std::string output;
  app.add_option("DEFINITION", path, "definition file (Amazon States Language JSON), - for stdin")
      ->required();
  app.add_option("--format", format, "svg, dot or mermaid")
      ->check(CLI::IsMember({"svg", "dot", "mermaid"}))
      ->capture_default_str();
  app.add_option("--output,-o", output, "write to this file instead of standard output");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kUsageError;
  }

  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::error_code ignored;
    std::ifstream in(path, std::ios::binary);
    if (std::filesystem::is_directory(path, ignored) || !in) {
      std::cerr << "stepline graph: cannot read " << path << '\n';
      return kBadDefinition;
    }
    text << in.rdbuf();
  }

  std::string rendered;
  try {
    const graph::Graph graph = graph::build_graph(json::parse(text.str()));
    rendered = format == "dot"       ? graph::render_dot(graph)
               : format == "mermaid" ? graph::render_mermaid(graph)
                                     : graph::render_svg(graph);
  } catch (const json::ParseError& e) {
    std::cerr << "stepline graph: " << path << ':' << e.line() << ':' << e.column()
              << ": invalid JSON: " << e.what() << '\n';
    return kBadDefinition;
  } catch (const graph::GraphError& e) {
    std::cerr << "stepline graph: " << path << ": " << e.what() << '\n';
    return kBadDefinition;
  }

  if (output.empty()) {
    std::cout << rendered;
    return std::cout.good() ? 0 : kBadDefinition;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << rendered;
  if (!out.flush()) {
    std::cerr << "stepline graph: cannot write " << output << '\n';
    return kBadDefinition;
  }
  return 0;
}

}  // namespace stepline::cli
