#pragma once
// A real controller API over loopback for integration tests: a fresh state directory
// (SQLite, git repository, keys), the /api/v1 routes on an ephemeral port, a platform
// admin's token holding every scope, and helpers to call it and check problem+json.
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "controller/api/api_routes.h"
#include "controller/app/controller_app.h"
#include "controller/server/http_server.h"
#include "tests/support/temp_dir.h"

namespace vantus::testing {

inline const std::vector<std::string> kEveryScope = {"tenants:read", "tenants:write", "config:read",
                                                     "config:write", "deploy",        "edges:read",
                                                     "edges:write",  "users:admin",   "audit:read"};

class ApiServer {
 public:
  static constexpr const char* kAdminEmail = "admin@example.com";

  ApiServer();
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // A new token of the user `email` (who must exist).
  std::string token(const std::string& email, std::vector<std::string> scopes,
                    std::optional<controller::Id> tenant = std::nullopt);
  // Creates a user directly in the store; returns its id.
  controller::Id addUser(const std::string& email, bool platform_admin = false);
  void addMember(controller::Id user_id, controller::Id tenant_id, controller::TenantRole role);

  // `bearer` empty = the admin token; "-" = no Authorization header.
  httplib::Result call(const std::string& method, const std::string& path,
                       const std::string& body = "", const std::string& bearer = "",
                       httplib::Headers headers = {});

  const std::string& adminToken() const { return admin_token_; }
  int port() const { return server_->port(); }
  const std::filesystem::path& stateDir() const { return state_dir_; }
  controller::ControllerApp& app() { return *app_; }
  controller::ApiServices& services() { return *api_; }

 private:
  TempDir root_;
  std::filesystem::path state_dir_;
  std::unique_ptr<controller::ControllerApp> app_;
  std::unique_ptr<controller::ApiServices> api_;
  std::unique_ptr<controller::HttpServer> server_;
  std::string admin_token_;
};

// The body of a successful call as JSON (fails the test when the call did not complete).
nlohmann::json bodyOf(const httplib::Result& result);
// Checks an application/problem+json answer with `status` naming `field` ("" = any).
void checkProblem(const httplib::Result& result, int status, const std::string& field);

}  // namespace vantus::testing
