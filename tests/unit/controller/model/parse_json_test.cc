#include "controller/model/parse_json.h"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

#include "tests/unit/controller/model/expect.h"

namespace vantus::controller {
namespace {

using nlohmann::json;
using testing::checkRejected;

json poolInput() {
  return json::parse(R"({
    "name": "web",
    "protocol": "https",
    "health_check_path": "/healthz",
    "health_check_interval_s": 30,
    "targets": [
      {"host": "10.0.0.1", "port": 8080, "weight": 5},
      {"host": "[2001:DB8::1]", "port": 8080},
      {"host": "Backup.Internal", "port": 9000, "backup": true}
    ]
  })");
}

json policyInput() {
  return json::parse(R"({
    "headers": {"X-Frame-Options": "DENY",
                "Content-Security-Policy": " default-src 'self'; img-src * "},
    "rate_limit": {"rps": 50, "burst": 100},
    "ip_allowlist": ["10.0.0.0/8", "2001:DB8::/32", "192.0.2.7"],
    "cors_origins": ["HTTPS://App.Example.com:443/", "http://localhost:3000"],
    "cache_ttl_s": 300,
    "compression": false,
    "max_body_bytes": 1048576,
    "security_headers": false
  })");
}

json domainInput() {
  return json::parse(R"({"name": "Shop.Example.COM.", "is_primary": true, "tls_enabled": true,
                         "force_https": true, "hsts": true, "min_tls_version": "TLSv1.3"})");
}

TEST_CASE("an upstream pool is parsed with its defaults and normalised values") {
  auto pool = parseUpstreamPoolJson(poolInput());
  REQUIRE(pool);
  CHECK(pool->name == "web");
  CHECK(pool->protocol == UpstreamProtocol::kHttps);
  CHECK(pool->health_check_path == "/healthz");
  CHECK(pool->health_check_interval_s == 30);
  REQUIRE(pool->targets.size() == 3);
  CHECK(pool->targets[0].host == "10.0.0.1");
  CHECK(pool->targets[0].port == 8080);
  CHECK(pool->targets[0].weight == 5);
  CHECK_FALSE(pool->targets[0].backup);
  CHECK(pool->targets[1].host == "2001:db8::1");
  CHECK(pool->targets[1].weight == 1);
  CHECK(pool->targets[2].host == "backup.internal");
  CHECK(pool->targets[2].backup);

  auto minimal = parseUpstreamPoolJson(
      json::parse(R"({"name": "api", "targets": [{"host": "backend", "port": 80}]})"));
  REQUIRE(minimal);
  CHECK(minimal->protocol == UpstreamProtocol::kHttp);
  CHECK(minimal->health_check_path == "/");
  CHECK(minimal->health_check_interval_s == 10);
}

TEST_CASE("a pool's errors name the path of the field at fault") {
  auto with = [](const char* path, json value) {
    json input = poolInput();
    input[json::json_pointer(path)] = std::move(value);
    return parseUpstreamPoolJson(input);
  };
  auto without = [](const char* path) {
    json input = poolInput();
    json::json_pointer pointer(path);
    input[pointer.parent_pointer()].erase(pointer.back());
    return parseUpstreamPoolJson(input);
  };
  checkRejected(with("/colour", "blue"), "colour", "unknown field \"colour\"");
  checkRejected(with("/targets/1/colour", "red"), "targets[1].colour", "unknown field \"colour\"");
  checkRejected(with("/targets/1/port", "80"), "targets[1].port", "\"port\" must be an integer");
  checkRejected(with("/targets/1/port", 80.0), "targets[1].port", "must be an integer");
  checkRejected(with("/targets/1/port", 70000), "targets[1].port", "between 1 and 65535");
  checkRejected(with("/targets/1/port", UINT64_MAX), "targets[1].port", "out of range");
  checkRejected(with("/targets/0/weight", 0), "targets[0].weight", "between 1 and 100");
  checkRejected(with("/targets/0/backup", "no"), "targets[0].backup", "must be true or false");
  checkRejected(with("/targets/2/host", "a;b"), "targets[2].host", "\";\" is not allowed");
  checkRejected(with("/targets/2/host", nullptr), "targets[2].host", "must be a string");
  checkRejected(with("/targets/1", "10.0.0.2:80"), "targets[1]",
                "\"targets[1]\" must be an object");
  checkRejected(with("/targets", json::object()), "targets", "\"targets\" must be an array");
  checkRejected(with("/targets", json::array()), "targets", "at least one target is required");
  checkRejected(with("/name", "Web"), "name", "use lowercase");
  checkRejected(with("/name", 7), "name", "\"name\" must be a string");
  checkRejected(with("/protocol", "ftp"), "protocol", "expected \"http\" or \"https\"");
  checkRejected(with("/health_check_path", "/a b"), "health_check_path", "a space");
  checkRejected(with("/health_check_interval_s", 0), "health_check_interval_s", "between 1");
  checkRejected(without("/name"), "name", "\"name\" is required");
  checkRejected(without("/targets"), "targets", "\"targets\" is required");
  checkRejected(without("/targets/0/port"), "targets[0].port", "\"port\" is required");
  checkRejected(without("/targets/0/host"), "targets[0].host", "\"host\" is required");
  checkRejected(parseUpstreamPoolJson(json::array()), "", "must be an object");
}

