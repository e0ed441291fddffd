// Invitations on the members page and the password pages without mail configured: the link
// is shown once to the inviter, and the rules are the services' (docs/rbac.md).
#include "tests/unit/controller/ui/ui_server.h"

namespace vantus::controller {
namespace {

// The "/invitations/<token>" path shown on an invitation's answer.
std::string shownInvitation(const std::string& body) {
  const size_t at = body.find("/invitations/");
  REQUIRE_MESSAGE(at != std::string::npos, body);
  return body.substr(at, std::string("/invitations/").size() + 43);
}

TEST_CASE("an owner invites an email without an account; the shown link signs the invitee in") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const Id tenant_id = createTenant(admin, "acme", "Acme");
  const std::string base = "/tenants/" + std::to_string(tenant_id);
  server.addUser("owner@example.com", "owner password 1", tenant_id, TenantRole::kOwner);

  BrowserSession owner(server.port());
  owner.signIn("owner@example.com", "owner password 1");
  auto members = owner.get(base + "/members");
  REQUIRE(members);
  CHECK(members->body.find(">Add member</button>") != std::string::npos);
  auto invited =
      owner.post(base + "/members", {{"email", "Guest@Example.com"}, {"role", "viewer"}});
  REQUIRE(invited);
  CHECK(invited->status == 200);
  CHECK(invited->body.find("guest@example.com is invited") != std::string::npos);
  CHECK(invited->body.find("7 days") != std::string::npos);
  const std::string link = shownInvitation(invited->body);
  // Shown once: the members page itself never shows it again.
  const std::string listed = owner.get(base + "/members")->body;
  CHECK(listed.find("/invitations/") == std::string::npos);
  CHECK(listed.find(">invited</span>") != std::string::npos);
  CHECK(listed.find(">Send a new invitation</button>") != std::string::npos);

  auto again = owner.post(base + "/members", {{"email", "guest@example.com"}, {"role", "admin"}});
  REQUIRE(again);
  CHECK(again->status == 409);
  CHECK(again->body.find("already a member") != std::string::npos);
  auto bad = owner.post(base + "/members", {{"email", "not an email"}, {"role", "viewer"}});
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(bad->body.find("value=\"not an email\"") != std::string::npos);

  BrowserSession guest(server.port());
  auto page = guest.get(link);
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find(">Set password and sign in</button>") != std::string::npos);
  auto short_password = guest.post(link, {{"new_password", "short"}}, false);
  REQUIRE(short_password);
  CHECK(short_password->status == 400);
  auto accepted = guest.post(link, {{"new_password", "the guest password"}}, false);
  REQUIRE(accepted);
  REQUIRE(accepted->status == 303);
  CHECK(accepted->get_header_value("Location") == base);
  CHECK(guest.get(base)->status == 200);
  CHECK(guest.get(base + "/members")->body.find(">Add member</button>") == std::string::npos);
  CHECK(guest.post(link, {{"new_password", "another password"}}, false)->status == 410);
  CHECK(owner.get(base + "/members")->body.find(">invited</span>") == std::string::npos);
}

TEST_CASE("invitations follow the owner rules, and a viewer cannot invite") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const Id tenant_id = createTenant(admin, "acme", "Acme");
  const std::string base = "/tenants/" + std::to_string(tenant_id);
  server.addUser("tenant-admin@example.com", "admin password 1", tenant_id, TenantRole::kAdmin);
  server.addUser("viewer@example.com", "viewer password 1", tenant_id, TenantRole::kViewer);

  BrowserSession tenant_admin(server.port());
  tenant_admin.signIn("tenant-admin@example.com", "admin password 1");
  REQUIRE(tenant_admin.get(base + "/members"));
  auto owner =
      tenant_admin.post(base + "/members", {{"email", "boss@example.com"}, {"role", "owner"}});
  REQUIRE(owner);
  CHECK(owner->status == 403);
  auto operator_ =
      tenant_admin.post(base + "/members", {{"email", "ops@example.com"}, {"role", "operator"}});
  REQUIRE(operator_);
  CHECK(operator_->status == 200);
  shownInvitation(operator_->body);

  BrowserSession viewer(server.port());
  viewer.signIn("viewer@example.com", "viewer password 1");
  auto members = viewer.get(base + "/members");
  REQUIRE(members);
  CHECK(members->body.find(">Add member</button>") == std::string::npos);
  CHECK(members->body.find(">Send a new invitation</button>") == std::string::npos);
  CHECK(viewer.post(base + "/members", {{"email", "x@example.com"}, {"role", "viewer"}})->status ==
        403);
}

TEST_CASE("a new invitation replaces a lost one; a member with a password gets none") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const Id tenant_id = createTenant(admin, "acme", "Acme");
  const std::string base = "/tenants/" + std::to_string(tenant_id);
  REQUIRE(admin.get(base + "/members"));
  auto first = admin.post(base + "/members", {{"email", "lost@example.com"}, {"role", "viewer"}});
  REQUIRE(first);
  const std::string members = admin.get(base + "/members")->body;
  const std::string marker = "action=\"" + base + "/members/";
  const size_t at = members.find("/reinvite\"");
  REQUIRE(at != std::string::npos);
  const size_t start = members.rfind(marker, at) + marker.size();
  const std::string reinvite = base + "/members/" + members.substr(start, at - start) + "/reinvite";
  auto second = admin.post(reinvite, {});
  REQUIRE(second);
  CHECK(second->status == 200);
  const std::string link = shownInvitation(second->body);
  CHECK(link != shownInvitation(first->body));
  BrowserSession lost(server.port());
  REQUIRE(lost.get(link));
  REQUIRE(lost.post(link, {{"new_password", "found at last 1"}}, false)->status == 303);
  REQUIRE(admin.get(base + "/members"));
  auto none = admin.post(reinvite, {});
  REQUIRE(none);
  CHECK(none->status == 409);
  CHECK(none->body.find("has set a password already") != std::string::npos);
}

TEST_CASE("without smtp there is no Forgot password? link and the form says whom to ask") {
  UiServer server;
  BrowserSession browser(server.port());
  auto login = browser.get("/login");
  REQUIRE(login);
  CHECK(login->body.find("Forgot password?") == std::string::npos);
  auto page = browser.get("/forgot-password");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("ask a platform admin for a password link") != std::string::npos);
  auto posted = browser.post("/forgot-password", {{"email", kAdmin}}, false);
  REQUIRE(posted);
  CHECK(posted->status == 409);
  // The public form is checked like sign-in: another site cannot post it.
  auto forged = browser.post("/forgot-password", {{"email", kAdmin}}, false,
                             {{"Origin", "https://evil.example"}});
  REQUIRE(forged);
  CHECK(forged->status == 403);
}

}  // namespace
}  // namespace vantus::controller
