#include "controller/auth/api_tokens.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/crypto/encoding.h"
#include "common/crypto/hash.h"
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

Result<IssuedToken> TokenService::create(const Actor& actor, const NewToken& request) {
  VANTUS_TRY_VOID(validTokenName(request.name));
  VANTUS_TRY(std::string prefix_bytes, crypto::randomBytes(kPrefixLength / 2));
  VANTUS_TRY(std::string secret, crypto::randomToken(32));
  IssuedToken issued;
  issued.record.name = request.name;
  issued.record.prefix = crypto::hexEncode(prefix_bytes);
  issued.record.secret_hash = crypto::sha256Hex(secret);
  issued.record.scopes = request.scopes;
  issued.record.tenant_id = request.tenant_id;
  issued.record.expires_at = request.expires_at;
  issued.token = "vt_" + issued.record.prefix + "_" + secret;
  VANTUS_TRY_VOID(store_.write([&](Transaction& tx) -> Result<void> {
    VANTUS_TRY(User owner, tx.userByEmail(request.user_email));
    issued.record.user_id = owner.id;
    VANTUS_TRY(issued.record, tx.insertApiToken(issued.record));
    return appendAuditRow(tx, actor, request.tenant_id, "api_token.create",
                          fmt::format("api_token:{}", issued.record.id), nullptr,
                          {{"user", owner.email},
                           {"name", issued.record.name},
                           {"prefix", issued.record.prefix},
                           {"scopes", issued.record.scopes},
                           {"expires_at", request.expires_at ? nlohmann::json(*request.expires_at)
                                                             : nlohmann::json(nullptr)}});
  }));
  return issued;
}

Result<Principal> TokenService::authenticate(std::string_view authorization,
                                             std::string_view address, std::int64_t now) {
  constexpr std::string_view kBearer = "Bearer ";
  if (!authorization.starts_with(kBearer)) {
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
