#include "controller/api/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace vantus::controller {

namespace {
constexpr std::chrono::minutes kSweepEvery{5};
constexpr std::chrono::minutes kIdleAfter{10};
}  // namespace

std::int64_t RateLimiter::take(const std::string& key, const RateRule& rule,
                               std::chrono::steady_clock::time_point now) {
  return use(key, rule, now, 1.0);
}

std::int64_t RateLimiter::peek(const std::string& key, const RateRule& rule,
                               std::chrono::steady_clock::time_point now) {
  return use(key, rule, now, 0.0);
}

std::int64_t RateLimiter::use(const std::string& key, const RateRule& rule,
                              std::chrono::steady_clock::time_point now, double cost) {
  std::lock_guard lock(mutex_);
  forgetIdle(now);
  const double per_second = rule.per_minute / 60.0;
  auto [it, created] = buckets_.try_emplace(key, Bucket{rule.burst, now});
  Bucket& bucket = it->second;
  if (!created) {
    const double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
    bucket.tokens = std::min(rule.burst, bucket.tokens + elapsed * per_second);
    bucket.refilled = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= cost;
    return 0;
  }
  if (per_second <= 0) {
    return 3600;
  }
  return std::max<std::int64_t>(
      1, static_cast<std::int64_t>(std::ceil((1.0 - bucket.tokens) / per_second)));
}

void RateLimiter::forgetIdle(std::chrono::steady_clock::time_point now) {
  if (now - last_sweep_ < kSweepEvery) {
    return;
  }
  last_sweep_ = now;
  std::erase_if(buckets_,
                [now](const auto& entry) { return now - entry.second.refilled > kIdleAfter; });
}

}  // namespace vantus::controller
