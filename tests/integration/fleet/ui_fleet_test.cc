// The web UI on a real fleet: a controller, one edge node (vantus-agent + its nginx) and an
// upstream on loopback, driven only through the UI's forms (a cookie jar, no JavaScript):
// deploy -> the deployment's node table says applied -> the edge answers with the header ->
// change it -> deploy -> the edge answers with the new one -> roll back with the button -> the
// edge answers with the old one again. Its own fleet, so it runs alone and in any order.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "tests/integration/fleet/fleet_fixture.h"
#include "tests/support/browser_session.h"
#include "tests/support/temp_dir.h"

namespace vantus::fleet_test {
namespace {

using testing::BrowserSession;
using testing::FormList;

std::string submit(BrowserSession& browser, const std::string& path, const FormList& fields) {
  auto result = browser.post(path, fields);
  REQUIRE(result);
  INFO(path, " answered ", result->status, ": ", result->body);
  REQUIRE(result->status == 303);
  return result->get_header_value("Location");
}

// The state the deployment page's live table reports for `node`, "" while it has none.
std::string nodeState(BrowserSession& browser, const std::string& deployment,
                      const std::string& node) {
  auto answer = browser.get(deployment + "/nodes");
  if (!answer || answer->status != 200) {
    return "";
  }
  const nlohmann::json rows = nlohmann::json::parse(answer->body, nullptr, false);
  if (rows.is_discarded()) {
    return "";
  }
  for (const nlohmann::json& row : rows["nodes"]) {
    if (row["node"] == node) {
      return row["state"].get<std::string>();
    }
  }
  return "";
}

std::string headerServed(Fleet& fleet, const std::string& node) {
  Reply reply = getVia(fleet.httpPort(node), "www.webui.test");
  auto header = reply.headers.find("X-Rev");
  if (reply.status != 200 || header == reply.headers.end()) {
    return "";
  }
  return header->second;
}

void setRevision(BrowserSession& browser, const std::string& tenant, const std::string& value) {
  REQUIRE(browser.get(tenant + "/policy"));
  submit(browser, tenant + "/policy", {{"header_name", "X-Rev"}, {"header_value", value}});
}

TEST_CASE("the web UI deploys to a real edge, follows its node and rolls it back") {
  Fleet fleet;
  const std::string node = "webui-1";
  BrowserSession browser(fleet.controllerPort());
  const std::string link = fleet.cli("user reset-link --email admin@vantus.local");
  const size_t at = link.find("/reset/");
  REQUIRE(at != std::string::npos);
  const std::string reset = link.substr(at, 7 + 43);
  REQUIRE(browser.get(reset));
  REQUIRE(browser.post(reset, {{"new_password", "the fleet test's password"}}, false)->status ==
          303);
  browser.signIn("admin@vantus.local", "the fleet test's password");

  REQUIRE(browser.get("/edges"));
  submit(browser, "/edges/clusters", {{"name", "webui"}});
  fleet.addNode({.cluster = "webui", .name = node});
  REQUIRE(browser.get("/tenants/new"));
  const std::string tenant = submit(browser, "/tenants", {{"slug", "webui"}, {"name", "Web UI"}});
  submit(browser, tenant + "/domains", {{"name", "www.webui.test"}});
  submit(browser, tenant + "/upstreams",
         {{"pool_name", "web"},
          {"host", "127.0.0.1"},
          {"port", std::to_string(fleet.upstream().port())}});
  setRevision(browser, tenant, "1");
  auto clusters = browser.get(tenant + "/clusters");
  REQUIRE(clusters);
  const size_t label = clusters->body.find("> webui</label>");
  REQUIRE(label != std::string::npos);
  const size_t value = clusters->body.rfind("value=\"", label);
  const std::string cluster_id =
      clusters->body.substr(value + 7, clusters->body.find('"', value + 7) - value - 7);
  submit(browser, tenant + "/clusters", {{"cluster", cluster_id}});

  REQUIRE(browser.get(tenant + "/preview"));
  const std::string first = submit(browser, tenant + "/deployments", {{"message", "first"}});
  REQUIRE_MESSAGE(waitUntil([&] { return nodeState(browser, first, node) == "applied"; }),
                  slurp(fleet.agentLog(node)));
  CHECK(waitUntil([&] { return headerServed(fleet, node) == "1"; }));
  auto first_page = browser.get(first);
  REQUIRE(first_page);
  CHECK(first_page->body.find("state-applied\">applied</span>") != std::string::npos);
  CHECK(first_page->body.find("<td>signature verified</td>") != std::string::npos);
  const std::string overview = browser.get(tenant)->body;
  CHECK(overview.find("<td>" + node +
                      "</td><td>version 1</td><td><span class=\"badge state-applied\">") !=
        std::string::npos);

  setRevision(browser, tenant, "2");
  REQUIRE(browser.get(tenant + "/preview"));
  const std::string second = submit(browser, tenant + "/deployments", {{"message", "second"}});
  REQUIRE(waitUntil([&] { return nodeState(browser, second, node) == "applied"; }));
  CHECK(waitUntil([&] { return headerServed(fleet, node) == "2"; }));

  REQUIRE(browser.get(first + "/rollback"));
  const std::string rolled = submit(browser, first + "/rollback", {});
  CHECK(rolled != first);
  REQUIRE(waitUntil([&] { return nodeState(browser, rolled, node) == "applied"; }));
  CHECK(waitUntil([&] { return headerServed(fleet, node) == "1"; }));

  // The edges page lists the node online and drains it.
  auto edges = browser.get("/edges");
  REQUIRE(edges);
  CHECK(edges->body.find("state-online\">online</span>") != std::string::npos);
  const std::string marker = "action=\"/edges/clusters/" + cluster_id + "/nodes/";
  const size_t form = edges->body.find(marker);
  REQUIRE(form != std::string::npos);
  const std::string node_path =
      edges->body.substr(form + 8, edges->body.find('"', form + marker.size()) - form - 8);
  auto node_page = browser.get(node_path);
  REQUIRE(node_page);
  CHECK(node_page->status == 200);
  CHECK(node_page->body.find("<dt>Drift</dt><dd>none:") != std::string::npos);
  CHECK(node_page->body.find("BEGIN PUBLIC KEY") != std::string::npos);
  // Three releases applied, three signed receipts checked again.
  auto count = [](const std::string& text, const std::string& what) {
    size_t found = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
      ++found;
    }
    return found;
  };
  CHECK(count(node_page->body, "state-applied\">signature verified</span>") == 3);
  // A receipt row edited in the database no longer matches what the node signed.
  const auto edited = testing::runCommand(fmt::format(
      "sqlite3 {} \"UPDATE node_receipts SET reason = 'edited' WHERE id = (SELECT min(id) FROM "
      "node_receipts)\"",
      (fleet.stateDir() / "vantus.db").string()));
  REQUIRE_MESSAGE(edited.exit_code == 0, edited.output);
  node_page = browser.get(node_path);
  REQUIRE(node_page);
  CHECK(count(node_page->body, "state-applied\">signature verified</span>") == 2);
  CHECK(count(node_page->body, "the stored row differs from what the node signed") == 1);
  // Renamed on its page; a name outside the grammar is refused beside the field.
  auto refused = browser.post(node_path, {{"name", "Bad Name;"}});
  REQUIRE(refused);
  CHECK(refused->status == 400);
  CHECK(refused->body.find("value=\"Bad Name;\"") != std::string::npos);
  CHECK(submit(browser, node_path, {{"name", "webui-renamed"}}) == node_path);
  CHECK(browser.get("/edges")->body.find(">webui-renamed</a>") != std::string::npos);
  CHECK(submit(browser, node_path, {{"name", node}}) == node_path);
  CHECK(submit(browser, node_path, {{"drained", "yes"}}) == "/edges");
  CHECK(browser.get("/edges")->body.find(">drained</span>") != std::string::npos);
  fleet.removeNode(node);
}

}  // namespace
}  // namespace vantus::fleet_test
