#pragma once
// API tokens "vt_<prefix>_<secret>": a 12-hex-digit public prefix that finds the row and a
// 256-bit base64url secret of which only the SHA-256 is stored. Shown once at creation.
// Effective rights of a request = the token's scopes ∩ what its owner's current roles allow
// (controller/auth/access.h). Pure functions plus TokenService on the store; thread-safe.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/core/generation_cache.h"
#include "common/core/result.h"
#include "controller/auth/caller.h"
#include "controller/auth/principal.h"
#include "controller/model/people.h"

namespace vantus::controller {

class Store;

// tenants:read tenants:write config:read config:write deploy edges:read edges:write
// users:admin audit:read
const std::vector<std::string>& allScopes();
// "a,b,c" -> validated, de-duplicated, in allScopes() order. kInvalidInput field "scopes".
Result<std::vector<std::string>> parseScopes(std::string_view csv);

struct TokenParts {
  std::string prefix;
  std::string secret;
};
// Splits "vt_<12 hex>_<43 base64url>"; kUnauthenticated for anything else.
Result<TokenParts> splitApiToken(std::string_view token);

struct IssuedToken {
  std::string token;  // the only time the secret exists outside the client
  ApiToken record;
};

// What a caller asks for. A token never holds more than the caller's own: its scopes are a
// subset of the caller's, it is bound to the caller's tenant when the caller's token is, and
// it expires no later than the caller's token.
struct TokenRequest {
  std::string name;
  std::vector<std::string> scopes;
  std::optional<Id> tenant_id{};             // nullopt: the caller's own binding
  std::optional<std::int64_t> expires_at{};  // unix seconds; nullopt: as the caller's token
  // Another user's token (the CLI names its owner): "users:admin" on the platform only.
  std::optional<std::string> user_email{};
};

// kInvalidInput (field "name") unless 1..100 printable characters.
Result<void> validTokenName(std::string_view name);

class TokenService {
 public:
  explicit TokenService(Store& store);

  // One transaction: the token row and its audit entry (no secret in it). Errors name the
  // field: "scopes" (kPermissionDenied beyond the caller's), "tenant_id" (kNotFound for a
  // tenant the caller cannot see), "expires_at" (kInvalidInput beyond the caller's expiry).
  Result<IssuedToken> create(const Caller& caller, const TokenRequest& request);
  // The caller's own tokens (a tenant-bound caller sees only those bound to its tenant);
  // another user's and revoked ones do not exist here (kNotFound).
  Result<std::vector<ApiToken>> list(const Caller& caller) const;
  Result<ApiToken> token(const Caller& caller, Id id) const;
  Result<ApiToken> rename(const Caller& caller, Id id, std::string_view name);
  Result<void> revoke(const Caller& caller, Id id);
  // From an `Authorization` header value (scheme "Bearer", any case). kUnauthenticated (one message
  // for every reason, so a caller learns nothing about which tokens exist) for a missing,
  // malformed, unknown, wrong, revoked or expired token or a disabled user. Records last use (time
  // and address), at most once a minute per token unless the address changes, so reads stay reads.
  Result<Principal> authenticate(std::string_view authorization, std::string_view address,
                                 std::int64_t now);

 private:
  static constexpr std::chrono::seconds kLastUseResolution{60};
  static constexpr std::size_t kMaxRememberedTokens = 100000;
  struct LastUse {
    std::string address;
    std::int64_t recorded_unix = 0;
  };
  // The token, its owner and the owner's roles, read again after any write (a revocation or
  // a demotion takes effect at the next request) and at least once a second.
  static constexpr std::chrono::milliseconds kPrincipalMaxAge{1000};
  bool lastUseIsStale(Id token_id, std::string_view address, std::int64_t now);
  Result<Principal> principalOf(const std::string& prefix);

  Store& store_;
  GenerationCache<Principal> principals_;
  std::mutex last_use_mutex_;
  std::unordered_map<Id, LastUse> last_use_;
};

}  // namespace vantus::controller
