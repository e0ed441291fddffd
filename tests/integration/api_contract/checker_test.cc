// tools/api-lint/check-responses.mjs itself: an answer that drifts from the spec fails it, so
// the contract test can fail.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/integration/api_contract/contract_client.h"

namespace vantus::testing {
namespace {

using nlohmann::json;

TEST_CASE("the checker fails answers that drift from the spec") {
  TempDir dir;
  const json tenant = {{"id", 7},
                       {"slug", "acme"},
                       {"name", "Acme"},
                       {"status", "active"},
                       {"created_at", "2026-11-26T11:44:16Z"},
                       {"updated_at", "2026-11-26T11:44:16Z"}};
  auto record = [](const std::string& method, const std::string& path, int status,
                   const std::string& type, const json& body) {
    return json{{"method", method},
                {"path", path},
                {"status", status},
                {"content_type", type},
                {"body", body}};
  };
  auto check = [&](const std::vector<json>& records) {
    const std::string path = dir / "drift.jsonl";
    std::ofstream out(path);
    for (const json& line : records) {
      out << line.dump() << '\n';
    }
    out.close();
    return checkResponses(path);
  };

  CommandResult good = check({record("GET", "/api/v1/tenants/7", 200, "application/json", tenant)});
  CHECK_MESSAGE(good.exit_code == 0, good.output);

  json string_id = tenant;
  string_id["id"] = "7";
  json extra = tenant;
  extra["owner"] = "someone";
  CommandResult bad =
      check({record("GET", "/api/v1/tenants/7", 200, "application/json", string_id),
             record("GET", "/api/v1/tenants/7", 418, "application/json", tenant),
             record("GET", "/api/v1/tenants/7?x=1", 200, "application/json", extra),
             record("GET", "/api/v1/tenants/7", 200, "text/html", tenant),
             record("GET", "/api/v1/no-such-route", 200, "application/json", tenant)});
  CHECK(bad.exit_code != 0);
  CHECK_MESSAGE(bad.output.find("FAIL GET /api/v1/tenants/7 200: body/id must be integer") !=
                    std::string::npos,
                bad.output);
  CHECK_MESSAGE(bad.output.find("FAIL GET /api/v1/tenants/7 418: status 418 is not documented") !=
                    std::string::npos,
                bad.output);
  CHECK_MESSAGE(bad.output.find("(owner)") != std::string::npos, bad.output);
  CHECK_MESSAGE(bad.output.find("content type \"text/html\"") != std::string::npos, bad.output);
  CHECK_MESSAGE(
      bad.output.find("no path of the spec matches /api/v1/no-such-route") != std::string::npos,
      bad.output);
  CHECK_MESSAGE(bad.output.find("checked 5 responses against") != std::string::npos, bad.output);
  CHECK_MESSAGE(bad.output.find(": 5 failed") != std::string::npos, bad.output);
}

}  // namespace
}  // namespace vantus::testing
