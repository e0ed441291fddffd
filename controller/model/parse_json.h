#pragma once
// JSON front door of the model, shared by the REST API and the CLI. Parsing is strict:
// unknown fields, wrong JSON types and missing required fields are refused, every value
// goes through its validate.h parser, and errors carry the path of the field at fault
// ("targets[1].port", "headers.X-Frame-Options", "ip_allowlist[3]").
//
// Only the writable fields are read and written; read-only ones (id, tenant_id,
// timestamps) are the caller's to add to a response and to strip from a request. toJson
// writes exactly the normalised values, so parse(toJson(x)) gives x back for any parsed x.
// Pure functions; no exception leaves them.
#include <nlohmann/json.hpp>

#include "common/core/result.h"
#include "controller/model/types.h"

namespace vantus::controller {

// {name, protocol = "http", health_check_path = "/", health_check_interval_s = 10 (1..3600),
//  targets: 1..64 × {host, port, weight = 1, backup = false}}. A host:port pair appears
// once per pool (after normalisation) and at least one target is not a backup.
Result<UpstreamPool> parseUpstreamPoolJson(const nlohmann::json& json);

// {headers: {name: value} (<= 50, names unique case-insensitively), rate_limit: {rps,
//  burst = 0} or null, ip_allowlist: [CIDR] (<= 500), cors_origins: [origin] (<= 50; "*"
//  only alone), cache_ttl_s, compression, max_body_bytes, security_headers}. Absent fields
// take the defaults of types.h. A list entry equal to an earlier one after normalisation
// is refused. Headers come back ordered by name (JSON objects are unordered).
Result<EdgePolicy> parseEdgePolicyJson(const nlohmann::json& json);

// {name, is_primary = false, tls_enabled = false, force_https = false, hsts = false,
//  min_tls_version = "TLSv1.2"}; force_https and hsts require tls_enabled.
Result<Domain> parseDomainJson(const nlohmann::json& json);

nlohmann::json toJson(const UpstreamPool& pool);
nlohmann::json toJson(const EdgePolicy& policy);
nlohmann::json toJson(const Domain& domain);

}  // namespace vantus::controller