TEST_CASE("a pool lists each host:port once and has a non-backup target") {
  json twice = poolInput();
  twice["targets"][2] = {{"host", "2001:db8:0::1"}, {"port", 8080}};
  checkRejected(parseUpstreamPoolJson(twice), "targets[2]",
                "\"[2001:db8::1]:8080\" is already listed at targets[1]");

  json all_backup = poolInput();
  for (json& target : all_backup["targets"]) {
    target["backup"] = true;
  }
  checkRejected(parseUpstreamPoolJson(all_backup), "targets",
                "at least one target must not be a backup");

  json many = poolInput();
  many["targets"] = json::array();
  for (int i = 0; i < 65; ++i) {
    many["targets"].push_back({{"host", "backend"}, {"port", 1000 + i}});
  }
  checkRejected(parseUpstreamPoolJson(many), "targets", "at most 64 entries are allowed, got 65");
  many["targets"].erase(64);
  CHECK(parseUpstreamPoolJson(many));
}

TEST_CASE("an edge policy is parsed and normalised; absent fields take the model defaults") {
  auto policy = parseEdgePolicyJson(policyInput());
  REQUIRE(policy);
  REQUIRE(policy->headers.size() == 2);
  CHECK(policy->headers[0].name == "Content-Security-Policy");  // ordered by name
  CHECK(policy->headers[0].value == "default-src 'self'; img-src *");
  CHECK(policy->headers[1].name == "X-Frame-Options");
  CHECK(policy->headers[1].value == "DENY");
  REQUIRE(policy->rate_limit);
  CHECK(policy->rate_limit->requests_per_second == 50);
  CHECK(policy->rate_limit->burst == 100);
  CHECK(policy->ip_allowlist ==
        std::vector<std::string>{"10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"});
  CHECK(policy->cors_origins ==
        std::vector<std::string>{"https://app.example.com", "http://localhost:3000"});
  CHECK(policy->cache_ttl_s == 300);
  CHECK_FALSE(policy->compression);
  CHECK(policy->max_body_bytes == 1048576);
  CHECK_FALSE(policy->security_headers);

  auto empty = parseEdgePolicyJson(json::object());
  REQUIRE(empty);
  const EdgePolicy defaults;
  CHECK(empty->headers.empty());
  CHECK_FALSE(empty->rate_limit);
  CHECK(empty->ip_allowlist.empty());
  CHECK(empty->cors_origins.empty());
  CHECK(empty->cache_ttl_s == defaults.cache_ttl_s);
  CHECK(empty->compression == defaults.compression);
  CHECK(empty->max_body_bytes == defaults.max_body_bytes);
  CHECK(empty->security_headers == defaults.security_headers);

  auto no_limit = parseEdgePolicyJson(json::parse(R"({"rate_limit": null})"));
  REQUIRE(no_limit);
  CHECK_FALSE(no_limit->rate_limit);
  auto no_burst = parseEdgePolicyJson(json::parse(R"({"rate_limit": {"rps": 10}})"));
  REQUIRE(no_burst);
  CHECK(no_burst->rate_limit->burst == 0);
}

