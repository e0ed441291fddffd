#include "controller/model/parse_json.h"

#include <fmt/format.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json/json_reader.h"
#include "controller/model/validate.h"
#include "controller/model/validate_support.h"

namespace vantus::controller {

using nlohmann::json;
using validate_support::invalid;
using validate_support::quote;
using validate_support::toLowerAscii;
using ::vantus::json::childPath;
using ::vantus::json::indexPath;
using ::vantus::json::ObjectReader;
using ::vantus::json::wrongType;

namespace {

constexpr std::size_t kMaxTargets = 64;
constexpr std::size_t kMaxHeaders = 50;

// Each entry of an optional array of strings through `parse`; an entry equal to an earlier
// one after normalisation is refused rather than dropped, so a client always gets back
// exactly the list it sent, normalised.
template <typename Parse>
Result<std::vector<std::string>> parseStringList(const ObjectReader& fields, std::string_view key,
                                                 std::size_t max_items, Parse parse) {
  VANTUS_TRY(const json* list, fields.array(key, max_items));
  std::vector<std::string> out;
  if (list == nullptr) {
    return out;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string path = indexPath(fields.path(key), i);
    const json& item = (*list)[i];
    if (!item.is_string()) {
      return wrongType(path, "a string");
    }
    VANTUS_TRY(std::string value, parse(item.get_ref<const std::string&>(), path));
    for (std::size_t earlier = 0; earlier < out.size(); ++earlier) {
      if (out[earlier] == value) {
        return invalid(path, fmt::format("{} is already listed at {}", quote(value),
                                         indexPath(fields.path(key), earlier)));
      }
    }
    out.push_back(std::move(value));
  }
  return out;
}

std::string hostPort(const UpstreamTarget& target) {
  bool v6 = target.host.find(':') != std::string::npos;
  return v6 ? fmt::format("[{}]:{}", target.host, target.port)
            : fmt::format("{}:{}", target.host, target.port);
}

Result<UpstreamTarget> parseTarget(const json& value, std::string path) {
  VANTUS_TRY(ObjectReader fields,
             ObjectReader::open(value, std::move(path), {"host", "port", "weight", "backup"}));
  const UpstreamTarget defaults;
  UpstreamTarget target;
  VANTUS_TRY(std::string host, fields.string("host"));
  VANTUS_TRY(target.host, parseUpstreamHost(host, fields.path("host")));
  VANTUS_TRY(std::int64_t port, fields.integer("port"));
  VANTUS_TRY(target.port, parsePort(port, fields.path("port")));
  VANTUS_TRY(std::int64_t weight, fields.integer("weight", defaults.weight));
  VANTUS_TRY(target.weight, parseWeight(weight, fields.path("weight")));
  VANTUS_TRY(target.backup, fields.boolean("backup", defaults.backup));
  return target;
}

Result<std::vector<UpstreamTarget>> parseTargets(const ObjectReader& fields) {
  VANTUS_TRY(const json* list, fields.array("targets", kMaxTargets));
  if (list == nullptr) {
    return invalid(fields.path("targets"), "\"targets\" is required");
  }
  if (list->empty()) {
    return invalid(fields.path("targets"), "at least one target is required");
  }
  std::vector<UpstreamTarget> targets;
  for (std::size_t i = 0; i < list->size(); ++i) {
    std::string path = indexPath(fields.path("targets"), i);
    VANTUS_TRY(UpstreamTarget target, parseTarget((*list)[i], path));
    for (std::size_t earlier = 0; earlier < targets.size(); ++earlier) {
      if (targets[earlier].host == target.host && targets[earlier].port == target.port) {
        return invalid(path, fmt::format("{} is already listed at {}", quote(hostPort(target)),
                                         indexPath(fields.path("targets"), earlier)));
      }
    }
    targets.push_back(std::move(target));
  }
  bool has_primary = false;
  for (const UpstreamTarget& target : targets) {
    has_primary = has_primary || !target.backup;
  }
  if (!has_primary) {
    return invalid(fields.path("targets"), "at least one target must not be a backup");
  }
  return targets;
}

Result<std::vector<ResponseHeader>> parseHeaders(const ObjectReader& fields) {
  std::vector<ResponseHeader> headers;
  const json* object = fields.find("headers");
  if (object == nullptr) {
    return headers;
  }
  if (!object->is_object()) {
    return wrongType(fields.path("headers"), "an object");
  }
  if (object->size() > kMaxHeaders) {
    return invalid(fields.path("headers"), fmt::format("at most {} headers are allowed, got {}",
                                                       kMaxHeaders, object->size()));
  }
  for (const auto& [key, value] : object->items()) {
    VANTUS_TRY(std::string name, parseHeaderName(key, fields.path("headers")));
    std::string path = childPath(fields.path("headers"), name);
    for (const ResponseHeader& earlier : headers) {
      if (toLowerAscii(earlier.name) == toLowerAscii(name)) {
        return invalid(path, fmt::format("{} repeats {}: header names are case-insensitive",
                                         quote(name), quote(earlier.name)));
      }
    }
    if (!value.is_string()) {
      return invalid(path, fmt::format("the value of {} must be a string", quote(name)));
    }
    VANTUS_TRY(std::string text, parseHeaderValue(value.get_ref<const std::string&>(), path));
    headers.push_back(ResponseHeader{.name = std::move(name), .value = std::move(text)});
  }
  return headers;
}

Result<std::optional<RateLimit>> parseRateLimitJson(const ObjectReader& fields) {
  const json* value = fields.find("rate_limit");
  if (value == nullptr || value->is_null()) {
    return std::optional<RateLimit>();
  }
  VANTUS_TRY(ObjectReader limit,
             ObjectReader::open(*value, fields.path("rate_limit"), {"rps", "burst"}));
  VANTUS_TRY(std::int64_t rps, limit.integer("rps"));
  VANTUS_TRY(std::int64_t burst, limit.integer("burst", 0));
  VANTUS_TRY(RateLimit parsed, parseRateLimit(rps, burst, fields.path("rate_limit")));
  return std::optional<RateLimit>(parsed);
}

}  // namespace

Result<UpstreamPool> parseUpstreamPoolJson(const json& json) {
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(json, "",
                                                     {"name", "protocol", "health_check_path",
                                                      "health_check_interval_s", "targets"}));
  const UpstreamPool defaults;
  UpstreamPool pool;
  VANTUS_TRY(std::string name, fields.string("name"));
  VANTUS_TRY(pool.name, parsePoolName(name, "name"));
  VANTUS_TRY(std::string protocol,
             fields.string("protocol", upstreamProtocolName(defaults.protocol)));
  VANTUS_TRY(pool.protocol, parseUpstreamProtocol(protocol, "protocol"));
  VANTUS_TRY(std::string path, fields.string("health_check_path", defaults.health_check_path));
  VANTUS_TRY(pool.health_check_path, parseHealthCheckPath(path, "health_check_path"));
  VANTUS_TRY(std::int64_t interval,
             fields.integer("health_check_interval_s", defaults.health_check_interval_s));
  VANTUS_TRY(pool.health_check_interval_s,
             parseHealthCheckInterval(interval, "health_check_interval_s"));
  VANTUS_TRY(pool.targets, parseTargets(fields));
  return pool;
}

