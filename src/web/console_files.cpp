#include "web/console_files.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

namespace stepline::web {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxFileBytes = 64 * 1024 * 1024;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding of the path; nullopt for malformed escapes or NUL bytes.
std::optional<std::string> decode_path(std::string_view path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%') {
      if (i + 2 >= path.size()) return std::nullopt;
      const int high = hex_digit(path[i + 1]);
      const int low = hex_digit(path[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      c = static_cast<char>(high * 16 + low);
      i += 2;
    }
    if (c == '\0') return std::nullopt;
    out.push_back(c);
  }
  return out;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out.push_back(c);
  }
  return out;
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path();
}

// A binary run from a build tree: the source tree is an ancestor of the binary (build/<x>/src/)
// or is named by the CMakeCache.txt of the build folder the binary sits in.
std::vector<fs::path> source_tree_dists(const fs::path& binary_dir) {
  std::vector<fs::path> out;
  for (fs::path dir = binary_dir; !dir.empty(); dir = dir.parent_path()) {
    out.push_back(dir / "web" / "dist");
    std::ifstream cache(dir / "CMakeCache.txt");
    for (std::string line; cache && std::getline(cache, line);) {
      constexpr std::string_view kKey = "CMAKE_HOME_DIRECTORY:INTERNAL=";
      if (line.rfind(kKey, 0) == 0)
        out.push_back(fs::path(line.substr(kKey.size())) / "web" / "dist");
    }
    if (dir == dir.parent_path()) break;
  }
  return out;
}

}  // namespace

ConsoleFiles::ConsoleFiles(fs::path root) : root_(std::move(root)) {}

bool ConsoleFiles::available() const {
  std::error_code ec;
  return fs::is_regular_file(root_ / "index.html", ec);
}

std::optional<fs::path> ConsoleFiles::resolve(std::string_view target) const {
  std::string_view path = target.substr(0, target.find_first_of("?#"));
  const auto decoded = decode_path(path);
  if (!decoded || decoded->empty() || decoded->front() != '/') return std::nullopt;
  fs::path relative;
  std::string_view rest = *decoded;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (segment.empty() || segment == ".") continue;
    // No way out of the console folder, and no hidden files.
    if (segment == ".." || segment.front() == '.' || segment.find('\\') != std::string_view::npos)
      return std::nullopt;
    relative /= std::string(segment);
  }
  if (relative.empty()) relative = "index.html";
  return root_ / relative;
}

StaticResponse ConsoleFiles::get(std::string_view target) const {
  if (!available()) {
    StaticResponse response;
    response.status = 404;
    response.content_type = "text/html; charset=utf-8";
    response.cache_control = "no-store";
    response.body =
        "<!doctype html><meta charset=\"utf-8\"><title>Stepline</title>"
        "<h1>The Stepline console is not built</h1>"
        "<p>The API answers on this port (POST /), and metrics on <a "
        "href=\"/metrics\">/metrics</a>."
        " To get the console, build it once:</p>"
        "<pre>npm --prefix web ci &amp;&amp; npm --prefix web run build</pre>"
        "<p>then restart <code>stepline serve</code> (or pass <code>--console-dir</code>). "
        "Looked in: <code>" +
        html_escape(root_.string()) + "</code></p>\n";
    return response;
  }
  StaticResponse not_found{404, "text/plain; charset=utf-8", "no-store", "Not Found\n"};
  const auto file = resolve(target);
  if (!file) return not_found;
  std::error_code ec;
  if (!fs::is_regular_file(*file, ec)) return not_found;
  const auto size = fs::file_size(*file, ec);
  if (ec || size > kMaxFileBytes) return not_found;
  std::ifstream in(*file, std::ios::binary);
  if (!in) return not_found;
  std::ostringstream body;
  body << in.rdbuf();

  StaticResponse response;
  response.content_type = content_type_for(*file);
  // Vite names built assets by content hash, so they never change under the same name.
  const bool hashed_asset = file->parent_path().filename() == "assets";
  response.cache_control = hashed_asset ? "public, max-age=31536000, immutable" : "no-cache";
  response.body = std::move(body).str();
  return response;
}

fs::path default_console_dir() {
  if (const char* configured = std::getenv("STEPLINE_CONSOLE_DIR"); configured && *configured)
    return configured;
  std::vector<fs::path> candidates;
  const fs::path binary_dir = executable_dir();
  if (!binary_dir.empty()) {
    candidates.push_back(binary_dir.parent_path() / "share" / "stepline" / "console");
    candidates.push_back(binary_dir / "console");
  }
  if (!binary_dir.empty())
    for (auto& dist : source_tree_dists(binary_dir)) candidates.push_back(std::move(dist));
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(candidate / "index.html", ec)) return candidate;
  }
  return candidates.empty() ? fs::path("web/dist") : candidates.front();
}

std::string content_type_for(const fs::path& file) {
  const std::string extension = file.extension().string();
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".js" || extension == ".mjs") return "text/javascript; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".ico") return "image/x-icon";
  if (extension == ".json" || extension == ".map") return "application/json";
  if (extension == ".woff2") return "font/woff2";
  if (extension == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace stepline::web
