// Serialisation straight into a JSON string value (on that value's storage): history events hold
// their state data as JSON text, and building it in place saves a copy per event.
#pragma once

#include "common/json.hpp"

#include <boost/json/storage_ptr.hpp>
#include <boost/json/string.hpp>

#include <cstddef>
#include <string_view>

namespace stepline::json {

// Appends dump(value) to `out`.
void dump_to(String& out, const Value& value);

// dump(value) into a buffer of this thread, valid until its next call: for text that is copied
// elsewhere at once.
std::string_view dump_scratch(const Value& value);

// JSON texts written one after another straight into chunks taken from `storage`, where they stay
// until the storage is released: a history's state data is serialised where it is kept, not
// into a buffer first and copied over. A text outgrowing its chunk moves (alone) to a new one.
class TextArena {
 public:
  explicit TextArena(boost::json::storage_ptr storage) : storage_(std::move(storage)) {}

  // dump(value), valid as long as the storage.
  std::string_view dump(const Value& value);

  // Room for a text of at least `n` bytes after the first `used` bytes of the text being
  // written, which start at `start`; returns the (maybe moved) start. For the serialiser.
  char* make_room(char* start, std::size_t used, std::size_t n);
  char* cursor() const { return pos_; }
  char* end() const { return end_; }
  void commit(char* pos) { pos_ = pos; }

 private:
  boost::json::storage_ptr storage_;
  char* pos_ = nullptr;
  char* end_ = nullptr;
  std::size_t next_chunk_ = 1024;
};

}  // namespace stepline::json
