// Sources of identifiers and randomness (UUIDs, task tokens, jitter) behind one interface, so
// that tests can make them deterministic.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>

namespace stepline {

class IdSource {
 public:
  virtual ~IdSource() = default;
  // A random (version 4) UUID in lowercase 8-4-4-4-12 form.
  virtual std::string uuid() = 0;
  // An opaque task token for callbacks and activities.
  virtual std::string task_token() = 0;
  // A uniformly distributed double in [0, 1).
  virtual double uniform() = 0;
};

// Cryptographically unremarkable but well-mixed randomness, seeded from the OS (or a seed).
class RandomIdSource final : public IdSource {
 public:
  RandomIdSource();
  explicit RandomIdSource(std::uint64_t seed);
  std::string uuid() override;
  std::string task_token() override;
  double uniform() override;

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

// Formats 16 bytes as a version-4 UUID (the version and variant bits are set here).
std::string format_uuid_v4(std::uint64_t hi, std::uint64_t lo);

}  // namespace stepline