TEST_CASE("an edge policy's errors name the path of the field at fault") {
  auto with = [](const char* path, json value) {
    json input = policyInput();
    input[json::json_pointer(path)] = std::move(value);
    return parseEdgePolicyJson(input);
  };
  checkRejected(with("/colour", 1), "colour", "unknown field \"colour\"");
  checkRejected(with("/headers", json::array()), "headers", "\"headers\" must be an object");
  checkRejected(with("/headers/X-Frame-Options", 1), "headers.X-Frame-Options",
                "the value of \"X-Frame-Options\" must be a string");
  checkRejected(with("/headers/X-Evil", "x\"; return 302 http://evil;#"), "headers.X-Evil",
                "\"\\\"\" is not allowed");
  checkRejected(with("/headers/X-Evil", "$http_authorization"), "headers.X-Evil",
                "\"$\" is not allowed");
  checkRejected(with("/headers/X Evil", "1"), "headers", "a space is not allowed");
  checkRejected(with("/headers/Connection", "close"), "headers", "hop-by-hop");
  checkRejected(with("/headers/x-frame-options", "DENY"), "headers.x-frame-options",
                "\"x-frame-options\" repeats \"X-Frame-Options\"");
  checkRejected(with("/rate_limit", "fast"), "rate_limit", "\"rate_limit\" must be an object");
  checkRejected(with("/rate_limit/rps", 0), "rate_limit.rps", "between 1 and 100000");
  checkRejected(with("/rate_limit/burst", -1), "rate_limit.burst", "between 0 and 100000");
  checkRejected(with("/rate_limit/key", "ip"), "rate_limit.key", "unknown field \"key\"");
  checkRejected(with("/rate_limit", json::object()), "rate_limit.rps", "\"rps\" is required");
  checkRejected(with("/ip_allowlist", "10.0.0.0/8"), "ip_allowlist", "must be an array");
  checkRejected(with("/ip_allowlist/1", 10), "ip_allowlist[1]", "\"ip_allowlist[1]\" must be a");
  checkRejected(with("/ip_allowlist/2", "10.0.0.1/8"), "ip_allowlist[2]", "host bits set");
  checkRejected(with("/ip_allowlist/3", "2001:db8:0::/32"), "ip_allowlist[3]",
                "\"2001:db8::/32\" is already listed at ip_allowlist[1]");
  checkRejected(with("/cors_origins/2", "https://app.example.com"), "cors_origins[2]",
                "already listed at cors_origins[0]");
  checkRejected(with("/cors_origins/2", "*"), "cors_origins", "cannot be combined with others");
  checkRejected(with("/cors_origins/0", "https://a.com/x"), "cors_origins[0]",
                "a path is not allowed");
  checkRejected(with("/cache_ttl_s", 1.5), "cache_ttl_s", "\"cache_ttl_s\" must be an integer");
  checkRejected(with("/cache_ttl_s", -1), "cache_ttl_s", "between 0 and 31536000");
  checkRejected(with("/compression", "yes"), "compression", "must be true or false");
  checkRejected(with("/max_body_bytes", "10m"), "max_body_bytes", "must be an integer");
  checkRejected(with("/security_headers", nullptr), "security_headers", "must be true or false");
  checkRejected(parseEdgePolicyJson(json("policy")), "", "must be an object");
}

TEST_CASE("an edge policy's lists and headers have size limits") {
  json headers = json::object();
  for (int i = 0; i < 51; ++i) {
    headers["X-H" + std::to_string(i)] = "v";
  }
  checkRejected(parseEdgePolicyJson({{"headers", headers}}), "headers",
                "at most 50 headers are allowed, got 51");

  json cidrs = json::array();
  for (int i = 0; i < 501; ++i) {
    cidrs.push_back(fmt::format("10.{}.{}.0/24", i / 256, i % 256));
  }
  checkRejected(parseEdgePolicyJson({{"ip_allowlist", cidrs}}), "ip_allowlist",
                "at most 500 entries are allowed, got 501");
  cidrs.erase(500);
  CHECK(parseEdgePolicyJson({{"ip_allowlist", cidrs}}));

  json origins = json::array();
  for (int i = 0; i < 51; ++i) {
    origins.push_back(fmt::format("https://o{}.example.com", i));
  }
  checkRejected(parseEdgePolicyJson({{"cors_origins", origins}}), "cors_origins",
                "at most 50 entries");
}

