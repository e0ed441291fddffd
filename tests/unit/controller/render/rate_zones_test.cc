#include "controller/render/rate_zones.h"

#include <doctest/doctest.h>

namespace vantus::controller {
namespace {

TEST_CASE("a policy's rate class is its requests per second") {
  EdgePolicy policy;
  CHECK_FALSE(rateClass(policy));
  policy.rate_limit = RateLimit{.requests_per_second = 250, .burst = 10};
  CHECK(rateClass(policy) == 250);
  policy.rate_limit->requests_per_second = 0;
  CHECK_FALSE(rateClass(policy));
  CHECK(rateZoneName(250) == "vantus_rps_250");
}

TEST_CASE("an empty class set renders a comment only") {
  std::string out = renderRateZones({});
  CHECK(out.starts_with("# "));
  CHECK(out.find("limit_req_zone") == std::string::npos);
  CHECK(parseRateZones(out).empty());
}

TEST_CASE("rendered zones are keyed by tenant and client and parse back") {
  std::string out = renderRateZones({100000, 5, 50});
  CHECK(
      out.find("limit_req_zone $tenant_id$binary_remote_addr zone=vantus_rps_5:10m rate=5r/s;\n") !=
      std::string::npos);
  CHECK(out.find("zone=vantus_rps_5:") < out.find("zone=vantus_rps_50:"));
  CHECK(parseRateZones(out) == std::set<int>{5, 50, 100000});
}

TEST_CASE("parsing ignores lines it did not write") {
  std::string text =
      "# comment with zone=vantus_rps_7:10m rate=7r/s;\n"
      "limit_req_zone $binary_remote_addr zone=other:10m rate=3r/s;\n"
      "limit_req_zone $tenant_id$binary_remote_addr zone=vantus_rps_8:10m rate=9r/s;\n"
      "limit_req_zone $tenant_id$binary_remote_addr zone=vantus_rps_x:10m rate=1r/s;\n"
      "limit_req_zone $tenant_id$binary_remote_addr zone=vantus_rps_-4:10m rate=-4r/s;\n"
      "limit_req_zone $tenant_id$binary_remote_addr zone=vantus_rps_12:10m rate=12r/s;";
  CHECK(parseRateZones(text) == std::set<int>{12});
  CHECK(parseRateZones("").empty());
}

TEST_CASE("non-positive classes are never rendered") {
  CHECK(parseRateZones(renderRateZones({0, -3, 2})) == std::set<int>{2});
}

}  // namespace
}  // namespace vantus::controller
