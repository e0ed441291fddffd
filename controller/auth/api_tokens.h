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

#include "common/core/result.h"
#include "controller/auth/principal.h"
#include "controller/store/generation_cache.h"
#include "controller/store/store.h"

namespace vantus::controller {

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

struct NewToken {
  std::string user_email;
  std::string name;
  std::vector<std::string> scopes;
  std::optional<Id> tenant_id;
  std::optional<std::int64_t> expires_at;
};

// kInvalidInput (field "name") unless 1..100 printable characters.
Result<void> validTokenName(std::string_view name);

class TokenService {
 public:
  explicit TokenService(Store& store)
      : store_(store), principals_(store, kMaxRememberedTokens, kPrincipalMaxAge) {}

  // One transaction: the token row and its audit entry (no secret in it).
  Result<IssuedToken> create(const Actor& actor, const NewToken& request);
  // From an `Authorization` header value. kUnauthenticated (one message for every reason, so
  // a caller learns nothing about which tokens exist) for a missing, malformed, unknown,
  // wrong, revoked or expired token or a disabled user. Records last use (time and address),
  // at most once a minute per token unless the address changes, so reads stay reads.
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
