#include "engine/step_run.hpp"

#include <gtest/gtest.h>

#include <string>

namespace stepline::engine {
namespace {

TEST(StateEventType, SpellsEveryTypeAsAslTypeName) {
  for (int i = 0; i < 8; ++i) {
    const auto type = static_cast<asl::StateType>(i);
    EXPECT_EQ(state_event_type(type, true), std::string(asl::type_name(type)) + "StateEntered");
    EXPECT_EQ(state_event_type(type, false), std::string(asl::type_name(type)) + "StateExited");
  }
}

}  // namespace
}  // namespace stepline::engine
