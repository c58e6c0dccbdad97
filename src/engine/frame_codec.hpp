// A Frame as a JSON document and back, so that a durable driver can commit it (the outbox rule:
// frame + events + effects together) and resume an execution from the last committed frame.
#pragma once

#include "common/json.hpp"
#include "engine/frame.hpp"

#include <stdexcept>

namespace stepline::engine {

class FrameFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

json::Value frame_to_json(const Frame& frame);
// Throws FrameFormatError when `document` is not a frame written by frame_to_json.
Frame frame_from_json(const json::Value& document);

}  // namespace stepline::engine
