// The UI's routes in-process on loopback, over a real state dir (SQLite, git, templates), with
// a session clock the tests move.
#include <doctest/doctest.h>

#include <ctime>

#include "controller/app/controller_app.h"
#include "controller/app/init_state_dir.h"
#include "controller/auth/password.h"
#include "controller/server/http_server.h"
#include "controller/store/store_access.h"
#include "controller/ui/page_renderer.h"
#include "controller/ui/static_assets.h"
#include "controller/ui/ui_routes.h"
#include "tests/support/browser_session.h"
#include "tests/support/temp_dir.h"

namespace vantus::controller {
namespace {

using testing::BrowserSession;
using testing::FormList;

constexpr const char* kAdmin = "admin@example.com";

class UiServer {
 public:
  UiServer() {
    const std::filesystem::path state = root_.path() / "state";
    auto report = initStateDir(state, VANTUS_SOURCE_DIR, kAdmin);
    REQUIRE(report);
    admin_password = report->admin_password;
    auto app = ControllerApp::open(state, VANTUS_SOURCE_DIR);
    REQUIRE(app);
    app_ = std::move(*app);
    const std::filesystem::path templates =
        std::filesystem::path(VANTUS_SOURCE_DIR) / "templates/ui";
    auto pages = ui::PageRenderer::load(templates);
    REQUIRE(pages);
    pages_ = std::move(*pages);
    auto assets = ui::StaticAssets::load(templates / "static");
    REQUIRE(assets);
    assets_ = std::make_unique<ui::StaticAssets>(std::move(*assets));
    sessions_ =
        std::make_unique<SessionService>(app_->store(), SessionSettings{}, [this] { return now; });
    services_ = std::make_unique<UiServices>(
        UiServices{app_->model(), app_->deployments(), app_->fleet(), *sessions_, app_->users(),
                   app_->audit(), app_->tokens(), *pages_, *assets_, false});
    services_->key_fingerprint = app_->signingKey().publicKey().fingerprint();
    auto server = HttpServer::bind(HostPort{"127.0.0.1", 0});
    REQUIRE(server);
    server_ = std::move(*server);
    addUiRoutes(server_->routes(), *services_);
    server_->start();
  }
  ~UiServer() { server_->stop(); }

  int port() const { return server_->port(); }
  ControllerApp& app() { return *app_; }
  const ui::StaticAssets& assets() const { return *assets_; }

  // A user with a password and `role` on `tenant_id` (0: a member of no tenant).
  void addUser(const std::string& email, const std::string& password, Id tenant_id,
               TenantRole role) {
    auto hash = hashPassword(password);
    REQUIRE(hash);
    REQUIRE(app_->store().write([&](Transaction& tx) -> Result<void> {
      User user;
      user.email = email;
      user.password_hash = *hash;
      VANTUS_TRY(User created, tx.insertUser(user));
      if (tenant_id == 0) {
        return ok();
      }
      return tx.putMembership(Membership{created.id, tenant_id, role});
    }));
  }
  std::size_t tenantCount() {
    auto page = app_->model().listTenants(localOperator(Actor{}), 0, 500);
    REQUIRE(page);
    return page->items.size();
  }

  std::string admin_password;
  std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));

 private:
  testing::TempDir root_;
  std::unique_ptr<ControllerApp> app_;
  std::unique_ptr<ui::PageRenderer> pages_;
  std::unique_ptr<ui::StaticAssets> assets_;
  std::unique_ptr<SessionService> sessions_;
  std::unique_ptr<UiServices> services_;
  std::unique_ptr<HttpServer> server_;
};

void checkSecurityHeaders(const httplib::Response& response) {
  CHECK(response.get_header_value("Content-Security-Policy").find("script-src 'self'") !=
        std::string::npos);
  CHECK(response.get_header_value("X-Frame-Options") == "DENY");
  CHECK(response.get_header_value("Referrer-Policy") == "same-origin");
  CHECK(response.get_header_value("X-Content-Type-Options") == "nosniff");
}

Id createTenant(BrowserSession& browser, const std::string& slug, const std::string& name) {
  REQUIRE(browser.get("/tenants/new"));
  auto created = browser.post("/tenants", {{"slug", slug}, {"name", name}});
  REQUIRE(created);
  REQUIRE_MESSAGE(created->status == 303, created->body);
  const std::string location = created->get_header_value("Location");
  REQUIRE(location.starts_with("/tenants/"));
  return std::stoll(location.substr(9));
}

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

