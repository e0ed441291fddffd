#include <doctest/doctest.h>

// probeNamesOf(): which Host names the prober asks for after a reload.
#include <string>
#include <utility>
#include <vector>

#include "agent/apply/edge_prober.h"

namespace vantus::agent {
namespace {

using Files = std::vector<std::pair<std::string, std::string>>;
using Names = std::vector<std::string>;

TEST_CASE("every server_name of the tenant files, in file order, each once") {
  const Files files = {
      {"nginx.conf", "http {\n    server {\n        server_name _;\n    }\n}\n"},
      {"tenants/acme/acme.conf",
       "server {\n    server_name www.acme.test acme.test;\n}\n"
       "server {\n    server_name www.acme.test;\n}\n"},
      {"snippets/other.conf", "server {\n    server_name snippet.test;\n}\n"},
      {"tenants/beta/beta.conf", "server {\n    server_name beta.test acme.test;\n}\n"}};
  CHECK(probeNamesOf(files) == Names{"www.acme.test", "acme.test", "beta.test"});
}

TEST_CASE("wildcards are probed through a fixed label; catch-alls and regexes are skipped") {
  const Files files = {
      {"tenants/a/a.conf",
       "server {\n    server_name *.shop.test shop.test _ ~^(?<sub>.+)\\.regex\\.test$;\n}\n"}};
  CHECK(probeNamesOf(files) == Names{"vantus-probe.shop.test", "shop.test"});
}

TEST_CASE("no tenant files, no names") {
  CHECK(probeNamesOf({}).empty());
  CHECK(probeNamesOf({{"nginx.conf", "server { server_name only.main.test; }\n"}}).empty());
  CHECK(probeNamesOf({{"tenants/a.txt", "server { server_name not.conf.test; }\n"}}).empty());
}

}  // namespace
}  // namespace vantus::agent
