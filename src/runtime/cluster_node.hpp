// A runtime that is one node of a cluster: several `stepline serve` processes on one database
// (see store::Cluster in store/store.hpp for who owns what). The node renews its lease, takes
// over the executions of dead nodes, hands API calls about executions other live nodes own to
// their inboxes, and runs what its own inbox receives.
#pragma once

#include "runtime/runtime.hpp"
#include "store/store.hpp"

#include <chrono>
#include <memory>

namespace stepline::runtime {

struct ClusterOptions {
  store::Cluster* cluster = nullptr;  // required; outlives the runtime
  // A node that has not renewed its lease for this long is dead: its executions resume on the
  // others within lease + tick (+ the time to reload them).
  std::chrono::milliseconds lease{10000};
  // How often the node renews its lease (at most lease / 3), looks for orphans and, without a
  // notification channel (SQLite), polls its inbox and the shared activity queues.
  std::chrono::milliseconds tick{200};
};

// make_runtime for a cluster node: `options.node_id` must name this node alone (a restarted node
// that keeps its id gets its executions back at once; a new id waits for the old lease to end).
std::unique_ptr<Runtime> make_cluster_runtime(const RuntimeOptions& options,
                                              const ClusterOptions& cluster);

}  // namespace stepline::runtime