namespace vantus::controller {
namespace {

TEST_CASE("a deployment's node states are JSON for the live table, behind the session") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const Id tenant_id = createTenant(admin, "acme", "Acme");
  const std::string base = "/tenants/" + std::to_string(tenant_id);
  REQUIRE(admin.post(base + "/domains", {{"name", "www.acme.example"}})->status == 303);
  REQUIRE(admin
              .post(base + "/upstreams",
                    {{"pool_name", "web"}, {"host", "127.0.0.1"}, {"port", "8080"}})
              ->status == 303);
  REQUIRE(admin.post("/edges/clusters", {{"name", "edge-a"}})->status == 303);
  REQUIRE(admin.post(base + "/clusters", {{"cluster", "1"}})->status == 303);
  REQUIRE(admin.get(base + "/preview"));
  auto deployed = admin.post(base + "/deployments", {{"message", "first"}});
  REQUIRE(deployed);
  REQUIRE_MESSAGE(deployed->status == 303, deployed->body);
  const std::string deployment = deployed->get_header_value("Location");
  CHECK(admin.get(deployment)->body.find("data-live-nodes=\"" + deployment + "/nodes\"") !=
        std::string::npos);

  auto nodes = admin.get(deployment + "/nodes");
  REQUIRE(nodes);
  CHECK(nodes->status == 200);
  CHECK(nodes->get_header_value("Content-Type") == "application/json");
  CHECK(nodes->get_header_value("Cache-Control") == "no-store");
  CHECK(nodes->body == "{\"nodes\":[]}");

  BrowserSession stranger(server.port());
  auto signed_out = stranger.get(deployment + "/nodes");
  REQUIRE(signed_out);
  CHECK(signed_out->status == 303);
  auto other_tenant = admin.get("/tenants/999/deployments/1/nodes");
  REQUIRE(other_tenant);
  CHECK(other_tenant->status == 404);
}

}  // namespace
}  // namespace vantus::controller

namespace vantus::controller {
namespace {

TEST_CASE("the security page changes the password: other sessions end, this browser stays") {
  UiServer server;
  BrowserSession laptop(server.port());
  BrowserSession phone(server.port());
  laptop.signIn(kAdmin, server.admin_password);
  phone.signIn(kAdmin, server.admin_password);
  REQUIRE(laptop.get("/settings/security"));
  auto wrong =
      laptop.post("/settings/security/password",
                  {{"current_password", "guess"}, {"new_password", "a new long password"}});
  REQUIRE(wrong);
  CHECK(wrong->status == 400);
  CHECK(wrong->body.find("the current password is wrong") != std::string::npos);
  CHECK(phone.get("/")->status == 200);

  auto changed = laptop.post(
      "/settings/security/password",
      {{"current_password", server.admin_password}, {"new_password", "a new long password"}});
  REQUIRE(changed);
  CHECK(changed->status == 303);
  CHECK(laptop.get("/settings/security")->status == 200);
  CHECK(phone.get("/")->status == 303);
  BrowserSession again(server.port());
  CHECK(again.signIn(kAdmin, "a new long password") == "/");
}

}  // namespace
}  // namespace vantus::controller

namespace vantus::controller {
namespace {

TEST_CASE("members, settings and the audit log: what an admin can do and a viewer cannot see") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const Id tenant_id = createTenant(admin, "acme", "Acme");
  const std::string base = "/tenants/" + std::to_string(tenant_id);
  server.addUser("viewer@example.com", "viewer password 1", tenant_id, TenantRole::kViewer);

  auto members = admin.get(base + "/members");
  REQUIRE(members);
  CHECK(members->body.find("viewer@example.com") != std::string::npos);
  CHECK(members->body.find(">Save role</button>") != std::string::npos);
  const std::string marker = "action=\"" + base + "/members/";
  const size_t at = members->body.find(marker);
  REQUIRE(at != std::string::npos);
  const std::string user_id = members->body.substr(
      at + marker.size(), members->body.find('"', at + marker.size()) - at - marker.size());
  REQUIRE(admin
              .post(base + "/members/" + user_id,
                    {{"role", "operator"}, {"email", "viewer@example.com"}})
              ->status == 303);
  CHECK(admin.get(base + "/members")->body.find("<td>operator</td>") != std::string::npos);

