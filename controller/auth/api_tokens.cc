#include "controller/auth/api_tokens.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "common/core/time.h"
#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"
#include "controller/auth/access.h"
#include "controller/store/store_access.h"

namespace vantus::controller {

const std::vector<std::string>& allScopes() {
  static const std::vector<std::string> scopes = {"tenants:read", "tenants:write", "config:read",
                                                  "config:write", "deploy",        "edges:read",
                                                  "edges:write",  "users:admin",   "audit:read"};
  return scopes;
}

Result<std::vector<std::string>> parseScopes(std::string_view csv) {
  std::vector<std::string> wanted;
  while (!csv.empty()) {
    const size_t comma = csv.find(',');
    std::string scope(csv.substr(0, comma));
    csv = comma == std::string_view::npos ? std::string_view() : csv.substr(comma + 1);
    const auto& known = allScopes();
    if (std::find(known.begin(), known.end(), scope) == known.end()) {
      return fail(ErrorCode::kInvalidInput,
                  fmt::format("unknown scope \"{}\"; scopes are {}", scope, fmt::join(known, ", ")),
                  "scopes");
    }
    wanted.push_back(std::move(scope));
  }
  if (wanted.empty()) {
    return fail(ErrorCode::kInvalidInput, "a token needs at least one scope", "scopes");
  }
  std::vector<std::string> ordered;
  for (const std::string& scope : allScopes()) {
    if (std::find(wanted.begin(), wanted.end(), scope) != wanted.end()) {
      ordered.push_back(scope);
    }
  }
  return ordered;
}

namespace {

constexpr size_t kPrefixLength = 12;
constexpr size_t kSecretLength = 43;

Unexpected unauthenticated() {
  return fail(ErrorCode::kUnauthenticated,
              "missing or invalid API token: send \"Authorization: Bearer vt_…\" with a valid, "
              "unexpired, unrevoked token");
}

bool isHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool isBase64Url(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '_';
  });
}

}  // namespace

Result<void> validTokenName(std::string_view name) {
  if (name.empty() || name.size() > 100 || std::any_of(name.begin(), name.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
      })) {
    return fail(ErrorCode::kInvalidInput, "a token name is 1..100 printable characters", "name");
  }
  return ok();
}

Result<TokenParts> splitApiToken(std::string_view token) {
  if (token.size() != 3 + kPrefixLength + 1 + kSecretLength || !token.starts_with("vt_") ||
      token[3 + kPrefixLength] != '_') {
    return unauthenticated();
  }
  TokenParts parts{std::string(token.substr(3, kPrefixLength)),
                   std::string(token.substr(4 + kPrefixLength))};
  if (!isHex(parts.prefix) || !isBase64Url(parts.secret)) {
    return unauthenticated();
  }
  return parts;
}

namespace {

nlohmann::json expiryJson(const std::optional<std::int64_t>& expires_at) {
  return expires_at ? nlohmann::json(*expires_at) : nlohmann::json(nullptr);
}

// The caller's own tokens; a token bound to a tenant sees only those bound to the same tenant.
Result<std::vector<ApiToken>> ownTokens(Transaction& tx, const Principal& principal) {
  VANTUS_TRY(std::vector<ApiToken> tokens, tx.apiTokensOfUser(principal.user.id));
  if (principal.token.tenant_id) {
    std::erase_if(tokens,
                  [&](const ApiToken& t) { return t.tenant_id != principal.token.tenant_id; });
  }
  return tokens;
}

Result<ApiToken> ownLiveToken(Transaction& tx, const Principal& principal, Id id) {
  VANTUS_TRY(std::vector<ApiToken> tokens, ownTokens(tx, principal));
  for (ApiToken& token : tokens) {
    if (token.id == id && !token.revoked) {
      return std::move(token);
    }
  }
  return fail(ErrorCode::kNotFound, fmt::format("API token {} not found", id));
}

}  // namespace

