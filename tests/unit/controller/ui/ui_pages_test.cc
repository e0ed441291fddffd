// The UI's pages over HTTP: headers, CSRF, escaping, sign-in, session expiry, sign-out and
// what a viewer sees.
#include "tests/unit/controller/ui/ui_server.h"

namespace vantus::controller {
namespace {

TEST_CASE("every UI answer carries the security headers; assets are immutable by hash") {
  UiServer server;
  BrowserSession browser(server.port());
  auto login = browser.get("/login");
  REQUIRE(login);
  CHECK(login->status == 200);
  checkSecurityHeaders(*login);
  CHECK(login->get_header_value("Cache-Control") == "no-store");
  CHECK(login->body.find("<script>") == std::string::npos);  // no inline script
  CHECK(login->body.find("style=") == std::string::npos);    // no inline style
  CHECK(login->body.find(server.assets().css().url) != std::string::npos);

  auto css = browser.get(server.assets().css().url);
  REQUIRE(css);
  CHECK(css->status == 200);
  CHECK(css->get_header_value("Cache-Control") == "public, max-age=31536000, immutable");
  CHECK(css->get_header_value("Content-Type").starts_with("text/css"));
  checkSecurityHeaders(*css);
  auto stale = browser.get("/static/vantus.000000000000.css");
  REQUIRE(stale);
  CHECK(stale->status == 404);

  browser.signIn(kAdmin, server.admin_password);
  auto missing = browser.get("/tenants/999");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  checkSecurityHeaders(*missing);
  CHECK(missing->get_header_value("Cache-Control") == "no-store");
  CHECK(missing->body.find("Not found") != std::string::npos);
}

TEST_CASE(
    "a POST without the session's CSRF token, or from another origin, is 403 and changes "
    "nothing") {
  UiServer server;
  BrowserSession browser(server.port());
  browser.signIn(kAdmin, server.admin_password);
  REQUIRE(browser.get("/tenants/new"));
  REQUIRE_FALSE(browser.csrf().empty());
  const FormList tenant = {{"slug", "acme"}, {"name", "Acme"}};

  auto without = browser.post("/tenants", tenant, /*with_csrf=*/false);
  REQUIRE(without);
  CHECK(without->status == 403);
  auto wrong =
      browser.post("/tenants", {{"csrf", "not-the-token"}, {"slug", "acme"}, {"name", "A"}},
                   /*with_csrf=*/false);
  REQUIRE(wrong);
  CHECK(wrong->status == 403);
  auto foreign = browser.post("/tenants", tenant, true, {{"Origin", "http://evil.example"}});
  REQUIRE(foreign);
  CHECK(foreign->status == 403);
  auto cross_site = browser.post("/tenants", tenant, true, {{"Sec-Fetch-Site", "cross-site"}});
  REQUIRE(cross_site);
  CHECK(cross_site->status == 403);
  checkSecurityHeaders(*cross_site);
  CHECK(server.tenantCount() == 0);

  // Another session's token is no good either.
  BrowserSession other(server.port());
  other.signIn(kAdmin, server.admin_password);
  REQUIRE(other.get("/tenants/new"));
  auto borrowed =
      browser.post("/tenants", {{"csrf", other.csrf()}, {"slug", "acme"}, {"name", "A"}},
                   /*with_csrf=*/false);
  REQUIRE(borrowed);
  CHECK(borrowed->status == 403);
  CHECK(server.tenantCount() == 0);

  auto good = browser.post("/tenants", tenant);
  REQUIRE(good);
  CHECK(good->status == 303);
  CHECK(server.tenantCount() == 1);
}

TEST_CASE("markup, quotes and template braces in shown fields come out as text") {
  UiServer server;
  BrowserSession browser(server.port());
  browser.signIn(kAdmin, server.admin_password);
  const std::string hostile = "<script>alert(\"x\")</script> '{{CSRF}}' & <img src=x>";
  const Id tenant_id = createTenant(browser, "acme", hostile);
  const std::string escaped =
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#39;{{CSRF}}&#39; &amp; &lt;img "
      "src=x&gt;";
  for (const std::string& path :
       std::vector<std::string>{"/tenants", "/", "/tenants/" + std::to_string(tenant_id)}) {
    CAPTURE(path);
    auto page = browser.get(path);
    REQUIRE(page);
    REQUIRE(page->status == 200);
    CHECK(page->body.find(escaped) != std::string::npos);
    CHECK(page->body.find("<script>alert") == std::string::npos);
    CHECK(page->body.find("<img src=x>") == std::string::npos);
  }

  // A refused value is shown back in its field, escaped, with the reason.
  auto refused = browser.post("/tenants/" + std::to_string(tenant_id) + "/domains",
                              {{"name", "\"><script>alert(1)</script>{{X}}"}});
  REQUIRE(refused);
  CHECK(refused->status == 400);
  CHECK(refused->body.find("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{X}}\"") !=
        std::string::npos);
  CHECK(refused->body.find("<script>alert(1)") == std::string::npos);
  CHECK(refused->body.find("class=\"form-error\"") != std::string::npos);

  // Free text that reaches a table (the deployment message) is escaped as well.
  REQUIRE(browser.post("/tenants/" + std::to_string(tenant_id) + "/policy",
                       {{"header_name", "X-Test"}, {"header_value", "<b>bold</b> 'q'"}}));
  auto policy = browser.get("/tenants/" + std::to_string(tenant_id) + "/policy");
  REQUIRE(policy);
  CHECK(policy->body.find("value=\"&lt;b&gt;bold&lt;/b&gt; &#39;q&#39;\"") != std::string::npos);
}

TEST_CASE("sign-in: one answer for a wrong password and an unknown email; next stays on site") {
  UiServer server;
  BrowserSession browser(server.port());
  REQUIRE(browser.get("/login"));
  auto wrong = browser.post("/login", {{"email", kAdmin}, {"password", "nope"}}, false);
  auto unknown =
      browser.post("/login", {{"email", "who@example.com"}, {"password", "nope"}}, false);
  REQUIRE(wrong);
  REQUIRE(unknown);
  CHECK(wrong->status == 401);
  CHECK(unknown->status == 401);
  CHECK(wrong->body.find("The email or the password is wrong.") != std::string::npos);
  CHECK(unknown->body.find("The email or the password is wrong.") != std::string::npos);
  CHECK(browser.cookie("vantus_session").empty());

  CHECK(browser.signIn(kAdmin, server.admin_password, "//evil.example/") == "/");
  const std::string first = browser.cookie("vantus_session");
  CHECK(first.size() == 43);
  // A new sign-in is a new id.
  CHECK(browser.signIn(kAdmin, server.admin_password, "/tenants") == "/tenants");
  CHECK(browser.cookie("vantus_session") != first);
}

TEST_CASE("an expired session lands on /login and returns to its page after sign-in") {
  UiServer server;
  BrowserSession browser(server.port());
  browser.signIn(kAdmin, server.admin_password);
  const Id tenant_id = createTenant(browser, "acme", "Acme");
  const std::string page = "/tenants/" + std::to_string(tenant_id) + "/domains";
  REQUIRE(browser.get(page)->status == 200);
  server.now += 31 * 60;
  auto expired = browser.get(page);
  REQUIRE(expired);
  CHECK(expired->status == 303);
  CHECK(expired->get_header_value("Location") == "/login?next=/tenants/1/domains");
  auto login = browser.get(expired->get_header_value("Location"));
  REQUIRE(login);
  CHECK(login->body.find("value=\"/tenants/1/domains\"") != std::string::npos);
  CHECK(browser.signIn(kAdmin, server.admin_password, page) == page);
  CHECK(browser.get(page)->status == 200);
}

TEST_CASE("sign-out ends the session on the server, not just in the browser") {
  UiServer server;
  BrowserSession browser(server.port());
  browser.signIn(kAdmin, server.admin_password);
  const std::string cookie = browser.cookie("vantus_session");
  REQUIRE(browser.get("/"));
  auto out = browser.post("/logout", {});
  REQUIRE(out);
  CHECK(out->status == 303);
  CHECK(browser.cookie("vantus_session").empty());
  BrowserSession replay(server.port());
  replay.setCookie("vantus_session", cookie);
  auto after = replay.get("/");
  REQUIRE(after);
  CHECK(after->status == 303);
  CHECK(after->get_header_value("Location").starts_with("/login"));
}

TEST_CASE("sign out everywhere ends every session of the user") {
  UiServer server;
  BrowserSession laptop(server.port());
  BrowserSession phone(server.port());
  laptop.signIn(kAdmin, server.admin_password);
  phone.signIn(kAdmin, server.admin_password);
  auto security = laptop.get("/settings/security");
  REQUIRE(security);
  CHECK(security->body.find("this one") != std::string::npos);
  REQUIRE(laptop.post("/settings/security/sign-out-everywhere", {})->status == 303);
  CHECK(phone.get("/")->status == 303);
  CHECK(laptop.get("/")->status == 303);
}

TEST_CASE(
    "a viewer reads the tenant, is refused a write with a clear page, and cannot see "
    "other tenants") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const Id mine = createTenant(admin, "acme", "Acme");
  const Id theirs = createTenant(admin, "other", "Other");
  server.addUser("viewer@example.com", "viewer password 1", mine, TenantRole::kViewer);