  // A platform admin adds an existing user by email; an unknown email is a clear 404.
  server.addUser("second@example.com", "second password 1", 0, TenantRole::kViewer);
  REQUIRE(admin.get(base + "/members"));
  CHECK(
      admin.post(base + "/members", {{"email", "second@example.com"}, {"role", "admin"}})->status ==
      303);
  CHECK(admin.get(base + "/members")->body.find("second@example.com") != std::string::npos);
  auto unknown = admin.post(base + "/members", {{"email", "who@example.com"}, {"role", "admin"}});
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(unknown->body.find("create the user on the users page") != std::string::npos);
  REQUIRE(admin.post(base + "/settings", {{"status", "suspended"}})->status == 303);
  CHECK(admin.get(base)->body.find(">suspended</span>") != std::string::npos);

  BrowserSession operator_(server.port());
  operator_.signIn("viewer@example.com", "viewer password 1");
  CHECK(operator_.get(base + "/members")->body.find(">Save role</button>") == std::string::npos);
  const std::string settings = operator_.get(base + "/settings")->body;
  CHECK(settings.find(">Save status</button>") == std::string::npos);
  CHECK(settings.find(">Delete tenant</button>") == std::string::npos);
  CHECK(operator_.post(base + "/settings", {{"status", "active"}})->status == 403);
  CHECK(operator_.get("/audit")->status == 403);
  CHECK(admin.get(base)->body.find(">suspended</span>") != std::string::npos);

  // A hostile sign-in attempt is audited, and the audit page shows it as text.
  BrowserSession attacker(server.port());
  REQUIRE(attacker.get("/login"));
  REQUIRE(attacker.post("/login", {{"email", "<script>x()</script>"}, {"password", "p"}}, false));
  auto audit = admin.get("/audit?action=session.");
  REQUIRE(audit);
  CHECK(audit->status == 200);
  CHECK(audit->body.find("Every row verifies") != std::string::npos);
  CHECK(audit->body.find("session.login_failed") != std::string::npos);
  CHECK(audit->body.find("&lt;script&gt;x()&lt;/script&gt;") != std::string::npos);
  CHECK(audit->body.find("<script>x()") == std::string::npos);
  CHECK(admin.get("/audit?action=tenant.")->body.find("tenant.create") != std::string::npos);

  auto wrong_slug = admin.post(base + "/delete", {{"confirm_slug", "acm"}});
  REQUIRE(wrong_slug);
  CHECK(wrong_slug->status == 400);
  CHECK(server.tenantCount() == 1);
  auto deleted = admin.post(base + "/delete", {{"confirm_slug", "acme"}});
  REQUIRE(deleted);
  CHECK(deleted->status == 303);
  CHECK(server.tenantCount() == 0);
}

}  // namespace
}  // namespace vantus::controller

namespace vantus::controller {
namespace {

TEST_CASE("an API token made on the page is shown once, works, and is revoked from the page") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  REQUIRE(admin.get("/settings/api-tokens"));
  auto created = admin.post("/settings/api-tokens", {{"name", "ci <bot>"},
                                                     {"scope", "tenants:read"},
                                                     {"scope", "config:read"},
                                                     {"expires_days", "7"}});
  REQUIRE(created);
  CHECK(created->status == 200);
  CHECK(created->get_header_value("Cache-Control") == "no-store");
  const std::string marker = "<code class=\"secret\" id=\"new-token\">";
  const size_t at = created->body.find(marker);
  REQUIRE(at != std::string::npos);
  const std::string secret = created->body.substr(
      at + marker.size(), created->body.find('<', at + marker.size()) - at - marker.size());
  CHECK(secret.starts_with("vt_"));
  CHECK(created->body.find("ci &lt;bot&gt;") != std::string::npos);
  auto principal = server.app().tokens().authenticate(
      "Bearer " + secret, "127.0.0.1", static_cast<std::int64_t>(std::time(nullptr)));
  REQUIRE(principal);
  CHECK(principal->token.scopes == std::vector<std::string>{"tenants:read", "config:read"});

  auto listed = admin.get("/settings/api-tokens");
  REQUIRE(listed);
  CHECK(listed->body.find(secret) == std::string::npos);  // never again
  CHECK(listed->body.find("vt_" + principal->token.prefix) != std::string::npos);

  auto no_scope = admin.post("/settings/api-tokens", {{"name", "x"}, {"expires_days", "7"}});
  REQUIRE(no_scope);
  CHECK(no_scope->status == 400);

