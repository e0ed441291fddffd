// The UI's pages over HTTP: rights, deployments, members, settings, audit, tokens, users,
// enrolment, passwords.
#include "tests/unit/controller/ui/ui_server.h"

namespace vantus::controller {
namespace {

TEST_CASE("a deployment's node states are JSON for the live table, behind the session") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const std::string base = assignedTenant(admin, "127.0.0.1");
  REQUIRE(admin.get(base + "/preview"));
  auto deployed = admin.post(base + "/deployments", {{"message", "first"}});
  REQUIRE(deployed);
  REQUIRE_MESSAGE(deployed->status == 303, deployed->body);
  const std::string deployment = deployed->get_header_value("Location");
  CHECK(admin.get(deployment)->body.find("data-live-nodes=\"" + deployment + "/nodes\"") !=
        std::string::npos);
  // A first deployment has nothing to compare with: no empty selector.
  CHECK(admin.get(deployment)->body.find("id=\"against\"") == std::string::npos);

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

  // A platform admin adds an existing user by email; an unknown email is invited
  // (ui_invitation_test.cc).
  server.addUser("second@example.com", "second password 1", 0, TenantRole::kViewer);
  REQUIRE(admin.get(base + "/members"));
  CHECK(
      admin.post(base + "/members", {{"email", "second@example.com"}, {"role", "admin"}})->status ==
      303);
  CHECK(admin.get(base + "/members")->body.find("second@example.com") != std::string::npos);
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

TEST_CASE("the preview says when a site will answer 502 for want of a pool") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const std::string base = assignedTenant(admin, "");
  auto preview = admin.get(base + "/preview");
  REQUIRE(preview);
  CHECK(preview->body.find("role=\"note\">Note: the tenant has domains but no upstream pool") !=
        std::string::npos);
  REQUIRE(admin
              .post(base + "/upstreams",
                    {{"pool_name", "web"}, {"host", "127.0.0.1"}, {"port", "8080"}})
              ->status == 303);
  preview = admin.get(base + "/preview");
  REQUIRE(preview);
  CHECK(preview->body.find("role=\"note\"") == std::string::npos);
}

TEST_CASE("a deploy that nginx -t refuses stays on the preview with nginx's words") {
  UiServer server;
  if (!std::filesystem::exists(server.app().config().nginx_binary)) {
    MESSAGE("no nginx here: the pre-check is skipped, so nothing can refuse");
    return;
  }
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const std::string base = assignedTenant(admin, "nonexistent.invalid");
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
