#pragma once
// The validated domain model. Values of these types have passed the parsers in
// validate.h (or were read back from the store, which only ever holds parsed values),
// so every string here is already normalised and safe for its grammar.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vantus::controller {

using Id = std::int64_t;

enum class TenantStatus { kActive, kSuspended, kArchived };
enum class UpstreamProtocol { kHttp, kHttps };
enum class TenantRole { kOwner, kAdmin, kOperator, kViewer };

struct Tenant {
  Id id = 0;
  std::string slug;  // [a-z0-9-], 1..63, starts with a letter or digit
  std::string name;  // free text for people; never rendered into nginx config
  TenantStatus status = TenantStatus::kActive;
  std::string created_at;  // RFC 3339 UTC
  std::string updated_at;
};

struct Domain {
  Id id = 0;
  Id tenant_id = 0;
  std::string name;  // lowercased RFC 1123 hostname, optional leading "*."
  bool is_primary = false;
  bool tls_enabled = false;
  bool force_https = false;                 // only meaningful with tls_enabled
  bool hsts = false;                        // only rendered with tls_enabled
  std::string min_tls_version = "TLSv1.2";  // "TLSv1.2" or "TLSv1.3"
  std::string created_at;
};

struct UpstreamTarget {
  std::string host;  // hostname, IPv4 or IPv6 (without brackets)
  std::uint16_t port = 80;
  int weight = 1;  // 1..100
  bool backup = false;
};

struct UpstreamPool {
  Id id = 0;
  Id tenant_id = 0;
  std::string name;  // [a-z0-9-], 1..63, starts with a letter or digit; unique per tenant
  UpstreamProtocol protocol = UpstreamProtocol::kHttp;
  std::string health_check_path = "/";  // absolute path, URL-safe characters only
  int health_check_interval_s = 10;
  std::vector<UpstreamTarget> targets;  // at least one
  std::string created_at;
  std::string updated_at;
};

struct ResponseHeader {
  std::string name;   // RFC 7230 token
  std::string value;  // printable ASCII without '"', '\\', '$'; 0..1024 chars
};

struct RateLimit {
  int requests_per_second = 0;  // 1..100000
  int burst = 0;                // 0..100000
};

struct EdgePolicy {
  Id tenant_id = 0;
  std::vector<ResponseHeader> headers;
  std::optional<RateLimit> rate_limit;
  std::vector<std::string> ip_allowlist;  // normalised CIDRs ("10.0.0.0/8", "2001:db8::/32")
  std::vector<std::string> cors_origins;  // "https://example.com[:port]" or "*"
  int cache_ttl_s = 0;                    // 0 = no caching
  bool compression = true;
  std::uint64_t max_body_bytes = 10 * 1024 * 1024;
  bool security_headers = true;
  std::string updated_at;
};

struct EdgeCluster {
  Id id = 0;
  std::string name;  // same grammar as a slug
  std::string created_at;
};

// Everything the renderer needs to produce one tenant's file.
struct TenantConfig {
  Tenant tenant;
  std::vector<Domain> domains;
  std::vector<UpstreamPool> pools;
  EdgePolicy policy;
};

std::string_view tenantStatusName(TenantStatus status);
std::string_view upstreamProtocolName(UpstreamProtocol protocol);
std::string_view tenantRoleName(TenantRole role);

}  // namespace vantus::controller