TEST_CASE("a domain is parsed and its TLS flags checked together") {
  auto domain = parseDomainJson(domainInput());
  REQUIRE(domain);
  CHECK(domain->name == "shop.example.com");
  CHECK(domain->is_primary);
  CHECK(domain->tls_enabled);
  CHECK(domain->force_https);
  CHECK(domain->hsts);
  CHECK(domain->min_tls_version == "TLSv1.3");

  auto minimal = parseDomainJson(json::parse(R"({"name": "*.example.com"})"));
  REQUIRE(minimal);
  CHECK(minimal->name == "*.example.com");
  CHECK_FALSE(minimal->is_primary);
  CHECK_FALSE(minimal->tls_enabled);
  CHECK_FALSE(minimal->force_https);
  CHECK_FALSE(minimal->hsts);
  CHECK(minimal->min_tls_version == "TLSv1.2");

  auto with = [](const char* key, json value) {
    json input = domainInput();
    input[key] = std::move(value);
    return parseDomainJson(input);
  };
  checkRejected(with("name", "a.com;include /etc/passwd"), "name",
                "\"a.com;include /etc/passwd\" is not a hostname: \";\" is not allowed");
  checkRejected(with("tls_enabled", false), "force_https", "force_https requires tls_enabled");
  checkRejected(parseDomainJson({{"name", "a.com"}, {"hsts", true}}), "hsts",
                "hsts requires tls_enabled");
  checkRejected(with("min_tls_version", "TLSv1.0"), "min_tls_version", "expected");
  checkRejected(with("is_primary", 1), "is_primary", "\"is_primary\" must be true or false");
  checkRejected(with("id", 7), "id", "unknown field \"id\"");
  checkRejected(parseDomainJson(json::object()), "name", "\"name\" is required");
}

TEST_CASE("an unknown key with odd characters is quoted in the message, not the path") {
  auto result = parseDomainJson({{"name", "a.com"}, {"x\ny", 1}});
  REQUIRE_FALSE(result);
  CHECK(result.error().field.empty());
  CHECK(result.error().message == "unknown field \"x\\ny\"");
}

TEST_CASE("toJson writes the normalised values and parsing them gives the same model back") {
  auto pool = parseUpstreamPoolJson(poolInput());
  REQUIRE(pool);
  json pool_json = toJson(*pool);
  CHECK(pool_json == json::parse(R"({
    "name": "web", "protocol": "https", "health_check_path": "/healthz",
    "health_check_interval_s": 30,
    "targets": [
      {"host": "10.0.0.1", "port": 8080, "weight": 5, "backup": false},
      {"host": "2001:db8::1", "port": 8080, "weight": 1, "backup": false},
      {"host": "backup.internal", "port": 9000, "weight": 1, "backup": true}]})"));
  auto pool_again = parseUpstreamPoolJson(pool_json);
  REQUIRE(pool_again);
  CHECK(toJson(*pool_again) == pool_json);

  auto policy = parseEdgePolicyJson(policyInput());
  REQUIRE(policy);
  json policy_json = toJson(*policy);
  CHECK(policy_json == json::parse(R"({
    "headers": {"Content-Security-Policy": "default-src 'self'; img-src *",
                "X-Frame-Options": "DENY"},
    "rate_limit": {"rps": 50, "burst": 100},
    "ip_allowlist": ["10.0.0.0/8", "2001:db8::/32", "192.0.2.7/32"],
    "cors_origins": ["https://app.example.com", "http://localhost:3000"],
    "cache_ttl_s": 300, "compression": false, "max_body_bytes": 1048576,
    "security_headers": false})"));
  auto policy_again = parseEdgePolicyJson(policy_json);
  REQUIRE(policy_again);
  CHECK(toJson(*policy_again) == policy_json);
  CHECK(toJson(*parseEdgePolicyJson(json::object()))["rate_limit"].is_null());

  auto domain = parseDomainJson(domainInput());
  REQUIRE(domain);
  json domain_json = toJson(*domain);
  CHECK(domain_json["name"] == "shop.example.com");
  auto domain_again = parseDomainJson(domain_json);
  REQUIRE(domain_again);
  CHECK(domain_again->name == domain->name);
  CHECK(domain_again->is_primary == domain->is_primary);
  CHECK(domain_again->tls_enabled == domain->tls_enabled);
  CHECK(domain_again->force_https == domain->force_https);
  CHECK(domain_again->hsts == domain->hsts);
  CHECK(domain_again->min_tls_version == domain->min_tls_version);
}

}  // namespace
}  // namespace vantus::controller
