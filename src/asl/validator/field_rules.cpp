#include "asl/validator/field_rules.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace stepline::asl::validation {
namespace {

struct FieldSets {
  std::initializer_list<std::string_view> jsonpath;  // JSONPath-only
  std::initializer_list<std::string_view> jsonata;   // JSONata-only
  std::initializer_list<std::string_view> both;
};

const FieldSets& fields_of(StateType type) {
  static const FieldSets task{{"InputPath", "OutputPath", "Parameters", "ResultSelector",
                               "ResultPath", "TimeoutSecondsPath", "HeartbeatSecondsPath"},
                              {"Arguments", "Output"},
                              {"Next", "End", "Resource", "TimeoutSeconds", "HeartbeatSeconds",
                               "Credentials", "Retry", "Catch", "Assign"}};
  static const FieldSets pass{{"InputPath", "OutputPath", "Parameters", "Result", "ResultPath"},
                              {"Output"},
                              {"Next", "End", "Assign"}};
  static const FieldSets choice{
      {"InputPath", "OutputPath"}, {"Output"}, {"Choices", "Default", "Assign"}};
  static const FieldSets wait{{"InputPath", "OutputPath", "SecondsPath", "TimestampPath"},
                              {"Output"},
                              {"Next", "End", "Seconds", "Timestamp", "Assign"}};
  static const FieldSets succeed{{"InputPath", "OutputPath"}, {"Output"}, {}};
  static const FieldSets fail{{"ErrorPath", "CausePath"}, {}, {"Error", "Cause"}};
  static const FieldSets parallel{
      {"InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath"},
      {"Arguments", "Output"},
      {"Next", "End", "Branches", "Retry", "Catch", "Assign"}};
  static const FieldSets map{
      {"InputPath", "OutputPath", "ItemsPath", "Parameters", "ResultSelector", "ResultPath",
       "MaxConcurrencyPath", "ToleratedFailureCountPath", "ToleratedFailurePercentagePath"},
      {"Items", "Output"},
      {"Next", "End", "ItemProcessor", "Iterator", "ItemSelector", "ItemReader", "ItemBatcher",
       "ResultWriter", "MaxConcurrency", "ToleratedFailureCount", "ToleratedFailurePercentage",
       "Label", "Retry", "Catch", "Assign"}};
  switch (type) {
    case StateType::Task:
      return task;
    case StateType::Pass:
      return pass;
    case StateType::Choice:
      return choice;
    case StateType::Wait:
      return wait;
    case StateType::Succeed:
      return succeed;
    case StateType::Fail:
      return fail;
    case StateType::Parallel:
      return parallel;
    case StateType::Map:
      return map;
  }
  return pass;
}

bool contains(std::initializer_list<std::string_view> set, std::string_view field) {
  return std::find(set.begin(), set.end(), field) != set.end();
}

}  // namespace

std::optional<StateType> parse_state_type(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, StateType>, 8> kTypes{{
      {"Task", StateType::Task},
      {"Pass", StateType::Pass},
      {"Choice", StateType::Choice},
      {"Wait", StateType::Wait},
      {"Succeed", StateType::Succeed},
      {"Fail", StateType::Fail},
      {"Parallel", StateType::Parallel},
      {"Map", StateType::Map},
  }};
  for (const auto& [text, type] : kTypes)
    if (text == name) return type;
  return std::nullopt;
}

FieldUse field_use(StateType type, std::string_view field, Language language) {
  if (field == "Type" || field == "Comment" || field == "QueryLanguage") return FieldUse::Allowed;
  const FieldSets& sets = fields_of(type);
  if (contains(sets.both, field)) return FieldUse::Allowed;
  const bool jsonpath = contains(sets.jsonpath, field);
  const bool jsonata = contains(sets.jsonata, field);
  if (!jsonpath && !jsonata) return FieldUse::Unsupported;
  const bool mine = language == Language::JSONPath ? jsonpath : jsonata;
  return mine ? FieldUse::Allowed : FieldUse::OtherLanguage;
}

bool has_next_or_end(StateType type) {
  return type != StateType::Choice && type != StateType::Succeed && type != StateType::Fail;
}

}  // namespace stepline::asl::validation