Result<IssuedToken> TokenService::create(const Caller& caller, const TokenRequest& request) {
  const Principal& principal = caller.principal;
  VANTUS_TRY_VOID(validTokenName(request.name));
  if (request.scopes.empty()) {
    return fail(ErrorCode::kInvalidInput, "a token needs at least one scope", "scopes");
  }
  for (const std::string& scope : request.scopes) {
    const auto& held = principal.token.scopes;
    if (std::find(held.begin(), held.end(), scope) == held.end()) {
      return fail(ErrorCode::kPermissionDenied,
                  fmt::format("this token does not hold {:?}, so it cannot grant it", scope),
                  "scopes");
    }
  }
  const bool for_another_user = request.user_email && *request.user_email != principal.user.email;
  if (for_another_user) {
    VANTUS_TRY_VOID(authorize(principal, "users:admin", std::nullopt));
  }
  std::optional<Id> tenant_id = principal.token.tenant_id;
  if (request.tenant_id) {
    // Only a tenant the caller can see: one of its own, or any for a platform admin.
    const Id wanted = *request.tenant_id;
    const auto& roles = principal.memberships;
    const bool member = std::any_of(roles.begin(), roles.end(),
                                    [&](const Membership& m) { return m.tenant_id == wanted; });
    if ((principal.token.tenant_id && *principal.token.tenant_id != wanted) ||
        (!principal.user.is_platform_admin && !member)) {
      return fail(ErrorCode::kNotFound, fmt::format("tenant {} not found", wanted), "tenant_id");
    }
    tenant_id = wanted;
  }
  const std::optional<std::int64_t>& ceiling = principal.token.expires_at;
  std::optional<std::int64_t> expires_at = request.expires_at ? request.expires_at : ceiling;
  if (ceiling && expires_at && *expires_at > *ceiling) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("this token expires at {}; a token it makes cannot outlive it: ask "
                            "for a shorter lifetime",
                            formatRfc3339Utc(*ceiling)),
                "expires_at");
  }
  VANTUS_TRY(std::string prefix_bytes, crypto::randomBytes(kPrefixLength / 2));
  VANTUS_TRY(std::string secret, crypto::randomToken(32));
  IssuedToken issued;
  issued.record.name = request.name;
  issued.record.prefix = crypto::hexEncode(prefix_bytes);
  issued.record.secret_hash = crypto::sha256Hex(secret);
  issued.record.scopes = request.scopes;
  issued.record.tenant_id = tenant_id;
  issued.record.expires_at = expires_at;
  issued.token = "vt_" + issued.record.prefix + "_" + secret;
  VANTUS_TRY_VOID(store_.write([&](Transaction& tx) -> Result<void> {
    if (tenant_id) {
      Result<Tenant> bound = tx.tenant(*tenant_id);
      if (!bound) {
        return fail(bound.error().code, bound.error().message, "tenant_id");
      }
    }
    VANTUS_TRY(User owner, for_another_user || principal.user.id == 0
                               ? tx.userByEmail(request.user_email.value_or(""))
                               : tx.user(principal.user.id));
    issued.record.user_id = owner.id;
    VANTUS_TRY(issued.record, tx.insertApiToken(issued.record));
    // No claim of an Idempotency-Key: the secret is shown once and never replayed.
    return appendAuditRow(tx, caller.actor, tenant_id, "api_token.create",
                          fmt::format("api_token:{}", issued.record.id), nullptr,
                          {{"user", owner.email},
                           {"name", issued.record.name},
                           {"prefix", issued.record.prefix},
                           {"scopes", issued.record.scopes},
                           {"expires_at", expiryJson(expires_at)}});
  }));
  return issued;
}

Result<std::vector<ApiToken>> TokenService::list(const Caller& caller) const {
  return readValue<std::vector<ApiToken>>(
      store_, [&](Transaction& tx) { return ownTokens(tx, caller.principal); });
}

Result<ApiToken> TokenService::token(const Caller& caller, Id id) const {
  return readValue<ApiToken>(
      store_, [&](Transaction& tx) { return ownLiveToken(tx, caller.principal, id); });
}

