// Map: runs its item processor once per item of an array (ASL §5 Map). Distributed mode is run
// inline here too, with the Map Run events AWS records for it.
#pragma once

#include "query/jsonpath/path.hpp"
#include "query/template/payload_template.hpp"

#include <memory>
#include <optional>
#include <string>

namespace stepline::asl {

struct StatesBlock;

// A number given literally or through a Reference Path (MaxConcurrency / MaxConcurrencyPath...).
template <typename T>
struct NumberOrPath {
  std::optional<T> value;
  std::optional<query::jsonpath::Path> path;
  bool present() const { return value || path; }
};

struct ItemBatcher {
  NumberOrPath<long long> max_items_per_batch;
  NumberOrPath<long long> max_input_bytes_per_batch;
  std::optional<query::PayloadTemplate> batch_input;
};

struct MapState {
  std::shared_ptr<const StatesBlock> processor;
  bool distributed = false;
  std::optional<query::jsonpath::Path> items_path;
  std::optional<query::PayloadTemplate> item_selector;  // ItemSelector or legacy Parameters
  NumberOrPath<long long> max_concurrency;
  NumberOrPath<long long> tolerated_failure_count;
  NumberOrPath<double> tolerated_failure_percentage;
  std::optional<ItemBatcher> item_batcher;
  std::optional<std::string> label;
};

}  // namespace stepline::asl
