#include <fmt/format.h>

#include "controller/model/validate.h"
#include "controller/model/validate_support.h"

namespace vantus::controller {

using validate_support::checkRange;

namespace {
constexpr std::int64_t kMaxRate = 100000;
constexpr std::int64_t kMaxBodyBytes = std::int64_t{1} << 34;  // 16 GiB
constexpr std::int64_t kMaxCacheTtl = 365 * 24 * 3600;
}  // namespace

Result<std::uint16_t> parsePort(std::int64_t value, std::string_view field) {
  VANTUS_TRY(std::int64_t port, checkRange(value, 1, 65535, field));
  return static_cast<std::uint16_t>(port);
}

Result<int> parseWeight(std::int64_t value, std::string_view field) {
  VANTUS_TRY(std::int64_t weight, checkRange(value, 1, 100, field));
  return static_cast<int>(weight);
}

Result<int> parseHealthCheckInterval(std::int64_t seconds, std::string_view field) {
  VANTUS_TRY(std::int64_t interval, checkRange(seconds, 1, 3600, field));
  return static_cast<int>(interval);
}

Result<RateLimit> parseRateLimit(std::int64_t rps, std::int64_t burst, std::string_view field) {
  VANTUS_TRY(std::int64_t checked_rps, checkRange(rps, 1, kMaxRate, fmt::format("{}.rps", field)));
  VANTUS_TRY(std::int64_t checked_burst,
             checkRange(burst, 0, kMaxRate, fmt::format("{}.burst", field)));
  return RateLimit{.requests_per_second = static_cast<int>(checked_rps),
                   .burst = static_cast<int>(checked_burst)};
}

Result<std::uint64_t> parseMaxBodyBytes(std::int64_t value, std::string_view field) {
  VANTUS_TRY(std::int64_t bytes, checkRange(value, 0, kMaxBodyBytes, field));
  return static_cast<std::uint64_t>(bytes);
}

Result<int> parseCacheTtl(std::int64_t seconds, std::string_view field) {
  VANTUS_TRY(std::int64_t ttl, checkRange(seconds, 0, kMaxCacheTtl, field));
  return static_cast<int>(ttl);
}

}  // namespace vantus::controller
