// The tenant pages over HTTP: the whole edge policy, domain switches, tenant search, the
// preview's pre-check, and sessions ended by a change of rights.
#include <fmt/format.h>

#include "tests/unit/controller/ui/ui_server.h"

namespace vantus::controller {
namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t found = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++found;
  }
  return found;
}

TEST_CASE("the policy form saves every setting, and a refusal is named beside its field") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const Id tenant_id = createTenant(admin, "acme", "Acme");
  const std::string policy_path = "/tenants/" + std::to_string(tenant_id) + "/policy";
  const Caller caller = localOperator(Actor{});
  auto before = server.app().model().policy(caller, tenant_id);
  REQUIRE(before);

  REQUIRE(admin.get(policy_path));
  auto refused = admin.post(policy_path, {{"header_name", "X-Kept"},
                                          {"header_value", "typed"},
                                          {"cors_origins", "*\nhttps://app.example"},
                                          {"cache_ttl", "60"},
                                          {"max_body", "1048576"}});
  REQUIRE(refused);
  CHECK(refused->status == 400);
  // Beside the CORS field, with everything typed kept.
  const std::size_t field = refused->body.find("id=\"cors-origins\"");
  const std::size_t reason = refused->body.find("cannot be combined with others", field);
  REQUIRE(field != std::string::npos);
  REQUIRE(reason != std::string::npos);
  CHECK(reason > field);
  CHECK(reason < refused->body.find("id=\"cache-ttl\""));
  CHECK(refused->body.find("value=\"X-Kept\"") != std::string::npos);
  CHECK(refused->body.find("*\nhttps://app.example</textarea>") != std::string::npos);
  auto unchanged = server.app().model().policy(caller, tenant_id);
  REQUIRE(unchanged);
  CHECK(unchanged->cors_origins == before->cors_origins);
  CHECK(unchanged->headers.empty());

  auto huge = admin.post(policy_path, {{"cache_ttl", "0"}, {"max_body", "99999999999999"}});
  REQUIRE(huge);
  CHECK(huge->status == 400);
  const std::size_t huge_reason = huge->body.find(
      "&quot;99999999999999&quot; is not a whole number", huge->body.find("</textarea>"));
  REQUIRE(huge_reason != std::string::npos);
  CHECK(huge_reason > huge->body.find("id=\"max-body\""));

  auto saved = admin.post(policy_path, {{"cors_origins", "HTTPS://App.Example/, https://b.example"},
                                        {"cache_ttl", "60"},
                                        {"max_body", "1048576"},
                                        {"compression", "on"}});
  REQUIRE(saved);
  CHECK(saved->status == 303);
  auto after = server.app().model().policy(caller, tenant_id);
  REQUIRE(after);
  CHECK(after->cors_origins ==
        std::vector<std::string>{"https://app.example", "https://b.example"});
  CHECK(after->cache_ttl_s == 60);
  CHECK(after->max_body_bytes == 1048576);
  CHECK(after->compression);
  CHECK_FALSE(after->security_headers);
  const std::string shown = admin.get(policy_path)->body;
  CHECK(shown.find("https://app.example\nhttps://b.example</textarea>") != std::string::npos);
  CHECK(shown.find("id=\"cache-ttl\" name=\"cache_ttl\" inputmode=\"numeric\" value=\"60\"") !=
        std::string::npos);
  CHECK(shown.find("name=\"security_headers\" >") != std::string::npos);
}

TEST_CASE("a domain's switches change from its row; the list says what each domain does") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const Id tenant_id = createTenant(admin, "acme", "Acme");
  const std::string base = "/tenants/" + std::to_string(tenant_id);
  REQUIRE(admin.post(base + "/domains", {{"name", "www.acme.example"}})->status == 303);
  CHECK(admin.get(base + "/domains")->body.find("<td>plain HTTP</td>") != std::string::npos);
  auto domains = server.app().model().domains(localOperator(Actor{}), tenant_id);
  REQUIRE(domains);
  REQUIRE(domains->size() == 1);
  const std::string row = base + "/domains/" + std::to_string(domains->front().id);

  REQUIRE(
      admin.post(row, {{"tls", "on"}, {"hsts", "on"}, {"min_tls_version", "TLSv1.3"}})->status ==
      303);
  CHECK(admin.get(base + "/domains")->body.find("<td>TLS (TLSv1.3 and up) · HSTS</td>") !=
        std::string::npos);
  auto refused = admin.post(row, {{"tls", "on"}, {"min_tls_version", "SSLv3"}});
  REQUIRE(refused);
  CHECK(refused->status == 400);
  CHECK(refused->body.find("&quot;SSLv3&quot; is not a TLS version") != std::string::npos);
  auto domain = server.app().model().domain(localOperator(Actor{}), tenant_id, domains->front().id);
  REQUIRE(domain);
  CHECK(domain->min_tls_version == "TLSv1.3");
  CHECK(domain->hsts);
}