  BrowserSession viewer(server.port());
  viewer.signIn("viewer@example.com", "viewer password 1");
  auto tenants = viewer.get("/tenants");
  REQUIRE(tenants);
  CHECK(tenants->body.find("Acme") != std::string::npos);
  CHECK(tenants->body.find("Other") == std::string::npos);
  CHECK(viewer.get("/tenants/" + std::to_string(mine))->status == 200);
  auto hidden = viewer.get("/tenants/" + std::to_string(theirs));
  auto absent = viewer.get("/tenants/9999");
  REQUIRE(hidden);
  REQUIRE(absent);
  CHECK(hidden->status == 404);
  std::string hidden_body = hidden->body;
  const std::string hidden_id = "tenant " + std::to_string(theirs) + " ";
  REQUIRE(hidden_body.find(hidden_id) != std::string::npos);
  hidden_body.replace(hidden_body.find(hidden_id), hidden_id.size(), "tenant 9999 ");
  CHECK(hidden_body == absent->body);

  // No control the role cannot use is shown.
  const std::string base = "/tenants/" + std::to_string(mine);
  REQUIRE(admin.post(base + "/domains", {{"name", "www.acme.example"}})->status == 303);
  REQUIRE(admin
              .post(base + "/upstreams",
                    {{"pool_name", "web"}, {"host", "127.0.0.1"}, {"port", "8080"}})
              ->status == 303);
  REQUIRE(admin.post("/edges/clusters", {{"name", "edge-a"}})->status == 303);
  REQUIRE(admin.post(base + "/clusters", {{"cluster", "1"}})->status == 303);
  struct Control {
    std::string path;
    std::string admin_sees;
  };
  for (const Control& control : std::vector<Control>{
           {base + "/domains", ">Add domain</button>"},
           {base + "/domains", ">Remove</button>"},
           {base + "/upstreams", ">Save pool</button>"},
           {base + "/upstreams", ">Delete pool</button>"},
           {base + "/policy", ">Save policy</button>"},
           {base + "/clusters", ">Save assignments</button>"},
           {base + "/preview", ">Deploy</button>"},
           {"/tenants", "New tenant"},
           {"/", "href=\"/edges\""},
       }) {
    CAPTURE(control.path);
    CAPTURE(control.admin_sees);
    auto as_admin = admin.get(control.path);
    auto as_viewer = viewer.get(control.path);
    REQUIRE(as_admin);
    REQUIRE(as_viewer);
    CHECK(as_admin->body.find(control.admin_sees) != std::string::npos);
    CHECK(as_viewer->status == 200);
    CHECK(as_viewer->body.find(control.admin_sees) == std::string::npos);
  }

  auto edges = viewer.get("/edges");
  REQUIRE(edges);
  CHECK(edges->status == 403);

  REQUIRE(viewer.get("/tenants/" + std::to_string(mine) + "/domains"));
  auto write =
      viewer.post("/tenants/" + std::to_string(mine) + "/domains", {{"name", "www.acme.example"}});
  REQUIRE(write);
  CHECK(write->status == 403);
  CHECK(write->body.find("You lack the right to do this") != std::string::npos);
  auto domains = server.app().model().domains(localOperator(Actor{}), mine);
  REQUIRE(domains);
  CHECK(domains->size() == 1);
}

}  // namespace
}  // namespace vantus::controller