Result<EdgePolicy> parseEdgePolicyJson(const json& json) {
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(json, "",
                                                     {"headers", "rate_limit", "ip_allowlist",
                                                      "cors_origins", "cache_ttl_s", "compression",
                                                      "max_body_bytes", "security_headers"}));
  const EdgePolicy defaults;
  EdgePolicy policy;
  VANTUS_TRY(policy.headers, parseHeaders(fields));
  VANTUS_TRY(policy.rate_limit, parseRateLimitJson(fields));
  VANTUS_TRY(policy.ip_allowlist, parseStringList(fields, "ip_allowlist", kMaxAllowlistEntries,
                                                  [](std::string_view raw, std::string_view path) {
                                                    return parseCidr(raw, path);
                                                  }));
  VANTUS_TRY(policy.cors_origins, parseStringList(fields, "cors_origins", kMaxCorsOrigins,
                                                  [](std::string_view raw, std::string_view path) {
                                                    return parseCorsOrigin(raw, path);
                                                  }));
  VANTUS_TRY_VOID(checkCorsOriginSet(policy.cors_origins));
  VANTUS_TRY(std::int64_t ttl, fields.integer("cache_ttl_s", defaults.cache_ttl_s));
  VANTUS_TRY(policy.cache_ttl_s, parseCacheTtl(ttl, "cache_ttl_s"));
  VANTUS_TRY(policy.compression, fields.boolean("compression", defaults.compression));
  VANTUS_TRY(std::int64_t max_body,
             fields.integer("max_body_bytes", static_cast<std::int64_t>(defaults.max_body_bytes)));
  VANTUS_TRY(policy.max_body_bytes, parseMaxBodyBytes(max_body, "max_body_bytes"));
  VANTUS_TRY(policy.security_headers,
             fields.boolean("security_headers", defaults.security_headers));
  return policy;
}

