#include "controller/ui/ui_routes.h"

#include <httplib.h>

#include "controller/ui/ui_pages.h"
#include "controller/ui/ui_request.h"
#include "controller/ui/web_security.h"

namespace vantus::controller {

namespace {

using ui::UiHandler;
using ui::UiRequest;

enum class Access { kPublic, kSignedIn };

Result<ActiveSession> sessionOf(UiServices& services, const UiRequest& ui) {
  std::optional<std::string> id =
      ui::cookieValue(ui.http.get_header_value("Cookie"), ui::sessionCookieName(services.tls));
  if (!id || id->empty()) {
    return fail(ErrorCode::kUnauthenticated, "not signed in");
  }
  return services.sessions.authenticate(*id, ui.client());
}

void handle(UiServices& services, const httplib::Request& request, httplib::Response& response,
            Access access, const UiHandler& handler) {
  ui::setSecurityHeaders(response);
  UiRequest ui{services, request, response, std::nullopt, {}};
  const bool is_post = request.method == "POST";
  if (is_post) {
    ui.form = ui::parseForm(request.body);
  }
  if (access == Access::kSignedIn) {
    Result<ActiveSession> session = sessionOf(services, ui);
    if (!session) {
      if (session.error().code != ErrorCode::kUnauthenticated) {
        ui.errorPage(session.error());
        return;
      }
      response.set_header("Set-Cookie", ui::clearedSessionCookie(services.tls));
      // After sign-in the browser comes back to the page it asked for. A POST without a
      // session changes nothing; its form is not replayed.
      ui.redirect("/login?next=" + httplib::detail::encode_query_param(
                                       ui::safeNextPath(is_post ? "/" : request.target)));
      return;
    }
    ui.session = std::move(*session);
    if (is_post) {
      if (Result<void> same = ui::checkCsrf(request, ui.form, ui.session->csrf_token, services.tls);
          !same) {
        ui.errorPage(same.error());
        return;
      }
    }
  } else if (is_post) {
    if (Result<void> same = ui::checkSameOrigin(request, services.tls); !same) {
      ui.errorPage(same.error());
      return;
    }
  }
  if (Result<void> done = handler(ui); !done) {
    ui.errorPage(done.error());
  }
}

}  // namespace

void addUiRoutes(httplib::Server& server, UiServices& services) {
  auto get = [&](const std::string& pattern, Access access, UiHandler handler) {
    server.Get(pattern, [&services, access, handler = std::move(handler)](
                            const httplib::Request& request, httplib::Response& response) {
      handle(services, request, response, access, handler);
    });
  };
  auto post = [&](const std::string& pattern, Access access, UiHandler handler) {
    server.Post(pattern, [&services, access, handler = std::move(handler)](
                             const httplib::Request& request, httplib::Response& response) {
      handle(services, request, response, access, handler);
    });
  };
  server.Get(R"(/static/[A-Za-z0-9._-]+)",
             [&services](const httplib::Request& request, httplib::Response& response) {
               ui::setSecurityHeaders(response, /*has_data=*/false);
               const ui::StaticAsset* asset = services.assets.find(request.path);
               if (asset == nullptr) {
                 response.status = 404;
                 response.set_content("no such file", "text/plain; charset=utf-8");
                 return;
               }
               response.set_header("Cache-Control", "public, max-age=31536000, immutable");
               response.set_content(asset->bytes, asset->content_type);
             });

  get("/login", Access::kPublic, ui::showLogin);
  post("/login", Access::kPublic, ui::signIn);
  post("/logout", Access::kSignedIn, ui::signOut);
  get("/forgot-password", Access::kPublic, ui::showForgotPassword);
  post("/forgot-password", Access::kPublic, ui::requestPasswordLink);
  get(R"(/reset/([A-Za-z0-9_-]{43}))", Access::kPublic, ui::showPasswordLink);
  post(R"(/reset/([A-Za-z0-9_-]{43}))", Access::kPublic, ui::setPasswordWithLink);
  get(R"(/invitations/([A-Za-z0-9_-]{43}))", Access::kPublic, ui::showPasswordLink);
  post(R"(/invitations/([A-Za-z0-9_-]{43}))", Access::kPublic, ui::setPasswordWithLink);
  get("/users", Access::kSignedIn, ui::showUsers);
  post("/users", Access::kSignedIn, ui::createUser);
  post(R"(/users/(\d+))", Access::kSignedIn, ui::updateUser);
  post(R"(/users/(\d+)/password-link)", Access::kSignedIn, ui::issuePasswordLink);
  get("/", Access::kSignedIn, ui::showDashboard);
  get("/settings/security", Access::kSignedIn, ui::showSecurity);
  post("/settings/security/sign-out-everywhere", Access::kSignedIn, ui::signOutEverywhere);
  post(R"(/settings/security/sessions/(\d+)/end)", Access::kSignedIn, ui::endSession);
  post("/settings/security/password", Access::kSignedIn, ui::changePassword);
  get("/settings/api-tokens", Access::kSignedIn, ui::showTokens);
  post("/settings/api-tokens", Access::kSignedIn, ui::createToken);
  post(R"(/settings/api-tokens/(\d+)/revoke)", Access::kSignedIn, ui::revokeToken);
  get("/edges", Access::kSignedIn, ui::showEdges);
  post("/edges/clusters", Access::kSignedIn, ui::createCluster);
  post(R"(/edges/clusters/(\d+)/delete)", Access::kSignedIn, ui::deleteCluster);
  get(R"(/edges/clusters/(\d+)/nodes/(\d+))", Access::kSignedIn, ui::showNode);
  post(R"(/edges/clusters/(\d+)/nodes/(\d+))", Access::kSignedIn, ui::updateNode);
  post(R"(/edges/clusters/(\d+)/nodes/(\d+)/delete)", Access::kSignedIn, ui::deleteNode);
  post(R"(/edges/clusters/(\d+)/enrollment-token)", Access::kSignedIn, ui::createEnrollmentToken);

  get("/tenants", Access::kSignedIn, ui::showTenants);
  get("/tenants/new", Access::kSignedIn, ui::showNewTenant);
  post("/tenants", Access::kSignedIn, ui::createTenant);
  get(R"(/tenants/(\d+))", Access::kSignedIn, ui::showTenant);
  get(R"(/tenants/(\d+)/domains)", Access::kSignedIn, ui::showDomains);
  post(R"(/tenants/(\d+)/domains)", Access::kSignedIn, ui::addDomain);
  post(R"(/tenants/(\d+)/domains/(\d+))", Access::kSignedIn, ui::updateDomain);
  post(R"(/tenants/(\d+)/domains/(\d+)/delete)", Access::kSignedIn, ui::deleteDomain);
  get(R"(/tenants/(\d+)/upstreams)", Access::kSignedIn, ui::showUpstreams);
  post(R"(/tenants/(\d+)/upstreams)", Access::kSignedIn, ui::savePool);
  post(R"(/tenants/(\d+)/upstreams/(\d+)/delete)", Access::kSignedIn, ui::deletePool);
  get(R"(/tenants/(\d+)/policy)", Access::kSignedIn, ui::showPolicy);
  post(R"(/tenants/(\d+)/policy)", Access::kSignedIn, ui::savePolicy);
  get(R"(/tenants/(\d+)/clusters)", Access::kSignedIn, ui::showClusters);
  post(R"(/tenants/(\d+)/clusters)", Access::kSignedIn, ui::saveClusters);
  get(R"(/tenants/(\d+)/members)", Access::kSignedIn, ui::showMembers);
  post(R"(/tenants/(\d+)/members)", Access::kSignedIn, ui::addMember);
  post(R"(/tenants/(\d+)/members/(\d+))", Access::kSignedIn, ui::saveMember);
  post(R"(/tenants/(\d+)/members/(\d+)/remove)", Access::kSignedIn, ui::removeMember);
  post(R"(/tenants/(\d+)/members/(\d+)/reinvite)", Access::kSignedIn, ui::reinviteMember);
  get(R"(/tenants/(\d+)/settings)", Access::kSignedIn, ui::showSettings);
  post(R"(/tenants/(\d+)/settings)", Access::kSignedIn, ui::saveSettings);
  post(R"(/tenants/(\d+)/delete)", Access::kSignedIn, ui::deleteTenant);
  get("/audit", Access::kSignedIn, ui::showAudit);
  get(R"(/tenants/(\d+)/preview)", Access::kSignedIn, ui::showPreview);
  get(R"(/tenants/(\d+)/deployments)", Access::kSignedIn, ui::showDeployments);
  post(R"(/tenants/(\d+)/deployments)", Access::kSignedIn, ui::deploy);
  get(R"(/tenants/(\d+)/deployments/(\d+))", Access::kSignedIn, ui::showDeployment);
  get(R"(/tenants/(\d+)/deployments/(\d+)/nodes)", Access::kSignedIn, ui::deploymentNodesJson);
  get(R"(/tenants/(\d+)/deployments/(\d+)/rollback)", Access::kSignedIn, ui::showRollbackConfirm);
  post(R"(/tenants/(\d+)/deployments/(\d+)/rollback)", Access::kSignedIn, ui::rollback);
}

}  // namespace vantus::controller
