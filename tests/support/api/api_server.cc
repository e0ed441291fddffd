#include "tests/support/api/api_server.h"

#include <doctest/doctest.h>

#include <ctime>

#include "controller/app/init_state_dir.h"
#include "controller/app/serve.h"
#include "controller/service/model_service.h"
#include "controller/store/store_access.h"

namespace vantus::testing {

using nlohmann::json;

ApiServer::ApiServer() : state_dir_(root_.path() / "state") {
  REQUIRE(controller::initStateDir(state_dir_, VANTUS_SOURCE_DIR, kAdminEmail));
  auto opened = controller::ControllerApp::open(state_dir_, VANTUS_SOURCE_DIR);
  REQUIRE(opened);
  app_ = std::move(*opened);
  api_ = std::make_unique<controller::ApiServices>(controller::apiServicesOf(*app_));
  api_->limits = controller::ApiLimits{};
  auto server = controller::HttpServer::bind(controller::HostPort{"127.0.0.1", 0});
  REQUIRE(server);
  server_ = std::move(*server);
  controller::addApiRoutes(server_->routes(), *api_);
  server_->start();
  admin_token_ = token(kAdminEmail, kEveryScope);
}

ApiServer::~ApiServer() { server_->stop(); }

std::string ApiServer::token(const std::string& email, std::vector<std::string> scopes,
                             std::optional<controller::Id> tenant) {
  controller::TokenRequest request{
      .name = "test", .scopes = std::move(scopes), .tenant_id = tenant, .user_email = email};
  auto issued = app_->tokens().create(controller::localOperator(controller::Actor{}), request);
  REQUIRE(issued);
  return issued->token;
}

controller::Id ApiServer::addUser(const std::string& email, bool platform_admin) {
  auto created =
      controller::writeValue<controller::User>(app_->store(), [&](controller::Transaction& tx) {
        controller::User user;
        user.email = email;
        user.is_platform_admin = platform_admin;
        return tx.insertUser(user);
      });
  REQUIRE(created);
  return created->id;
}

void ApiServer::addMember(controller::Id user_id, controller::Id tenant_id,
                          controller::TenantRole role) {
  auto done = app_->store().write([&](controller::Transaction& tx) {
    return tx.putMembership(controller::Membership{user_id, tenant_id, role});
  });
  REQUIRE(done);
}

httplib::Result ApiServer::call(const std::string& method, const std::string& path,
                                const std::string& body, const std::string& bearer,
                                httplib::Headers headers) {
  httplib::Client client("127.0.0.1", server_->port());
  if (bearer != "-") {
    headers.emplace("Authorization", "Bearer " + (bearer.empty() ? admin_token_ : bearer));
  }
  if (method == "GET") {
    return client.Get(path.c_str(), headers);
  }
  if (method == "DELETE") {
    return client.Delete(path.c_str(), headers);
  }
  if (method == "PUT") {
    return client.Put(path.c_str(), headers, body, "application/json");
  }
  if (method == "PATCH") {
    return client.Patch(path.c_str(), headers, body, "application/json");
  }
  return client.Post(path.c_str(), headers, body, "application/json");
}

json bodyOf(const httplib::Result& result) {
  REQUIRE(result);
  return json::parse(result->body);
}

void checkProblem(const httplib::Result& result, int status, const std::string& field) {
  REQUIRE(result);
  CHECK(result->status == status);
  CHECK(result->get_header_value("Content-Type") == "application/problem+json");
  json problem = json::parse(result->body, nullptr, false);
  REQUIRE(problem.is_object());
  CHECK(problem["status"] == status);
  if (!field.empty()) {
    CHECK(problem["field"] == field);
  }
}

}  // namespace vantus::testing