TEST_CASE("tenant search matches a piece of the slug, the name or a domain, in any case") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const Id acme = createTenant(admin, "acme", "Acme Corp");
  createTenant(admin, "globex", "Globex");
  createTenant(admin, "initech", "Initech <Labs>");
  REQUIRE(admin.post("/tenants/" + std::to_string(acme) + "/domains", {{"name", "shop.example"}})
              ->status == 303);

  auto by_name = admin.get("/tenants?q=CORP");
  REQUIRE(by_name);
  CHECK(by_name->body.find(">Acme Corp</a>") != std::string::npos);
  CHECK(by_name->body.find(">Globex</a>") == std::string::npos);
  auto by_domain = admin.get("/tenants?q=shop.EX");
  REQUIRE(by_domain);
  CHECK(by_domain->body.find(">Acme Corp</a>") != std::string::npos);
  CHECK(occurrences(by_domain->body, "<tr><td><a href=\"/tenants/") == 1);
  auto by_slug = admin.get("/tenants?q=itec");
  REQUIRE(by_slug);
  CHECK(by_slug->body.find(">Initech &lt;Labs&gt;</a>") != std::string::npos);
  auto none = admin.get("/tenants?q=%3Cscript%3E");
  REQUIRE(none);
  CHECK(none->body.find("No tenant matches “&lt;script&gt;”") != std::string::npos);
  CHECK(occurrences(admin.get("/tenants")->body, "<tr><td><a href=\"/tenants/") == 3);

  // The next page keeps the search.
  for (int i = 0; i < 51; ++i) {
    createTenant(admin, fmt::format("bulk-{}", i), fmt::format("Bulk {}", i));
  }
  auto first = admin.get("/tenants?q=bulk");
  REQUIRE(first);
  CHECK(occurrences(first->body, "<tr><td><a href=\"/tenants/") == 50);
  const std::size_t next = first->body.find("<a href=\"/tenants?after=");
  REQUIRE(next != std::string::npos);
  const std::size_t href = next + 9;
  std::string next_url = first->body.substr(href, first->body.find('"', href) - href);
  CHECK(next_url.ends_with("&amp;q=bulk"));
  next_url.replace(next_url.find("&amp;"), 5, "&");
  auto second = admin.get(next_url);
  REQUIRE(second);
  CHECK(occurrences(second->body, "<tr><td><a href=\"/tenants/") == 1);
  CHECK(second->body.find(">Bulk 50</a>") != std::string::npos);
}

TEST_CASE("the preview runs nginx -t: its words, the offending line marked, Deploy disabled") {
  UiServer server;
  if (!std::filesystem::exists(server.app().config().nginx_binary)) {
    MESSAGE("no nginx here: the pre-check is skipped, so nothing can refuse");
    return;
  }
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const std::string base = assignedTenant(admin, "nonexistent.invalid");
  const Id tenant_id = std::stoll(base.substr(9));

  auto refused = admin.get(base + "/preview");
  REQUIRE(refused);
  CHECK(refused->status == 200);
  CHECK(refused->body.find("nginx -t failed") != std::string::npos);
  CHECK(refused->body.find("host not found in upstream") != std::string::npos);
  const std::size_t marked =
      refused->body.find("<tr class=\"add offending\" id=\"offending-line\">");
  REQUIRE(marked != std::string::npos);
  CHECK(refused->body.find("nonexistent.invalid", marked) < refused->body.find("</tr>", marked));
  CHECK(
      refused->body.find("<button type=\"button\" disabled aria-describedby=\"deploy-blocked\">") !=
      std::string::npos);
  CHECK(refused->body.find("action=\"" + base + "/deployments\"") == std::string::npos);
  auto history = server.app().deployments().deployments(localOperator(Actor{}), tenant_id, 0, 10);
  REQUIRE(history);
  CHECK(history->empty());

  auto pools = server.app().model().pools(localOperator(Actor{}), tenant_id);
  REQUIRE(pools);
  REQUIRE(pools->size() == 1);
  REQUIRE(admin.post(base + "/upstreams/" + std::to_string(pools->front().id) + "/delete", {})
              ->status == 303);
  REQUIRE(admin
              .post(base + "/upstreams",
                    {{"pool_name", "web"}, {"host", "127.0.0.1"}, {"port", "8080"}})
              ->status == 303);
  auto passed = admin.get(base + "/preview");
  REQUIRE(passed);
  CHECK(passed->body.find("nginx -t passed") != std::string::npos);
  CHECK(passed->body.find("offending") == std::string::npos);
  CHECK(passed->body.find("action=\"" + base + "/deployments\"") != std::string::npos);
}

