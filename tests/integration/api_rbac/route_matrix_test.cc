// Every /api/v1 route × every principal × every kind of token, against the documented
// matrix. Failures are gathered and printed as one table.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <chrono>
#include <regex>

#include "tests/integration/api_rbac/route_table.h"

namespace vantus::testing::rbac {
namespace {

using nlohmann::json;

struct Mismatch {
  std::string route;
  std::string who;
  std::string token;
  int expected = 0;
  int got = 0;
  std::string detail;
};

std::string detailOf(const httplib::Result& result) {
  if (!result) {
    return "no answer: " + httplib::to_string(result.error());
  }
  json body = json::parse(result->body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object() && body.contains("detail") && body["detail"].is_string()) {
    return body["detail"].get<std::string>();
  }
  return result->body.substr(0, 80);
}

std::string tableOf(const std::vector<Mismatch>& rows) {
  std::string out =
      fmt::format("{} of the rows disagree with the documented matrix:\n", rows.size());
  out += fmt::format("{:<44} {:<15} {:<15} {:>4} {:>4}  {}\n", "route", "principal", "token",
                     "want", "got", "problem detail");
  for (const Mismatch& row : rows) {
    out += fmt::format("{:<44} {:<15} {:<15} {:>4} {:>4}  {}\n", row.route, row.who, row.token,
                       row.expected, row.got, row.detail.substr(0, 110));
  }
  return out;
}

Id ownTenantOf(World& world, const RouteCase& route) {
  switch (route.own) {
    case Own::kA:
      return world.tenant_a;
    case Own::kFresh:
      return world.tenantLikeA(world.unique("fresh"));
    case Own::kR:
      return world.tenant_r;
  }
  return 0;
}

TEST_CASE("every /api/v1 route answers every principal and token as docs/rbac.md says") {
  const auto started = std::chrono::steady_clock::now();
  World world;
  std::vector<Mismatch> mismatches;
  std::size_t calls = 0;
  for (const RouteCase& route : everyRoute()) {
    for (Who who : kEveryone) {
      for (TokenKind kind : kEveryTokenKind) {
        Row row{who, kind, ownTenantOf(world, route)};
        const std::string scope = route.reach == Reach::kSelf ? "" : route.scope;
        const std::string bearer = world.token(who, kind, scope, row.tenant);
        Request request = route.build(world, row);
        // A row must call the route it stands for.
        const std::string path = request.path.substr(0, request.path.find('?'));
        if (!std::regex_match(path, std::regex(route.pattern))) {
          mismatches.push_back({route.label(), std::string(nameOf(who)), std::string(nameOf(kind)),
                                0, 0, "the row calls " + path + ", not its route"});
          continue;
        }
        auto result = world.api().call(route.method, request.path, request.body, bearer);
        ++calls;
        const int expected = expectedStatus(route, who, kind);
        const int got = result ? result->status : 0;
        std::string wrong;
        if (got != expected) {
          wrong = detailOf(result);
        } else if (got >= 400 &&
                   result->get_header_value("Content-Type") != "application/problem+json") {
          wrong = "not application/problem+json: " + result->get_header_value("Content-Type");
        } else if (got >= 400 && route.method == "DELETE" &&
                   !request.path.starts_with("/api/v1/tokens/")) {
          // A refused delete leaves the resource where it was.
          auto still = world.api().call("GET", request.path);
          if (!still || still->status != 200) {
            wrong = "refused, yet the resource is gone: " + detailOf(still);
          }
        } else if (got < 300 && route.check) {
          json body = json::parse(result->body, nullptr, /*allow_exceptions=*/false);
          wrong = route.check(world, row, body);
        }
        if (!wrong.empty()) {
          mismatches.push_back({route.label(), std::string(nameOf(who)), std::string(nameOf(kind)),
                                expected, got, wrong});
        }
        if (route.after) {
          route.after(world, row, result);
        }
      }
    }
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count() /
                       1000.0;
  MESSAGE(fmt::format("{} routes, {} calls, {} mismatches, {:.1f} s", everyRoute().size(), calls,
                      mismatches.size(), seconds));
  if (!mismatches.empty()) {
    FAIL_CHECK(tableOf(mismatches));
  }
}

}  // namespace
}  // namespace vantus::testing::rbac
