#include "case_functions.hpp"

#include <fstream>
#include <stdexcept>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

namespace stepline::harness {

namespace {

// The recorded functions were deployed with timeouts longer than their Tasks' TimeoutSeconds:
// the recordings show States.Timeout from the Task, never a function timeout.
constexpr int kFunctionTimeoutSeconds = 300;

}  // namespace

CaseFunctions::CaseFunctions(std::filesystem::path handlers_dir)
    : handlers_dir_(std::move(handlers_dir)) {
  std::string pattern = (std::filesystem::temp_directory_path() / "stepline-cases-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!::mkdtemp(buffer.data())) throw std::runtime_error("cannot create a temporary folder");
  root_ = buffer.data();
}

CaseFunctions::~CaseFunctions() {
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

std::filesystem::path CaseFunctions::code_folder(const std::string& handler_file) {
  const std::string base = std::filesystem::path(handler_file).filename().string();
  const std::filesystem::path source = handlers_dir_ / base;
  if (!std::filesystem::is_regular_file(source)) {
    throw std::runtime_error("no handler " + source.string());
  }
  const std::filesystem::path folder = root_ / std::filesystem::path(base).stem();
  if (!std::filesystem::exists(folder / "handler.py")) {
    std::filesystem::create_directories(folder);
    std::filesystem::copy_file(source, folder / "handler.py",
                               std::filesystem::copy_options::overwrite_existing);
  }
  return folder;
}

std::string CaseFunctions::write_functions_file(const json::Value& lambdas,
                                                const std::string& case_key) {
  json::Object functions;
  if (const json::Object* all = lambdas.if_object()) {
    for (const auto& kv : *all) {
      const json::Object* spec = kv.value().if_object();
      if (!spec) continue;
      const json::Value* arn = spec->if_contains("arn");
      const json::Value* file = spec->if_contains("handler_file");
      if (!arn || !arn->is_string() || !file || !file->is_string()) continue;
      const std::string_view a = arn->get_string();
      const auto at = a.find(":function:");
      if (at == std::string_view::npos) continue;
      const std::string name(a.substr(at + 10, a.substr(at + 10).find(':')));
      functions[name] = json::Object{
          {"runtime", "python3"},
          {"handler", "handler.handler"},
          {"code", code_folder(std::string(file->get_string())).string()},
          {"timeout", kFunctionTimeoutSeconds},
      };
    }
  }
  const std::filesystem::path path = root_ / (case_key + ".functions.json");
  std::ofstream out(path);
  out << json::dump(json::Object{{"functions", std::move(functions)}});
  if (!out) throw std::runtime_error("cannot write " + path.string());
  return path.string();
}

}  // namespace stepline::harness
