// The web console's files (web/dist, built by Vite) served on GET by `stepline serve`: a folder
// on disk, found next to the binary, in the source tree, or where --console-dir / the
// STEPLINE_CONSOLE_DIR environment variable says. Paths never leave that folder.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace stepline::web {

struct StaticResponse {
  int status = 200;
  std::string content_type;
  std::string cache_control;
  std::string body;
};

class ConsoleFiles {
 public:
  // `root` may not exist: every request then answers a page saying how to build the console.
  explicit ConsoleFiles(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  bool available() const;

  // The response to GET `target` (path and optional query): `/` is index.html, hashed assets
  // are cacheable for a year, anything else is re-validated.
  StaticResponse get(std::string_view target) const;

 private:
  std::optional<std::filesystem::path> resolve(std::string_view target) const;
  std::filesystem::path root_;
};

// Where the console is by default: $STEPLINE_CONSOLE_DIR, else the first folder holding an
// index.html among <binary dir>/../share/stepline/console (installed), <binary dir>/console, and
// for a binary in a build tree, web/dist of the source tree (found among the binary's ancestors or
// through the build folder's CMakeCache.txt); else the first candidate (which the "not built" page
// names).
std::filesystem::path default_console_dir();

// MIME type by file extension; application/octet-stream when unknown.
std::string content_type_for(const std::filesystem::path& file);

}  // namespace stepline::web
