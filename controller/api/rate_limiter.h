#pragma once
// Token buckets in memory, keyed by whatever the caller names ("token:ab12…", "addr:10.0.0.7").
// A bucket holds up to `burst` requests and refills at `per_minute`. Thread-safe; idle full
// buckets are forgotten so that the map stays bounded by the active callers.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vantus::controller {

struct RateRule {
  double per_minute = 600;
  double burst = 100;
};

class RateLimiter {
 public:
  // Takes one request from the bucket of `key`. Returns 0 when allowed, else the whole
  // seconds after which one will be (for Retry-After, at least 1).
  std::int64_t take(const std::string& key, const RateRule& rule,
                    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());
  // The same answer as take() without taking anything.
  std::int64_t peek(const std::string& key, const RateRule& rule,
                    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
  };
  void forgetIdle(std::chrono::steady_clock::time_point now);
  std::int64_t use(const std::string& key, const RateRule& rule,
                   std::chrono::steady_clock::time_point now, double cost);

  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::chrono::steady_clock::time_point last_sweep_{};
};

}  // namespace vantus::controller
