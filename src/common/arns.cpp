#include "common/arns.hpp"

#include <fmt/format.h>

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
  return fmt::format("arn:{}:states:{}:{}:express:{}:{}:{}", kPartition, at.region, at.account,
                     machine, name, id);
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
