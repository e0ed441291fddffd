#pragma once
// The page handlers of the UI's routes (ui_routes.cc). Each reads its path and form, calls
// the services with the session's Caller and answers a page or a redirect; a service error
// returned from a handler becomes the error page. Internal to controller/ui.
#include "controller/ui/ui_request.h"

namespace vantus::controller::ui {

// Signed out.
void loginForm(UiRequest& ui, const std::string& error, const std::string& email, int status);
Result<void> showLogin(UiRequest& ui);
Result<void> signIn(UiRequest& ui);
Result<void> showForgotPassword(UiRequest& ui);
Result<void> requestPasswordLink(UiRequest& ui);
Result<void> showPasswordLink(UiRequest& ui);
Result<void> setPasswordWithLink(UiRequest& ui);
// Signed in.
Result<void> signOut(UiRequest& ui);
Result<void> showDashboard(UiRequest& ui);
Result<void> showSecurity(UiRequest& ui);
Result<void> signOutEverywhere(UiRequest& ui);
Result<void> endSession(UiRequest& ui);
Result<void> changePassword(UiRequest& ui);
Result<void> showUsers(UiRequest& ui);
Result<void> createUser(UiRequest& ui);
Result<void> updateUser(UiRequest& ui);
Result<void> issuePasswordLink(UiRequest& ui);
Result<void> showTokens(UiRequest& ui);
Result<void> createToken(UiRequest& ui);
Result<void> revokeToken(UiRequest& ui);
Result<void> showEdges(UiRequest& ui);
Result<void> createCluster(UiRequest& ui);
Result<void> deleteCluster(UiRequest& ui);
Result<void> showNode(UiRequest& ui);
Result<void> updateNode(UiRequest& ui);
Result<void> deleteNode(UiRequest& ui);
Result<void> createEnrollmentToken(UiRequest& ui);

Result<void> showTenants(UiRequest& ui);
Result<void> showNewTenant(UiRequest& ui);
Result<void> createTenant(UiRequest& ui);
Result<void> showTenant(UiRequest& ui);
Result<void> showDomains(UiRequest& ui);
Result<void> addDomain(UiRequest& ui);
Result<void> updateDomain(UiRequest& ui);
Result<void> deleteDomain(UiRequest& ui);
Result<void> showUpstreams(UiRequest& ui);
Result<void> savePool(UiRequest& ui);
Result<void> deletePool(UiRequest& ui);
Result<void> showPolicy(UiRequest& ui);
Result<void> savePolicy(UiRequest& ui);
Result<void> showClusters(UiRequest& ui);
Result<void> saveClusters(UiRequest& ui);

Result<void> showMembers(UiRequest& ui);
Result<void> saveMember(UiRequest& ui);
Result<void> addMember(UiRequest& ui);
Result<void> removeMember(UiRequest& ui);
Result<void> reinviteMember(UiRequest& ui);
Result<void> showSettings(UiRequest& ui);
Result<void> saveSettings(UiRequest& ui);
Result<void> deleteTenant(UiRequest& ui);
Result<void> showAudit(UiRequest& ui);

Result<void> showPreview(UiRequest& ui);
Result<void> deploy(UiRequest& ui);
Result<void> showDeployments(UiRequest& ui);
Result<void> showDeployment(UiRequest& ui);
// What each node reports for the deployment, as JSON, for the page's live table.
Result<void> deploymentNodesJson(UiRequest& ui);
Result<void> showRollbackConfirm(UiRequest& ui);
Result<void> rollback(UiRequest& ui);

// The tenant header and its section links, included by every tenant page as {{>TENANT_NAV}}.
void addTenantNav(ctemplate::TemplateDictionary& page, const Tenant& tenant,
                  const std::string& current);
// A line of a file in the config repository, e.g. where nginx -t found an error.
struct FileLine {
  std::string path;  // "clusters/<cluster>/tenants/ab/acme.conf"
  long line = 0;
};

// A unified diff as one row per line, each with its kind (add, del, hunk, file, ctx); the row
// showing `marked` on its new side gets section OFFENDING.
void addDiffLines(ctemplate::TemplateDictionary& page, const std::string& diff,
                  const std::optional<FileLine>& marked = std::nullopt);

}  // namespace vantus::controller::ui
