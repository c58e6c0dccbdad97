// A loop over [0, n) shared out in chunks between the calling thread and the iteration helpers:
// for work that is pure per index (a Map's ItemSelector over its items), so that it uses every
// core and still gives what a plain loop gives.
#pragma once

#include "engine/iteration_helpers.hpp"

#include <cstddef>
#include <functional>

namespace stepline::engine {

// Runs body(begin, end) for consecutive chunks of at most `chunk` indexes covering [0, n), on
// this thread and on `helpers` (null: all here), and returns once every chunk has run. Chunks
// run concurrently: `body` must be safe for that, and must not throw.
void parallel_for(IterationHelpers* helpers, std::size_t n, std::size_t chunk,
                  const std::function<void(std::size_t, std::size_t)>& body);

}  // namespace stepline::engine
