#pragma once
// The UI's routes in-process on loopback, over a real state dir (SQLite, git, templates), with
// a session clock the tests move; and the checks the UI suites share.
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

using testing::BrowserSession;
using testing::FormList;

inline constexpr const char* kAdmin = "admin@example.com";

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

inline void checkSecurityHeaders(const httplib::Response& response) {
  CHECK(response.get_header_value("Content-Security-Policy").find("script-src 'self'") !=
        std::string::npos);
  CHECK(response.get_header_value("X-Frame-Options") == "DENY");
  CHECK(response.get_header_value("Referrer-Policy") == "same-origin");
  CHECK(response.get_header_value("X-Content-Type-Options") == "nosniff");
}

inline Id createTenant(BrowserSession& browser, const std::string& slug, const std::string& name) {
  REQUIRE(browser.get("/tenants/new"));
  auto created = browser.post("/tenants", {{"slug", slug}, {"name", name}});
  REQUIRE(created);
  REQUIRE_MESSAGE(created->status == 303, created->body);
  const std::string location = created->get_header_value("Location");
  REQUIRE(location.starts_with("/tenants/"));
  return std::stoll(location.substr(9));
}

// Tenant "acme" with www.acme.example, assigned to a new cluster "edge-a", and a pool "web"
// pointing at `pool_host` unless it is empty. Returns the tenant's path, "/tenants/<id>".
inline std::string assignedTenant(BrowserSession& admin, const std::string& pool_host) {
  const Id tenant_id = createTenant(admin, "acme", "Acme");
  const std::string base = "/tenants/" + std::to_string(tenant_id);
  REQUIRE(admin.post(base + "/domains", {{"name", "www.acme.example"}})->status == 303);
  if (!pool_host.empty()) {
    REQUIRE(admin
                .post(base + "/upstreams",
                      {{"pool_name", "web"}, {"host", pool_host}, {"port", "8080"}})
                ->status == 303);
  }
  REQUIRE(admin.post("/edges/clusters", {{"name", "edge-a"}})->status == 303);
  REQUIRE(admin.post(base + "/clusters", {{"cluster", "1"}})->status == 303);
  return base;
}

}  // namespace vantus::controller
