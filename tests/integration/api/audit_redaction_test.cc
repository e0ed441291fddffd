// A credential a client puts where it does not belong is not kept by the audit log.
#include <doctest/doctest.h>
#include <httplib.h>

#include "tests/support/api/api_server.h"

namespace vantus::controller {
namespace {

using vantus::testing::ApiServer;
using vantus::testing::bodyOf;

TEST_CASE("a token in User-Agent is stored and served as [redacted]") {
  ApiServer api;
  const std::string token = api.adminToken();
  auto created = api.call("POST", "/api/v1/tenants", R"({"slug":"acme","name":"Acme"})", "",
                          {{"User-Agent", "terraform/1.9 " + token}});
  REQUIRE(created);
  REQUIRE(created->status == 201);
  auto rows = api.call("GET", "/api/v1/audit?action=tenant.create");
  REQUIRE(rows);
  CHECK(rows->body.find(token) == std::string::npos);
  CHECK(bodyOf(rows)["items"][0]["actor"]["user_agent"] == "terraform/1.9 [redacted]");
  CHECK(bodyOf(api.call("GET", "/api/v1/audit?limit=500")).dump().find("vt_") == std::string::npos);
}

}  // namespace
}  // namespace vantus::controller
