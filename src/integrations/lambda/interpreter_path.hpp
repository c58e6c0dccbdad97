// Which interpreter binary `python3` or `node` means for a function's code folder. Version
// managers (pyenv, nodenv, asdf) put shell-script shims on PATH that choose a version per folder
// and add a few hundred milliseconds to every start, more on a busy machine: the shim is asked
// once per folder where the real binary is, and workers start that directly.
#pragma once

#include <filesystem>
#include <string>

namespace stepline::integrations::lambda {

// The absolute path of the binary `program` ("python3" or "node") runs as from `folder`, or
// `program` itself when it cannot tell (not found, no answer within a few seconds).
std::string resolved_interpreter(const std::string& program, const std::filesystem::path& folder);

}  // namespace stepline::integrations::lambda
