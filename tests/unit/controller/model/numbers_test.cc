#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

#include "controller/model/validate.h"
#include "tests/unit/controller/model/expect.h"

namespace vantus::controller {
namespace {

using testing::checkAccepted;
using testing::checkRejected;

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

TEST_CASE("a port is 1..65535") {
  checkAccepted(parsePort(1), std::uint16_t{1});
  checkAccepted(parsePort(65535), std::uint16_t{65535});
  checkRejected(parsePort(0), "port", "must be between 1 and 65535, got 0");
  checkRejected(parsePort(65536), "port", "got 65536");
  checkRejected(parsePort(-80, "targets[3].port"), "targets[3].port", "got -80");
  checkRejected(parsePort(kInt64Max), "port");
}

TEST_CASE("a weight is 1..100 and a health check interval 1..3600 seconds") {
  checkAccepted(parseWeight(1), 1);
  checkAccepted(parseWeight(100), 100);
  checkRejected(parseWeight(0), "weight", "must be between 1 and 100, got 0");
  checkRejected(parseWeight(101), "weight");
  checkAccepted(parseHealthCheckInterval(1), 1);
  checkAccepted(parseHealthCheckInterval(3600), 3600);
  checkRejected(parseHealthCheckInterval(0), "health_check_interval_s", "between 1 and 3600");
  checkRejected(parseHealthCheckInterval(3601), "health_check_interval_s");
}

TEST_CASE("a rate limit has 1..100000 requests per second and a burst of 0..100000") {
  auto limit = parseRateLimit(50, 0);
  REQUIRE(limit);
  CHECK(limit->requests_per_second == 50);
  CHECK(limit->burst == 0);
  auto largest = parseRateLimit(100000, 100000);
  REQUIRE(largest);
  CHECK(largest->burst == 100000);
  checkRejected(parseRateLimit(0, 10), "rate_limit.rps", "must be between 1 and 100000, got 0");
  checkRejected(parseRateLimit(100001, 10), "rate_limit.rps");
  checkRejected(parseRateLimit(10, -1), "rate_limit.burst", "must be between 0 and 100000");
  checkRejected(parseRateLimit(10, 100001), "rate_limit.burst");
  checkRejected(parseRateLimit(0, 0, "policy.rate_limit"), "policy.rate_limit.rps");
}

TEST_CASE("the body size limit is 0 (unlimited) to 16 GiB") {
  checkAccepted(parseMaxBodyBytes(0), std::uint64_t{0});
  checkAccepted(parseMaxBodyBytes(std::int64_t{1} << 34), std::uint64_t{1} << 34);
  checkRejected(parseMaxBodyBytes((std::int64_t{1} << 34) + 1), "max_body_bytes",
                "must be between 0 and 17179869184");
  checkRejected(parseMaxBodyBytes(-1), "max_body_bytes", "got -1");
}

TEST_CASE("the cache TTL is 0 (off) to one year") {
  checkAccepted(parseCacheTtl(0), 0);
  checkAccepted(parseCacheTtl(31536000), 31536000);
  checkRejected(parseCacheTtl(31536001), "cache_ttl_s", "must be between 0 and 31536000");
  checkRejected(parseCacheTtl(-5), "cache_ttl_s");
}

}  // namespace
}  // namespace vantus::controller