Result<ApiToken> TokenService::rename(const Caller& caller, Id id, std::string_view name) {
  VANTUS_TRY_VOID(validTokenName(name));
  return writeValue<ApiToken>(store_, [&](Transaction& tx) -> Result<ApiToken> {
    VANTUS_TRY(ApiToken before, ownLiveToken(tx, caller.principal, id));
    VANTUS_TRY_VOID(tx.renameApiToken(id, name));
    VANTUS_TRY_VOID(recordWrite(tx, caller, before.tenant_id, "api_token.update",
                                fmt::format("api_token:{}", id),
                                {{"prefix", before.prefix}, {"name", before.name}},
                                {{"prefix", before.prefix}, {"name", name}}));
    return ownLiveToken(tx, caller.principal, id);
  });
}

Result<void> TokenService::revoke(const Caller& caller, Id id) {
  return store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(ApiToken before, ownLiveToken(tx, caller.principal, id));
    VANTUS_TRY_VOID(tx.revokeApiToken(id));
    return recordWrite(tx, caller, before.tenant_id, "api_token.revoke",
                       fmt::format("api_token:{}", id),
                       {{"prefix", before.prefix}, {"revoked", false}},
                       {{"prefix", before.prefix}, {"revoked", true}});
  });
}

TokenService::TokenService(Store& store)
    : store_(store),
      principals_([&store] { return store.writeGeneration(); }, kMaxRememberedTokens,
                  kPrincipalMaxAge) {}

Result<Principal> TokenService::authenticate(std::string_view authorization,
                                             std::string_view address, std::int64_t now) {
  // The scheme is case-insensitive (RFC 9110 §11.1).
  constexpr std::string_view kBearer = "bearer ";
  if (authorization.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), authorization.begin(), [](char want, char got) {
        return want == std::tolower(static_cast<unsigned char>(got));
      })) {
    return unauthenticated();
  }
  VANTUS_TRY(TokenParts parts, splitApiToken(authorization.substr(kBearer.size())));
  VANTUS_TRY(Principal principal, principalOf(parts.prefix));
  const ApiToken& token = principal.token;
  if (!crypto::constantTimeEquals(crypto::sha256Hex(parts.secret), token.secret_hash) ||
      token.revoked || (token.expires_at && *token.expires_at <= now) || principal.user.disabled) {
    return unauthenticated();
  }
  if (lastUseIsStale(token.id, address, now)) {
    // Last use is informative: a failure to record it must not fail the request.
    (void)store_.write([&](Transaction& tx) { return tx.touchApiToken(token.id, address); });
  }
  return principal;
}

Result<Principal> TokenService::principalOf(const std::string& prefix) {
  if (std::optional<Principal> cached = principals_.find(prefix)) {
    return std::move(*cached);
  }
  const std::uint64_t generation = principals_.generation();
  Principal principal;
  Result<void> found = store_.read([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(principal.token, tx.apiTokenByPrefix(prefix));
    VANTUS_TRY(principal.user, tx.user(principal.token.user_id));
    if (!principal.user.is_platform_admin) {
      VANTUS_TRY(principal.memberships, tx.membershipsOfUser(principal.user.id));
    }
    return ok();
  });
  if (!found) {
    if (found.error().code == ErrorCode::kNotFound) {
      return unauthenticated();
    }
    return fail(found.error());
  }
  principals_.put(prefix, generation, principal);
  return principal;
}

bool TokenService::lastUseIsStale(Id token_id, std::string_view address, std::int64_t now) {
  std::lock_guard lock(last_use_mutex_);
  if (last_use_.size() > kMaxRememberedTokens) {
    last_use_.clear();
  }
  LastUse& seen = last_use_[token_id];
  if (seen.address == address && now - seen.recorded_unix < kLastUseResolution.count()) {
    return false;
  }
  seen = LastUse{std::string(address), now};
  return true;
}

}  // namespace vantus::controller