TEST_CASE("a change of a user's rights ends their sessions: the next page asks to sign in") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const Id tenant_id = createTenant(admin, "acme", "Acme");
  const std::string base = "/tenants/" + std::to_string(tenant_id);
  server.addUser("viewer@example.com", "viewer password 1", tenant_id, TenantRole::kViewer);
  BrowserSession viewer(server.port());
  viewer.signIn("viewer@example.com", "viewer password 1");
  CHECK(viewer.get(base)->status == 200);

  auto members = server.app().users().members(localOperator(Actor{}), tenant_id);
  REQUIRE(members);
  REQUIRE(members->size() == 1);
  const std::string member = base + "/members/" + std::to_string(members->front().user_id);
  // Saving the same role changes nothing and ends nothing.
  REQUIRE(admin.post(member, {{"role", "viewer"}, {"email", "viewer@example.com"}})->status == 303);
  CHECK(viewer.get(base)->status == 200);

  REQUIRE(admin.post(member, {{"role", "operator"}, {"email", "viewer@example.com"}})->status ==
          303);
  auto ended = viewer.get(base);
  REQUIRE(ended);
  CHECK(ended->status == 303);
  CHECK(ended->get_header_value("Location").starts_with("/login?next="));
  viewer.signIn("viewer@example.com", "viewer password 1");
  CHECK(viewer.get(base)->status == 200);

  REQUIRE(admin.post(member + "/remove", {})->status == 303);
  CHECK(viewer.get(base)->status == 303);
}

}  // namespace
}  // namespace vantus::controller

namespace vantus::controller {
namespace {

// For every tenant role, each write control is on its page exactly when the service accepts
// the write behind it: the UI mirrors the rules, the services keep them.
TEST_CASE("for every role a control is shown exactly when its write is accepted") {
  UiServer server;
  BrowserSession admin(server.port());
  admin.signIn(kAdmin, server.admin_password);
  const std::string base = assignedTenant(admin, "127.0.0.1");
  const Id tenant_id = std::stoll(base.substr(9));

  struct Control {
    std::string page;
    std::string shown;  // what the page carries when the role may use it
    std::string action;
    FormList form;
  };
  int round = 0;
  for (TenantRole role :
       {TenantRole::kOwner, TenantRole::kAdmin, TenantRole::kOperator, TenantRole::kViewer}) {
    CAPTURE(tenantRoleName(role));
    const std::string email = fmt::format("role-{}@example.com", tenantRoleName(role));
    server.addUser(email, "a password for the role", tenant_id, role);
    BrowserSession member(server.port());
    member.signIn(email, "a password for the role");
    ++round;
    // A draft change of the platform admin's own, so that Deploy has something to publish.
    REQUIRE(
        admin.post(base + "/domains", {{"name", fmt::format("r{}.acme.example", round)}})->status ==
        303);
    const std::vector<Control> controls{
        {base + "/domains",
         ">Add domain</button>",
         base + "/domains",
         {{"name", fmt::format("m{}.acme.example", round)}}},
        {base + "/upstreams",
         ">Save pool</button>",
         base + "/upstreams",
         {{"pool_name", "web"}, {"host", "127.0.0.2"}, {"port", std::to_string(8000 + round)}}},
        {base + "/policy",
         ">Save policy</button>",
         base + "/policy",
         {{"header_name", "X-Round"}, {"header_value", std::to_string(round)}}},
        {base + "/clusters", ">Save assignments</button>", base + "/clusters", {{"cluster", "1"}}},
        {base + "/settings", ">Save status</button>", base + "/settings", {{"status", "active"}}},
        {base + "/preview",
         ">Deploy</button>",
         base + "/deployments",
         {{"message", fmt::format("by the {}", tenantRoleName(role))}}},
    };
    int shown = 0;
    for (const Control& control : controls) {
      CAPTURE(control.action);
      auto page = member.get(control.page);
      REQUIRE(page);
      REQUIRE(page->status == 200);
      const bool has_control = page->body.find(control.shown) != std::string::npos;
      auto answer = member.post(control.action, control.form);
      REQUIRE(answer);
      CHECK(answer->status == (has_control ? 303 : 403));
      shown += has_control ? 1 : 0;
    }
    // The extremes of docs/rbac.md, so the matrix cannot pass by hiding everything.
    if (role == TenantRole::kOwner) {
      CHECK(shown == static_cast<int>(controls.size()));
    }
    if (role == TenantRole::kViewer) {
      CHECK(shown == 0);
    }
  }
}

}  // namespace
}  // namespace vantus::controller
