#include "common/arns.hpp"

#include <fmt/format.h>

#include <cstring>

namespace stepline::arns {

std::string state_machine(const Location& at, std::string_view name) {
  return fmt::format("arn:{}:states:{}:{}:stateMachine:{}", kPartition, at.region, at.account,
                     name);
}

std::string execution(const Location& at, std::string_view machine, std::string_view name) {
  return fmt::format("arn:{}:states:{}:{}:execution:{}:{}", kPartition, at.region, at.account,
                     machine, name);
}

std::string express_execution(const Location& at, std::string_view machine, std::string_view name,
                              std::string_view id) {
  // Copied into one buffer sized once, rather than formatted or appended part by part: every
  // Express execution (and benchmark run) takes one.
  const std::string_view parts[] = {"arn:",      kPartition, ":states:", at.region, ":", at.account,
                                    ":express:", machine,    ":",        name,      ":", id};
  std::size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string out(size, '\0');
  char* p = out.data();
  for (std::string_view part : parts) {
    std::memcpy(p, part.data(), part.size());
    p += part.size();
  }
  return out;
}

std::string activity(const Location& at, std::string_view name) {
  return fmt::format("arn:{}:states:{}:{}:activity:{}", kPartition, at.region, at.account, name);
}

std::optional<Parsed> parse(std::string_view arn) {
  Parsed p;
  std::string_view rest = arn;
  std::string* parts[] = {nullptr, &p.partition, &p.service, &p.region, &p.account};
  for (std::string* part : parts) {
    std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view piece = rest.substr(0, colon);
    if (part == nullptr) {
      if (piece != "arn") return std::nullopt;
    } else {
      *part = std::string(piece);
    }
    rest.remove_prefix(colon + 1);
  }
  p.resource = std::string(rest);
  if (p.partition.empty() || p.service.empty()) return std::nullopt;
  return p;
}

}  // namespace stepline::arns
