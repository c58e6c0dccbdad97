// Amazon Resource Names for the resources Stepline manages (API.md §2).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stepline::arns {

// Where resources live when nothing else is configured: the account and region AWS Step
// Functions Local uses.
inline constexpr std::string_view kDefaultRegion = "us-east-1";
inline constexpr std::string_view kDefaultAccount = "123456789012";
inline constexpr std::string_view kPartition = "aws";

struct Location {
  std::string region{kDefaultRegion};
  std::string account{kDefaultAccount};
};

std::string state_machine(const Location& at, std::string_view name);
std::string execution(const Location& at, std::string_view machine, std::string_view name);
std::string express_execution(const Location& at, std::string_view machine, std::string_view name,
                              std::string_view id);
std::string activity(const Location& at, std::string_view name);

// The parts of `arn:partition:service:region:account:resource`.
struct Parsed {
  std::string partition, service, region, account, resource;
};
std::optional<Parsed> parse(std::string_view arn);

}  // namespace stepline::arns