  REQUIRE(admin.post("/settings/api-tokens/" + std::to_string(principal->token.id) + "/revoke", {})
              ->status == 303);
  CHECK_FALSE(server.app().tokens().authenticate("Bearer " + secret, "127.0.0.1",
                                                 static_cast<std::int64_t>(std::time(nullptr))));
}

}  // namespace
}  // namespace vantus::controller

namespace vantus::controller {
namespace {

TEST_CASE("an enrolment token is shown once with the command to enrol a node") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  REQUIRE(admin.get("/edges"));
  REQUIRE(admin.post("/edges/clusters", {{"name", "edge-a"}})->status == 303);
  auto issued = admin.post("/edges/clusters/1/enrollment-token", {});
  REQUIRE(issued);
  CHECK(issued->status == 200);
  CHECK(issued->get_header_value("Cache-Control") == "no-store");
  const std::string command = "vantus-agent enroll --controller " + admin.origin() + " --token ve_";
  CHECK(issued->body.find(command) != std::string::npos);
  CHECK(issued->body.find("--pin " + server.app().signingKey().publicKey().fingerprint()) !=
        std::string::npos);
  CHECK(admin.get("/edges")->body.find("--token ve_") == std::string::npos);
  auto dashboard = admin.get("/");
  REQUIRE(dashboard);
  CHECK(dashboard->body.find("<h2>Fleet</h2>") != std::string::npos);
}

}  // namespace
}  // namespace vantus::controller

namespace vantus::controller {
namespace {

TEST_CASE("a platform admin creates a user, whose one-time link sets the password") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  REQUIRE(admin.get("/users"));
  auto created = admin.post("/users", {{"email", "new@example.com"}});
  REQUIRE(created);
  CHECK(created->status == 200);
  CHECK(created->get_header_value("Cache-Control") == "no-store");
  const std::string prefix = admin.origin() + "/reset/";
  const size_t at = created->body.find(prefix);
  REQUIRE(at != std::string::npos);
  const std::string path = "/reset/" + created->body.substr(at + prefix.size(), 43);

  BrowserSession newcomer(server.port());
  auto form = newcomer.get(path);
  REQUIRE(form);
  CHECK(form->status == 200);
  CHECK(form->body.find(">Set password</button>") != std::string::npos);
  auto set = newcomer.post(path, {{"new_password", "my own long password"}}, false);
  REQUIRE(set);
  CHECK(set->status == 303);
  CHECK(newcomer.signIn("new@example.com", "my own long password") == "/");
  auto reused = newcomer.post(path, {{"new_password", "another long password"}}, false);
  REQUIRE(reused);
  CHECK(reused->status == 410);

  // A non-admin has no users page.
  CHECK(newcomer.get("/users")->status == 403);
  auto duplicate = admin.post("/users", {{"email", "new@example.com"}});
  REQUIRE(duplicate);
  CHECK(duplicate->status == 400);
}

}  // namespace
}  // namespace vantus::controller

namespace vantus::controller {
namespace {

TEST_CASE("a deploy that nginx -t refuses stays on the preview with nginx's words") {
  UiServer server;
  if (!std::filesystem::exists(server.app().config().nginx_binary)) {
    MESSAGE("no nginx here: the pre-check is skipped, so nothing can refuse");
    return;
  }
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const Id tenant_id = createTenant(admin, "acme", "Acme");
  const std::string base = "/tenants/" + std::to_string(tenant_id);
  REQUIRE(admin.post(base + "/domains", {{"name", "www.acme.example"}})->status == 303);
  REQUIRE(admin
              .post(base + "/upstreams",
                    {{"pool_name", "web"}, {"host", "nonexistent.invalid"}, {"port", "9000"}})
              ->status == 303);
  REQUIRE(admin.post("/edges/clusters", {{"name", "edge-a"}})->status == 303);
  REQUIRE(admin.post(base + "/clusters", {{"cluster", "1"}})->status == 303);
  REQUIRE(admin.get(base + "/preview"));
  auto refused = admin.post(base + "/deployments", {{"message", "try <it>"}});
  REQUIRE(refused);
  CHECK(refused->status == 409);
  CHECK(refused->body.find("Not deployed:") != std::string::npos);
  CHECK(refused->body.find("host not found in upstream") != std::string::npos);
  CHECK(refused->body.find("value=\"try &lt;it&gt;\"") != std::string::npos);
  auto history = admin.get(base + "/deployments");
  REQUIRE(history);
  CHECK(history->body.find("Nothing deployed yet.") != std::string::npos);
}

}  // namespace
}  // namespace vantus::controller
