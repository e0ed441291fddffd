// The newcomer's tour through the real vantus-controller binary's web UI over loopback, with a
// cookie jar and no JavaScript: sign in -> create a tenant -> domain -> pool -> header -> a
// cluster and the assignment -> preview -> deploy -> change the header -> deploy -> the diff
// -> roll back with the confirmation page. The signed history in git must show all three.
#include <doctest/doctest.h>
#include <httplib.h>
#include <signal.h>

#include <sstream>

#include "tests/support/browser_session.h"
#include "tests/support/processes.h"
#include "tests/support/temp_dir.h"

namespace vantus::testing {
namespace {

const std::string kBinary = std::string(VANTUS_BINARY_DIR) + "/vantus-controller";

std::string valueAfter(const std::string& text, const std::string& label) {
  const size_t at = text.find(label);
  REQUIRE(at != std::string::npos);
  std::istringstream rest(text.substr(at + label.size()));
  std::string value;
  rest >> value;
  return value;
}

// `html` without its tags (the highlighting spans of a diff line).
std::string withoutTags(const std::string& html) {
  std::string text;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') {
      in_tag = true;
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      text += c;
    }
  }
  return text;
}

// Whether a diff row of `kind` (add, del, ctx) holds `text` (HTML-escaped, without tags).
bool diffHas(const std::string& html, const std::string& kind, const std::string& text) {
  const std::string opening = "<tr class=\"" + kind + "\">";
  for (size_t at = html.find(opening); at != std::string::npos; at = html.find(opening, at + 1)) {
    const std::string row = withoutTags(html.substr(at, html.find("</tr>", at) - at));
    if (row.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// Posts a form and expects the redirect; returns where it leads.
std::string submit(BrowserSession& browser, const std::string& path, const FormList& fields) {
  auto result = browser.post(path, fields);
  REQUIRE(result);
  INFO(path, " answered ", result->status, ": ", result->body);
  REQUIRE(result->status == 303);
  return result->get_header_value("Location");
}

std::string page(BrowserSession& browser, const std::string& path) {
  auto result = browser.get(path);
  REQUIRE(result);
  INFO(path, ": ", result->body);
  REQUIRE(result->status == 200);
  return result->body;
}

TEST_CASE("the tour: sign in, create, deploy, change, diff and roll back in the browser's way") {
  TempDir root;
  const std::string state = (root.path() / "state").string();
  auto init = runCommand(kBinary + " init --state-dir " + state);
  REQUIRE_MESSAGE(init.exit_code == 0, init.output);
  const std::string email = valueAfter(init.output, "admin login:");
  const std::string password = valueAfter(init.output, "admin password:");
  const int port = freePort();
  Child controller(
      {kBinary, "serve", "--state-dir", state, "--listen", "127.0.0.1:" + std::to_string(port)},
      root.path() / "controller.log");
  REQUIRE_MESSAGE(waitUntil([&] {
                    httplib::Client client("127.0.0.1", port);
                    auto health = client.Get("/healthz");
                    return health && health->status == 200;
                  }),
                  slurp(root.path() / "controller.log"));

  BrowserSession browser(port);
  // The API and the health routes are untouched by the UI's routes.
  auto api = browser.get("/api/v1/tenants");
  REQUIRE(api);
  CHECK(api->status == 401);
  auto start = browser.get("/");
  REQUIRE(start);
  CHECK(start->status == 303);
  CHECK(start->get_header_value("Location") == "/login?next=/");
  CHECK(page(browser, "/login").find(">Sign in</button>") != std::string::npos);
  CHECK(browser.signIn(email, password, "/tenants") == "/tenants");
  CHECK_FALSE(browser.cookie("vantus_session").empty());

  page(browser, "/tenants/new");
  const std::string tenant = submit(browser, "/tenants", {{"slug", "acme"}, {"name", "Acme"}});
  REQUIRE(tenant.starts_with("/tenants/"));
  CHECK(page(browser, tenant).find("Acme") != std::string::npos);

  CHECK(submit(browser, tenant + "/domains", {{"name", "www.acme.example"}}) ==
        tenant + "/domains");
  auto bad_domain = browser.post(tenant + "/domains", {{"name", "a.com;include /etc/passwd"}});
  REQUIRE(bad_domain);
  CHECK(bad_domain->status == 400);
  CHECK(bad_domain->body.find("value=\"a.com;include /etc/passwd\"") != std::string::npos);
  CHECK(submit(browser, tenant + "/upstreams",
               {{"pool_name", "web"}, {"host", "127.0.0.1"}, {"port", "18081"}}) ==
        tenant + "/upstreams");
  auto bad_port = browser.post(tenant + "/upstreams",
                               {{"pool_name", "web"}, {"host", "127.0.0.1"}, {"port", "70000"}});
  REQUIRE(bad_port);
  CHECK(bad_port->status == 400);
  CHECK(bad_port->body.find("value=\"70000\"") != std::string::npos);
  submit(browser, tenant + "/policy",
         {{"header_name", "X-Tour"},
          {"header_value", "first"},
          {"rps", "50"},
          {"burst", "100"},
          {"allowlist", "10.0.0.0/8"},
          {"compression", "on"}});

  page(browser, "/edges");
  CHECK(submit(browser, "/edges/clusters", {{"name", "edge-a"}}) == "/edges");
  CHECK(page(browser, tenant + "/clusters").find("edge-a") != std::string::npos);
  submit(browser, tenant + "/clusters", {{"cluster", "1"}});

  const std::string preview = page(browser, tenant + "/preview");
  CHECK(diffHas(preview, "add", "+    add_header &quot;X-Tour&quot; &quot;first&quot;"));
  CHECK(preview.find("10.0.0.0/8") != std::string::npos);
  CHECK(preview.find(">Deploy</button>") != std::string::npos);
  const std::string first = submit(browser, tenant + "/deployments", {{"message", "first"}});
  CHECK(first == tenant + "/deployments/1");
  const std::string first_page = page(browser, first);
  CHECK(first_page.find("edge-a: version 1") != std::string::npos);
  CHECK(first_page.find("Roll back to this deployment") != std::string::npos);

  submit(browser, tenant + "/policy",
         {{"header_name", "X-Tour"},
          {"header_value", "second"},
          {"rps", "50"},
          {"burst", "100"},
          {"allowlist", "10.0.0.0/8"},
          {"compression", "on"}});
  const std::string second = submit(browser, tenant + "/deployments", {{"message", "second"}});
  CHECK(second == tenant + "/deployments/2");
  const std::string diff = page(browser, second);
  CHECK(diffHas(diff, "del", "-    add_header &quot;X-Tour&quot; &quot;first&quot;"));
  CHECK(diffHas(diff, "add", "+    add_header &quot;X-Tour&quot; &quot;second&quot;"));
  CHECK_FALSE(diffHas(diff, "add", "first"));

  CHECK(page(browser, first + "/rollback").find(">Confirm rollback</button>") != std::string::npos);
  const std::string rolled = submit(browser, first + "/rollback", {});
  CHECK(rolled == tenant + "/deployments/3");
  const std::string rolled_page = page(browser, rolled);
  CHECK(rolled_page.find("rollback") != std::string::npos);
  CHECK(rolled_page.find("deployment 1</a>") != std::string::npos);
  CHECK(diffHas(rolled_page, "add", "+    add_header &quot;X-Tour&quot; &quot;first&quot;"));
  // Any two deployments compare: 3 (= 1) against 1 changes no file.
  const std::string same = page(browser, rolled + "?against=1");
  CHECK(same.find("Against deployment 1.") != std::string::npos);
  CHECK(same.find("No file changed.") != std::string::npos);
  CHECK(same.find("<option value=\"1\" selected>") != std::string::npos);
  const std::string history = page(browser, tenant + "/deployments");
  for (const char* message : {"first", "second", "rollback to deployment 1"}) {
    CHECK_MESSAGE(history.find(message) != std::string::npos, message);
  }
  // Nothing is left to deploy: the drafts are what deployment 3 (= 1) deployed.
  CHECK(page(browser, tenant + "/preview").find("Nothing would change") != std::string::npos);

  auto log = runCommand("git -C " + state + "/config.git log --format=%s%n%b");
  REQUIRE(log.exit_code == 0);
  CHECK(log.output.find("Vantus-Deployment: 3") != std::string::npos);
  CHECK(log.output.find("Vantus-Actor: user:" + email) != std::string::npos);

  CHECK(submit(browser, "/logout", {}) == "/login");
  CHECK(browser.get("/")->status == 303);

  // A forgotten password: the operator prints a one-time link, the user sets a new password.
  auto link = runCommand(kBinary + " user reset-link --email " + email + " --state-dir " + state);
  REQUIRE_MESSAGE(link.exit_code == 0, link.output);
  const size_t at = link.output.find("/reset/");
  REQUIRE(at != std::string::npos);
  const std::string reset = link.output.substr(at, 7 + 43);
  CHECK(page(browser, reset).find(">Set password</button>") != std::string::npos);
  auto set = browser.post(reset, {{"new_password", "a password I chose"}}, false);
  REQUIRE(set);
  CHECK(set->status == 303);
  CHECK(browser.signIn(email, "a password I chose") == "/");
  CHECK(controller.stop(SIGTERM) == 0);
}

}  // namespace
}  // namespace vantus::testing
