// The expected status of each row, from the documented matrix (tests/support/rbac_matrix.h).
#include <string_view>

#include "tests/integration/api_rbac/route_table.h"

namespace vantus::testing::rbac {

int expectedStatus(const RouteCase& route, Who who, TokenKind kind) {
  if (route.reach == Reach::kFiltered) {
    return route.success;  // the list answers; what it holds is the row's check
  }
  switch (
      verdictFor(who, kind, route.scope, route.reach, /*on_own_tenant=*/true, route.owner_only)) {
    case Verdict::kAllowed:
      return route.success;
    case Verdict::kForbidden:
      return 403;
    case Verdict::kNotFound:
      return 404;
  }
  return 0;
}

std::string normalizedPattern(std::string_view pattern) {
  std::string out;
  int depth = 0;
  for (char c : pattern) {
    if (c == '(' || c == '{') {
      if (depth++ == 0) {
        out += "{}";
      }
    } else if (c == ')' || c == '}') {
      --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

std::string RouteCase::label() const {
  std::string path = normalizedPattern(pattern);
  constexpr std::string_view kPrefix = "/api/v1";
  if (path.starts_with(kPrefix)) {
    path.erase(0, kPrefix.size());
  }
  return method + " " + path + (note.empty() ? "" : " [" + note + "]");
}

}  // namespace vantus::testing::rbac