Result<Domain> parseDomainJson(const json& json) {
  VANTUS_TRY(ObjectReader fields, ObjectReader::open(json, "",
                                                     {"name", "is_primary", "tls_enabled",
                                                      "force_https", "hsts", "min_tls_version"}));
  const Domain defaults;
  Domain domain;
  VANTUS_TRY(std::string name, fields.string("name"));
  VANTUS_TRY(domain.name, parseDomainName(name, "name"));
  VANTUS_TRY(domain.is_primary, fields.boolean("is_primary", defaults.is_primary));
  VANTUS_TRY(domain.tls_enabled, fields.boolean("tls_enabled", defaults.tls_enabled));
  VANTUS_TRY(domain.force_https, fields.boolean("force_https", defaults.force_https));
  VANTUS_TRY(domain.hsts, fields.boolean("hsts", defaults.hsts));
  VANTUS_TRY(std::string version, fields.string("min_tls_version", defaults.min_tls_version));
  VANTUS_TRY(domain.min_tls_version, parseMinTlsVersion(version, "min_tls_version"));
  if (domain.force_https && !domain.tls_enabled) {
    return invalid("force_https", "force_https requires tls_enabled");
  }
  if (domain.hsts && !domain.tls_enabled) {
    return invalid("hsts", "hsts requires tls_enabled");
  }
  return domain;
}

json toJson(const UpstreamPool& pool) {
  json targets = json::array();
  for (const UpstreamTarget& target : pool.targets) {
    targets.push_back({{"host", target.host},
                       {"port", target.port},
                       {"weight", target.weight},
                       {"backup", target.backup}});
  }
  return {{"name", pool.name},
          {"protocol", upstreamProtocolName(pool.protocol)},
          {"health_check_path", pool.health_check_path},
          {"health_check_interval_s", pool.health_check_interval_s},
          {"targets", std::move(targets)}};
}

json toJson(const EdgePolicy& policy) {
  json headers = json::object();
  for (const ResponseHeader& header : policy.headers) {
    headers[header.name] = header.value;
  }
  json rate_limit = nullptr;
  if (policy.rate_limit) {
    rate_limit = {{"rps", policy.rate_limit->requests_per_second},
                  {"burst", policy.rate_limit->burst}};
  }
  return {{"headers", std::move(headers)},           {"rate_limit", std::move(rate_limit)},
          {"ip_allowlist", policy.ip_allowlist},     {"cors_origins", policy.cors_origins},
          {"cache_ttl_s", policy.cache_ttl_s},       {"compression", policy.compression},
          {"max_body_bytes", policy.max_body_bytes}, {"security_headers", policy.security_headers}};
}

json toJson(const Domain& domain) {
  return {{"name", domain.name},
          {"is_primary", domain.is_primary},
          {"tls_enabled", domain.tls_enabled},
          {"force_https", domain.force_https},
          {"hsts", domain.hsts},
          {"min_tls_version", domain.min_tls_version}};
}

}  // namespace vantus::controller
