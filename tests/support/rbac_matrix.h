#pragma once
// The documented access matrix (docs/rbac.md), written out independently of controller/auth so
// that the tables test the server and the services against the documents rather than against
// themselves. Shared by the REST API's table (tests/integration/api_rbac) and the services'
// (tests/unit/controller/service).
#include <array>
#include <string>
#include <string_view>

namespace vantus::testing::rbac {

// The principals of the matrix: a platform admin, tenant A's four roles, and a user who is a
// member of nothing.
enum class Who { kPlatformAdmin, kOwner, kAdmin, kOperator, kViewer, kOutsider };
inline constexpr std::array<Who, 6> kEveryone = {Who::kPlatformAdmin, Who::kOwner,  Who::kAdmin,
                                                 Who::kOperator,      Who::kViewer, Who::kOutsider};

// (a) every scope, unbound; (b) every scope but the route's, unbound; (c) every scope, bound to
// the route's own tenant (A, or the tenant made for the row); (d) every scope, bound to B.
enum class TokenKind { kAllScopes, kAllButNeeded, kBoundOwn, kBoundOther };
inline constexpr std::array<TokenKind, 4> kEveryTokenKind = {
    TokenKind::kAllScopes, TokenKind::kAllButNeeded, TokenKind::kBoundOwn, TokenKind::kBoundOther};

std::string_view nameOf(Who who);
std::string_view nameOf(TokenKind kind);

// kTenant: the route acts on one tenant (its own tenant), needs `scope` there.
// kPlatform: platform-wide, a platform admin's unbound token holding `scope` only.
// kSelf: the caller's own API tokens; no scope, everyone.
// kFiltered: a list every caller may ask for; it shows what `scope` lets the caller see.
enum class Reach { kTenant, kPlatform, kSelf, kFiltered };

enum class Verdict { kAllowed, kForbidden, kNotFound };

// The documented answer for `who` with a token of `kind` using `scope` on the row's own
// tenant (`on_own_tenant`) or on tenant B (otherwise), or on the platform.
Verdict verdictFor(Who who, TokenKind kind, const std::string& scope, Reach reach,
                   bool on_own_tenant, bool owner_only);

}  // namespace vantus::testing::rbac
