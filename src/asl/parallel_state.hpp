// Parallel: runs every branch on the same input and collects their outputs (ASL §5 Parallel).
#pragma once

#include <memory>
#include <vector>

namespace stepline::asl {

struct StatesBlock;

struct ParallelState {
  std::vector<std::shared_ptr<const StatesBlock>> branches;
};

}  // namespace stepline::asl
